// bench/api: /metrics scrape time and size for 1,000 / 10,000 / 30,000 tunnels (target ≤ 250 ms, linear), the
// same series through prom-client for comparison, and p50/p99 latency of `GET /api/v1/tunnels?state=down` under
// autocannon with 30,000 tunnels in the database.
//
//   npm run bench:api -w bench          (build first: npx turbo run build --filter=@tunnelwatch/api; needs curl)
//   BENCH_API_SIZES=1000,10000 BENCH_API_SECONDS=5 npm run bench:api -w bench   (quick look)
//
// Each size gets a throw-away database (DATABASE_URL's server, or an embedded PostgreSQL), filled through the real
// savePollResult (100 tunnels per router, one flow each, every tenth tunnel down), then the real API
// (createApiServer) loads its snapshot from it. Redis: REDIS_URL, with a queue name and channels of its own.
//
// The clients run in other processes, as Prometheus and API users do: curl for the scrapes (sending
// `Accept-Encoding: gzip` like Prometheus) and the autocannon CLI for the latency run, so their CPU time and
// garbage stay out of the server's process. Next to wall-clock times, which the other work of a shared machine
// inflates, the server's own CPU time per scrape and per request (process.cpuUsage of this process, which is
// the server) is printed: it is the steadier number.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { createApiServer } from '@tunnelwatch/api';
import { createTestDatabase, sampleSnapshot, sampleTunnel } from '@tunnelwatch/db/testing';
import { Counter, Gauge, Registry } from 'prom-client';

const env = process.env;
const SIZES = (env.BENCH_API_SIZES ?? '1000,10000,30000').split(',').map(Number);
const SECONDS = Number(env.BENCH_API_SECONDS ?? 10);
const PER_ROUTER = 100;
const SCRAPES = 7;

const run = promisify(execFile);

/** The server's CPU time (this process) while `work` runs, in ms, with `work`'s result. */
async function cpuMsOf<T>(work: () => Promise<T>): Promise<{ cpuMs: number; result: T }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000, result };
}

/** One scrape by curl, in its own process, until the last byte: total ms and bytes received. */
async function curlScrape(url: string): Promise<{ ms: number; bytes: number }> {
  const { stdout } = await run(
    'curl',
    ['-sS', '-o', '/dev/null', '-H', 'Accept-Encoding: gzip', '-w', '%{time_total} %{size_download}', url],
    { maxBuffer: 1 << 20 },
  );
  const [seconds, bytes] = stdout.trim().split(' ').map(Number);
  return { ms: (seconds ?? Number.NaN) * 1000, bytes: bytes ?? Number.NaN };
}

/**
 * The server's CPU time per response, from the request's arrival until its last byte is handed to the socket: the
 * client runs in another process, so this is the server's own cost, without curl's start-up.
 */
function serverCpu(app: { server: import('node:http').Server }): { last: () => number } {
  let last = Number.NaN;
  app.server.on('request', (_req, res) => {
    const before = process.cpuUsage();
    res.on('finish', () => {
      const used = process.cpuUsage(before);
      last = (used.user + used.system) / 1000;
    });
  });
  return { last: () => last };
}

/** Scrapes `url` SCRAPES times: median wall ms (curl's), median server CPU ms, size in bytes. */
async function scrapes(
  url: string,
  cpu: { last: () => number },
): Promise<{ ms: number; cpuMs: number; bytes: number }> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const result = await curlScrape(url);
    ms.push(result.ms);
    cpuMs.push(cpu.last());
    bytes = result.bytes;
  }
  return { ms: median(ms), cpuMs: median(cpuMs), bytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Fills a fresh database with `tunnels` tunnels through savePollResult. */
async function fill(db: Awaited<ReturnType<typeof createTestDatabase>>['db'], tunnels: number) {
  const { RoutersRepository, PollsRepository } = await import('@tunnelwatch/db');
  const routers = new RoutersRepository(db);
  const polls = new PollsRepository(db);
  const polledAt = new Date();
  for (let r = 0; r * PER_ROUTER < tunnels; r++) {
    const { id } = await routers.create({
      name: `r${String(r).padStart(4, '0')}`,
      host: '192.0.2.1',
      platform: 'iosxe',
    });
    const count = Math.min(PER_ROUTER, tunnels - r * PER_ROUTER);
    const snapshot = sampleSnapshot(
      polledAt,
      Array.from({ length: count }, (_, t) =>
        sampleTunnel({
          peer: `10.${r >> 8}.${r & 255}.${t}`,
          polledAt,
          state: t % 10 === 9 ? 'down' : 'up',
          configured: true,
          spi: 0x1000 + t * 2,
          packets: 1000 + t,
        }),
      ),
    );
    await polls.save(id, { status: 'ok', startedAt: polledAt, finishedAt: polledAt, bytesRead: 0, snapshot });
  }
}

/** The fleet series of an exposition fed into prom-client, to time its registry on exactly the same samples. */
async function promClientRender(exposition: string): Promise<{ setMs: number; renderMs: number }> {
  const types = new Map<string, string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of exposition.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      if (name && type) types.set(name, type);
    } else if (line.startsWith('tunnelwatch_') && !line.startsWith('tunnelwatch_api_')) {
      const brace = line.indexOf('{');
      const labels: Record<string, string> = {};
      for (const m of line.slice(brace, line.lastIndexOf('}')).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
        labels[m[1] as string] = m[2] as string;
      }
      samples.push({
        name: line.slice(0, brace),
        labels,
        value: Number(line.slice(line.lastIndexOf(' ') + 1)),
      });
    }
  }
  const registry = new Registry();
  const metrics = new Map<string, Counter | Gauge>();
  const started = performance.now();
  for (const s of samples) {
    let metric = metrics.get(s.name);
    if (!metric) {
      const options = {
        name: s.name,
        help: s.name,
        labelNames: Object.keys(s.labels),
        registers: [registry],
      };
      metric = types.get(s.name) === 'counter' ? new Counter(options) : new Gauge(options);
      metrics.set(s.name, metric);
    }
    if (metric instanceof Counter) metric.inc(s.labels, s.value);
    else metric.set(s.labels, s.value);
  }
  const setMs = performance.now() - started;
  const renderStart = performance.now();
  await registry.metrics();
  return { setMs, renderMs: performance.now() - renderStart };
}

type AutocannonResult = {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  non2xx: number;
};

/** The autocannon CLI in its own process: 10 connections for `seconds`. */
async function autocannonRun(url: string, token: string, seconds: number): Promise<AutocannonResult> {
  const cli = createRequire(import.meta.url).resolve('autocannon');
  const args = [cli, '--json', '-c', '10', '-d', String(seconds), '-H', `authorization=Bearer ${token}`, url];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as AutocannonResult;
}

type Row = {
  tunnels: number;
  loadMs: number;
  rebuildMs: number;
  fleetMs: number;
  fleetCpuMs: number;
  renderMs: number;
  renderCpuMs: number;
  mb: number;
  series: number;
  promSetMs: number;
  promRenderMs: number;
};
const rows: Row[] = [];
let latency: { p50: number; p99: number; rps: number; non2xx: number; cpuMsPerRequest: number } | null = null;

for (const tunnels of SIZES) {
  const database = await createTestDatabase();
  try {
    await fill(database.db, tunnels);
    // The planner statistics autovacuum would have gathered on a database that has held these rows for a minute.
    // Without them the tunnels list plans a sort of every down tunnel: ~36 ms per query instead of ~2.5 ms.
    await database.db.pool.query('ANALYZE');
    const id = randomUUID();
    const app = createApiServer({
      databaseUrl: database.url,
      redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      metricsPublic: true,
      secretKey: randomBytes(32),
      pollQueueName: `bench-poll-${id}`,
      routerPolledChannel: `bench:router-polled:${id}`,
      inventoryChangedChannel: `bench:inventory-changed:${id}`,
    });
    const loadStart = performance.now();
    await app.ready(); // loads the snapshot from Postgres and writes every router's lines
    const loadMs = performance.now() - loadStart;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const base = `http://127.0.0.1:${address.port}`;
    // Scrapes as Prometheus makes them: from another process, over HTTP, until the last byte is read. First the
    // fleet series alone (one shard of one = every router), then the plain scrape that adds the process's own
    // prom-client metrics.
    const cpu = serverCpu(app);
    await curlScrape(`${base}/metrics`); // warm-up
    const fleet = await scrapes(`${base}/metrics?shard=0&shards=1`, cpu);
    const plain = await scrapes(`${base}/metrics`, cpu);
    const body = (await app.inject({ url: '/metrics' })).body;
    // Every router polled at once: each router's lines written again (in production spread over a poll interval).
    const snapshot = app.fleetSnapshot;
    const rebuildStart = performance.now();
    for (const routerId of snapshot.routerIds()) snapshot.upsert(snapshot.get(routerId)!);
    const rebuildMs = performance.now() - rebuildStart;
    const series = body
      .split('\n')
      .filter((l) => l.startsWith('tunnelwatch_') && !l.startsWith('tunnelwatch_api_')).length;
    const prom = await promClientRender(body);
    rows.push({
      tunnels,
      loadMs,
      rebuildMs,
      fleetMs: fleet.ms,
      fleetCpuMs: fleet.cpuMs,
      renderMs: plain.ms,
      renderCpuMs: plain.cpuMs,
      mb: fleet.bytes / 1e6,
      series,
      promSetMs: prom.setMs,
      promRenderMs: prom.renderMs,
    });

    if (tunnels === Math.max(...SIZES)) {
      const { token } = await app.repos.apiTokens.create({ name: 'bench', scopes: ['read'] });
      const url = `${base}/api/v1/tunnels?state=down`;
      await autocannonRun(url, token, 2); // warm-up: JIT, the connection pool, the token cache
      const { cpuMs, result } = await cpuMsOf(() => autocannonRun(url, token, SECONDS));
      latency = {
        p50: result.latency.p50,
        p99: result.latency.p99,
        rps: result.requests.average,
        non2xx: result.non2xx,
        cpuMsPerRequest: cpuMs / result.requests.total,
      };
    }
    await app.close();
  } finally {
    await database.drop();
  }
}

const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(9);
console.log(
  `\n/metrics scraped by curl in another process, median of ${SCRAPES} scrapes with the whole body read; cpu: the`,
);
console.log(
  "server's CPU ms per scrape. load: snapshot load from Postgres at start; rebuild: every router's lines written",
);
console.log('again, as if all were polled at once');
console.log(
  '  tunnels   series       MB   load ms rebuild ms fleet ms fleet ms/1k fleet cpu plain ms plain cpu | prom-client, same series: set ms render ms',
);
for (const r of rows) {
  console.log(
    `${fmt(r.tunnels)}${fmt(r.series)}${fmt(r.mb, 1)}${fmt(r.loadMs)}${fmt(r.rebuildMs).padStart(11)}${fmt(r.fleetMs, 1)}${fmt((r.fleetMs / r.tunnels) * 1000, 2).padStart(12)}${fmt(r.fleetCpuMs, 1).padStart(10)}${fmt(r.renderMs, 1)}${fmt(r.renderCpuMs, 1).padStart(10)} |${fmt(r.promSetMs).padStart(33)}${fmt(r.promRenderMs).padStart(10)}`,
  );
}
console.log('target: scrape ≤ 250 ms at 30,000 tunnels, growing linearly (ms/1k tunnels flat)');
if (latency) {
  console.log(
    `\nGET /api/v1/tunnels?state=down, ${Math.max(...SIZES)} tunnels in Postgres, autocannon in another process, 10 connections, ${SECONDS} s after a 2 s warm-up`,
  );
  console.log(
    `  p50 ${latency.p50} ms   p99 ${latency.p99} ms   ${latency.rps.toFixed(0)} req/s   non-2xx ${latency.non2xx}   server cpu ${latency.cpuMsPerRequest.toFixed(2)} ms/request`,
  );
}
console.log(
  `\nmachine load average (1 min): ${loadavg()[0]?.toFixed(1)} on a shared machine; above the core count every wall-clock time above is inflated`,
);
