import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  annotationQueries,
  type BuiltinIntervals,
  type Dashboard,
  type DashboardQuery,
  panelQueries,
  parseLabelValues,
  substitute,
  templateVariables,
} from './support/grafana-dashboard.js';
import { type PrometheusServer, startPrometheus } from './support/prometheus.js';
import { prometheusConfigForTest } from './support/prometheus-config.js';
import { listRepoFiles, readRepoFile } from './support/repo-files.js';
import { type SyntheticApi, startSyntheticApi } from './support/synthetic-api.js';
import { createSyntheticFleet } from './support/synthetic-fleet.js';
import { waitFor } from './support/wait-for.js';

// Every panel, annotation and template-variable query of every dashboard runs against a real Prometheus that
// scrapes a synthetic fleet following the metrics contract (docs/design.md §6) through the shipped
// prometheus.yml. Each query runs for every combination of variable values (and "All"): it must never fail, and it
// must return data for at least one combination, so a misspelt metric or label cannot hide.
const TOKEN = 'tw_dashboard_test_token';
const SCRAPES_BEFORE_QUERYING = 6;
const BUILTINS: BuiltinIntervals = { interval: '2s', rateInterval: '4s', range: '30s' };

let api: SyntheticApi;
let prometheus: PrometheusServer;

beforeAll(async () => {
  api = await startSyntheticApi({ fleet: createSyntheticFleet(), token: TOKEN });
  const { config, files } = await prometheusConfigForTest({
    apiAddress: api.address,
    token: TOKEN,
    intervalSeconds: 1,
  });
  prometheus = await startPrometheus({ config, files });
  // Enough history for rate(), changes() and offset to see rekeys and flaps.
  await waitFor(
    `${SCRAPES_BEFORE_QUERYING} scrapes of every router`,
    async () => {
      const result = await prometheus.query('min(count_over_time(tunnelwatch_router_up[1m]))');
      return Number(result[0]?.value?.[1] ?? 0) >= SCRAPES_BEFORE_QUERYING ? true : undefined;
    },
    30_000,
  );
});

afterAll(async () => {
  await prometheus?.stop();
  await api?.stop();
});

/** Every combination of variable values, resolving each variable's query with the earlier ones, as Grafana does. */
async function variableCombinations(dashboard: Dashboard): Promise<Record<string, string>[]> {
  let combinations: Record<string, string>[] = [{}];
  for (const variable of templateVariables(dashboard)) {
    const next: Record<string, string>[] = [];
    let anyValues = false;
    for (const chosen of combinations) {
      const { label, match } = parseLabelValues(substitute(variable.query, chosen, BUILTINS));
      const values = await prometheus.labelValues(label, match);
      anyValues ||= values.length > 0;
      for (const value of values) next.push({ ...chosen, [variable.name]: value });
      if (variable.includeAll) next.push({ ...chosen, [variable.name]: variable.allValue ?? '.*' });
    }
    expect(anyValues, `variable $${variable.name} (${variable.query}) has values`).toBe(true);
    combinations = next;
  }
  return combinations;
}

async function run(query: DashboardQuery, values: Record<string, string>) {
  const expr = substitute(query.expr, values, BUILTINS);
  const end = new Date();
  try {
    return query.instant
      ? await prometheus.query(expr, end)
      : await prometheus.queryRange(expr, new Date(end.getTime() - 30_000), end, 1);
  } catch (error) {
    throw new Error(`${query.where} with ${JSON.stringify(values)} failed: ${(error as Error).message}`);
  }
}

const dashboardFiles = await listRepoFiles('deploy/grafana/dashboards', '.json');

describe('Grafana dashboards', () => {
  it('are the three the docs promise, with unique uids and the provisioned datasource', async () => {
    const dashboards = await Promise.all(
      dashboardFiles.map(async (path) => JSON.parse(await readRepoFile(path)) as Dashboard),
    );
    expect(dashboards.map((dashboard) => dashboard.uid).sort()).toEqual([
      'tunnelwatch-fleet',
      'tunnelwatch-router',
      'tunnelwatch-tunnel',
    ]);
    const provisioning = parse(
      await readRepoFile('deploy/grafana/provisioning/datasources/prometheus.yml'),
    ) as {
      datasources: { uid: string; type: string }[];
    };
    const datasourceUids = new Set(provisioning.datasources.map((datasource) => datasource.uid));
    for (const path of dashboardFiles) {
      // Every datasource reference in the file must be the provisioned one (or Grafana's built-in annotations).
      const references = [...(await readRepoFile(path)).matchAll(/"uid": "([^"]+)"/g)].map(
        (match) => match[1],
      );
      for (const uid of references) {
        if (uid === '-- Grafana --' || uid?.startsWith('tunnelwatch-')) continue;
        expect(datasourceUids, `${path} datasource ${uid}`).toContain(uid);
      }
    }
  });

  for (const path of dashboardFiles) {
    it(`${path}: every query runs for every variable value and returns data`, async () => {
      const dashboard = JSON.parse(await readRepoFile(path)) as Dashboard;
      const queries = [...panelQueries(dashboard), ...annotationQueries(dashboard)];
      expect(queries.length).toBeGreaterThan(5);
      for (const query of queries) expect(query.expr, `${query.where} has a PromQL expression`).not.toBe('');

      const combinations = await variableCombinations(dashboard);
      expect(combinations.length).toBeGreaterThan(0);
      const empty: string[] = [];
      for (const query of queries) {
        let rows = 0;
        for (const values of combinations) rows += (await run(query, values)).length;
        if (rows === 0) empty.push(`${query.where}: ${query.expr}`);
      }
      expect(empty, 'queries that returned no data for any variable value').toEqual([]);
    });
  }
});
