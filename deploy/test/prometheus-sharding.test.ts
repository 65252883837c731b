import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusServer, startPrometheus } from './support/prometheus.js';
import { prometheusConfigForTest } from './support/prometheus-config.js';
import { type SyntheticApi, startSyntheticApi } from './support/synthetic-api.js';
import { createSyntheticFleet } from './support/synthetic-fleet.js';
import { waitFor } from './support/wait-for.js';

// The sharding recipe of docs/operations.md#sharding-prometheus: the shipped per-router job pointed at
// /sd?shards=2, keeping shard 1 only. One Prometheus then scrapes /metrics?shard=1&shards=2 and nothing else.
const TOKEN = 'tw_shard_test_token';

let api: SyntheticApi;
let prometheus: PrometheusServer;

beforeAll(async () => {
  api = await startSyntheticApi({ fleet: createSyntheticFleet(), token: TOKEN });
  const { config, files } = await prometheusConfigForTest({
    apiAddress: api.address,
    token: TOKEN,
    intervalSeconds: 1,
  });
  const jobs = config.scrape_configs as Record<string, unknown>[];
  const routers = jobs.find((job) => job.job_name === 'tunnelwatch-routers');
  if (routers === undefined) throw new Error('prometheus.yml has no tunnelwatch-routers job');
  const sd = (routers.http_sd_configs as { url: string }[])[0]!;
  sd.url = `${sd.url}?shards=2`;
  routers.relabel_configs = [
    ...(routers.relabel_configs as unknown[]),
    { source_labels: ['__param_shard'], regex: '1', action: 'keep' },
  ];
  // One shard server scrapes only its share of the fleet.
  config.scrape_configs = [routers];
  prometheus = await startPrometheus({ config, files });
});

afterAll(async () => {
  await prometheus?.stop();
  await api?.stop();
});

describe('sharding Prometheus with /sd?shards=N', () => {
  it('scrapes exactly its shard and gets that shard’s routers', async () => {
    const targets = await waitFor('the shard target up', async () => {
      const all = await prometheus.targets();
      return all.length === 1 && all[0]?.health === 'up' ? all : undefined;
    });
    expect(targets[0]?.scrapeUrl).toBe(`http://${api.address}/metrics?shard=1&shards=2`);
    expect(targets[0]?.labels.shard).toBe('1');
    const routers = await waitFor('router series', async () => {
      const result = await prometheus.query('tunnelwatch_router_up');
      return result.length > 0 ? result : undefined;
    });
    // The synthetic API puts the routers at odd positions in shard 1: branch-asa1 of hq-rtr1, branch-asa1, lab-rtr9.
    expect(routers.map((series) => series.metric.router)).toEqual(['branch-asa1']);
  });
});
