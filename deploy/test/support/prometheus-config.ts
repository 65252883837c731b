import { basename } from 'node:path';
import { parse } from 'yaml';
import { listRepoFiles, readRepoFile } from './repo-files.js';

/** What deploy/prometheus/prometheus.yml calls the API and Alertmanager inside docker-compose. */
const COMPOSE_API_ADDRESS = 'api:8080';
const TOKEN_FILE = '/etc/prometheus/secrets/tunnelwatch.token';

export interface TestPrometheusConfig {
  config: Record<string, unknown>;
  /** Files to write next to it (rule files, the token file): pass both to startPrometheus(). */
  files: Record<string, string>;
}

/**
 * The repository's prometheus.yml and alert rules, made runnable in a test: the API at `apiAddress` instead of
 * `api:8080`, the token in a local file, every interval (scrape, evaluation, /sd refresh) set to
 * `intervalSeconds`, alerts sent to `alertmanagerAddress` (or nowhere), and Prometheus's self-scrape dropped.
 * Everything else (relabelling, metric drops, the opt-out) stays as shipped, so the test exercises it.
 * `transformRules` may rewrite each rule file (e.g. shorten `for:` in an end-to-end test).
 */
export async function prometheusConfigForTest(options: {
  apiAddress: string;
  token: string;
  intervalSeconds: number;
  alertmanagerAddress?: string;
  transformRules?: (text: string) => string;
}): Promise<TestPrometheusConfig> {
  const shipped = parse(await readRepoFile('deploy/prometheus/prometheus.yml')) as Record<string, unknown>;
  const interval = `${options.intervalSeconds}s`;
  const rewritten = rewriteStrings(shipped, (value) => {
    if (value === TOKEN_FILE) return 'secrets/tunnelwatch.token';
    return value.replaceAll(COMPOSE_API_ADDRESS, options.apiAddress);
  }) as Record<string, unknown>;

  const scrapeConfigs = (rewritten.scrape_configs as Record<string, unknown>[]).filter(
    (job) => job.job_name !== 'prometheus',
  );
  for (const job of scrapeConfigs) {
    for (const sd of (job.http_sd_configs as Record<string, unknown>[] | undefined) ?? []) {
      sd.refresh_interval = interval;
    }
  }
  const config: Record<string, unknown> = {
    ...rewritten,
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    scrape_configs: scrapeConfigs,
  };
  if (options.alertmanagerAddress === undefined) {
    delete config.alerting;
  } else {
    config.alerting = { alertmanagers: [{ static_configs: [{ targets: [options.alertmanagerAddress] }] }] };
  }

  const files: Record<string, string> = { 'secrets/tunnelwatch.token': options.token };
  const transform = options.transformRules ?? ((text: string) => text);
  for (const path of await listRepoFiles('deploy/prometheus/rules', '.rules.yml')) {
    files[`rules/${basename(path)}`] = transform(await readRepoFile(path));
  }
  return { config, files };
}

function rewriteStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((item) => rewriteStrings(item, rewrite));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, rewriteStrings(item, rewrite)]),
    );
  }
  return value;
}
