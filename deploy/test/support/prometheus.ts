import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { type Daemon, startDaemon } from './daemon.js';
import { freePort } from './free-port.js';

/** One element of an instant or range query result (vector: `value`, matrix: `values`). */
export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export interface PromTarget {
  labels: Record<string, string>;
  discoveredLabels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}

export interface PrometheusServer extends Daemon {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The folder holding prometheus.yml and the `files` it was started with. */
  configDir: string;
  /** Instant query; throws with Prometheus's error message (and the expression) when it fails. */
  query(expr: string, time?: Date): Promise<PromSeries[]>;
  queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<PromSeries[]>;
  /** Values of `label` on the series matching `match` (what Grafana's label_values() does). */
  labelValues(label: string, match: string): Promise<string[]>;
  targets(): Promise<PromTarget[]>;
  alerts(): Promise<PromAlert[]>;
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  errorType?: string;
  error?: string;
}

/**
 * Starts the Debian `prometheus` binary on a free loopback port with `config` (an object, written as
 * prometheus.yml) and `files` (relative path → content, written next to it: rule files, token files) in a
 * temporary folder with a fresh TSDB. Call stop() when done (it removes the folder).
 */
export async function startPrometheus(options: {
  config: Record<string, unknown>;
  files?: Record<string, string>;
}): Promise<PrometheusServer> {
  const port = await freePort();
  const workDir = await mkdtemp(join(tmpdir(), 'tw-prometheus-'));
  const configDir = join(workDir, 'config');
  for (const [path, content] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(configDir, path)), { recursive: true });
    await writeFile(join(configDir, path), content);
  }
  await mkdir(configDir, { recursive: true });
  const configFile = join(configDir, 'prometheus.yml');
  await writeFile(configFile, stringify(options.config));
  const url = `http://127.0.0.1:${port}`;
  const daemon = await startDaemon({
    command: 'prometheus',
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    readyUrl: `${url}/-/ready`,
    workDir,
  });

  const api = async <T>(path: string, params: Record<string, string>): Promise<T> => {
    const response = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
    const answer = (await response.json()) as ApiAnswer<T>;
    if (answer.status !== 'success') {
      throw new Error(`Prometheus ${path} ${JSON.stringify(params)}: ${answer.errorType}: ${answer.error}`);
    }
    return answer.data;
  };
  const seconds = (date: Date) => String(date.getTime() / 1000);

  return {
    ...daemon,
    url,
    configDir,
    query: async (expr, time) =>
      (
        await api<{ result: PromSeries[] }>('/api/v1/query', {
          query: expr,
          ...(time && { time: seconds(time) }),
        })
      ).result,
    queryRange: async (expr, start, end, stepSeconds) =>
      (
        await api<{ result: PromSeries[] }>('/api/v1/query_range', {
          query: expr,
          start: seconds(start),
          end: seconds(end),
          step: String(stepSeconds),
        })
      ).result,
    labelValues: (label, match) =>
      api<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': match }),
    targets: async () => (await api<{ activeTargets: PromTarget[] }>('/api/v1/targets', {})).activeTargets,
    alerts: async () => (await api<{ alerts: PromAlert[] }>('/api/v1/alerts', {})).alerts,
  };
}
