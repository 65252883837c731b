// bench/fleet: how many routers tunnelwatch's workers keep fresh on this machine.
//
// For each fleet size and worker count: a simulated fleet in its own process(es) (packages/sim, real SSH; split
// over several when one process's file-descriptor limit cannot hold every listener and kept session), a fresh
// PostgreSQL database with the fleet imported, and 1 or 2 real `tunnelwatch worker` processes on Redis. After
// one interval of warm-up (every router's first poll), it measures for BENCH_INTERVALS intervals:
// polls/s, freshness (age of each router's last successful poll, sampled every few seconds, p50/p99),
// worker CPU ms per poll, worker memory (max RSS), SSH logins in flight (max), and failed polls.
// Target: 10,000 routers at 60 s with p99 freshness ≤ 90 s.
//
//   npm run bench:fleet -w bench
//   BENCH_FLEET_SIZES=1000 BENCH_WORKERS=1 BENCH_INTERVAL_S=20 npm run bench:fleet -w bench   (quick look)
//
// Redis: a database of its own (REDIS_URL's host, database BENCH_REDIS_DB, default 11), so a bench never touches
// the keys of a tunnelwatch running on the same Redis. Postgres: DATABASE_URL's server, a throw-away database.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CredentialsRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { parseInventory } from '@tunnelwatch/inventory';
import { generateRouters, inventoryYaml, startFleet } from '@tunnelwatch/sim';
import { Redis } from 'ioredis';

const env = process.env;
const SIZES = (env.BENCH_FLEET_SIZES ?? '1000,5000,10000').split(',').map(Number);
const WORKER_COUNTS = (env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const INTERVAL_S = Number(env.BENCH_INTERVAL_S ?? 60);
const INTERVALS = Number(env.BENCH_INTERVALS ?? 2);
const SAMPLE_MS = 5_000;
const CONCURRENCY = env.BENCH_WORKER_CONCURRENCY ?? '100';
const MAX_LOGINS = env.BENCH_MAX_LOGINS ?? '200';
const REDIS_BASE = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_URL = `${REDIS_BASE.replace(/\/\d*$/, '')}/${env.BENCH_REDIS_DB ?? '11'}`;
const CLI = fileURLToPath(new URL('../apps/cli/dist/main.js', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
// Extra node flags for the workers, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them.
const WORKER_NODE_ARGS = (env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const TICKS_PER_SECOND = 100;
/** File descriptors one process may open (soft limit; read from the shell that runs the bench). */
const FD_LIMIT = ((text) => (text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text) || 1024))(
  execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim(),
); // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s.

type Row = {
  routers: number;
  workers: number;
  pollsPerSecond: number;
  p50: number;
  p99: number;
  neverPolled: number;
  cpuMsPerPoll: number;
  workerRssMb: number;
  loginsMax: number;
  failed: number;
  /** Failed polls per reason, e.g. `timeout 3, unreachable 1`. */
  failedReasons: string;
  /** The simulator process's CPU per poll: its side of logins and commands. */
  simCpuMsPerPoll: number;
  /** Busy CPU of the whole machine per poll (workers, simulator, PostgreSQL, Redis, and anything else running). */
  machineCpuMsPerPoll: number;
  warmUpSeconds: number;
  /** 1-minute load average at the end of the run: the machine is shared, so say how busy it was. */
  load: number;
};

if (process.argv[2] === '--sim') {
  await runSim(
    Number(process.argv[3]),
    Number(process.argv[4]),
    Number(process.argv[5]),
    process.argv[6] ?? '',
  );
} else {
  await main();
}

/** The simulator's own process: the fleet, its inventory file, then wait to be stopped. */
/** Routers `from` to `to` (exclusive) of a generated fleet of `count`, listening from port 20000 + `from`. */
async function runSim(count: number, from: number, to: number, inventoryPath: string): Promise<void> {
  const all = generateRouters({ count, tunnelsPerRouter: 2, downEvery: 10 });
  const fleet = await startFleet({ routers: all.slice(from, to), basePort: 20_000 + from });
  writeFileSync(inventoryPath, inventoryYaml(fleet.routers));
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    fleet.close().finally(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const routers of SIZES) {
    for (const workers of WORKER_COUNTS) {
      process.stderr.write(
        `fleet bench: ${routers} routers, ${workers} worker process(es), ${INTERVAL_S} s interval\n`,
      );
      const row = await runOne(routers, workers);
      rows.push(row);
      process.stderr.write(`  ${JSON.stringify(row)}\n`);
    }
  }
  printTable(rows);
}

/**
 * A simulator process needs a file descriptor per router (its listener) plus one per open session, and each
 * worker keeps a session per router open. With this machine's limit of 20,000 descriptors per process
 * (`ulimit -n`, not raisable here), 10,000 routers and their kept sessions do not fit in one process: the
 * fleet is split so that each simulator process stays under it.
 */
function simProcessesFor(routers: number, workers: number): number {
  const perRouter = 1 + workers;
  return Math.max(1, Math.ceil((routers * perRouter) / (FD_LIMIT * 0.8)));
}

async function runOne(routers: number, workers: number): Promise<Row> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  await deleteKeys(redis, 'tunnelwatch:');
  const simCount = simProcessesFor(routers, workers);
  const share = Math.ceil(routers / simCount);
  const inventoryPaths = Array.from({ length: simCount }, (_, k) =>
    join(tmpdir(), `tunnelwatch-bench-${randomBytes(4).toString('hex')}-${k}.yaml`),
  );
  const sims = inventoryPaths.map((path, k) =>
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        SELF,
        '--sim',
        String(routers),
        String(k * share),
        String(Math.min(routers, (k + 1) * share)),
        path,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  const children: ChildProcess[] = [...sims];
  let database: TestDatabase | null = null;
  try {
    for (const sim of sims) await waitForLine(sim, 'ready');
    database = await createTestDatabase({ poolSize: 10 });
    const secretKey = randomBytes(32);
    await loadInventory(
      database,
      secretKey,
      inventoryPaths.map((path) => readFileSync(path, 'utf8')),
    );

    const workerEnv = {
      ...env,
      DATABASE_URL: database.url,
      REDIS_URL,
      TUNNELWATCH_SECRET_KEY: secretKey.toString('hex'),
      POLL_INTERVAL_SECONDS: String(INTERVAL_S),
      WORKER_CONCURRENCY: CONCURRENCY,
      MAX_CONCURRENT_LOGINS: MAX_LOGINS,
      LOG_LEVEL: 'error',
    };
    const workerProcesses = Array.from({ length: workers }, () =>
      spawn(process.execPath, [...WORKER_NODE_ARGS, CLI, 'worker'], {
        env: workerEnv,
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    children.push(...workerProcesses);

    // Warm-up: until every router has had its first poll (schedulers spread them over one interval), at most
    // three intervals; then one more interval so the measured window sees steady state.
    const started = Date.now();
    while (Date.now() - started < 3 * INTERVAL_S * 1000) {
      await sleep(1_000);
      const { rows } = await database.db.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM routers WHERE last_success_at IS NULL',
      );
      if (Number(rows[0]?.n) === 0) break;
    }
    const warmUpSeconds = (Date.now() - started) / 1000;
    // The first round's backlog drains faster than one poll per interval: measure only after it has.
    await sleep(INTERVAL_S * 1000);
    const windowStart = Date.now();
    const cpuStart = workerProcesses.map(cpuTicks);
    const simCpu = () => sims.reduce((sum, sim) => sum + cpuTicks(sim), 0);
    const simCpuStart = simCpu();
    const machineStart = machineBusyTicks();
    const pollsStart = await pollCount(database);
    const ages: number[] = [];
    let loginsMax = 0;
    let rssMax = 0;
    let neverPolled = 0;
    while (Date.now() - windowStart < INTERVALS * INTERVAL_S * 1000) {
      await sleep(SAMPLE_MS);
      const now = Date.now();
      const { rows } = await database.db.pool.query<{ age_ms: number | null }>(
        'SELECT EXTRACT(EPOCH FROM (now() - last_success_at)) * 1000 AS age_ms FROM routers',
      );
      neverPolled = 0;
      for (const row of rows) {
        if (row.age_ms === null) {
          neverPolled++;
          ages.push(now - started); // never polled since the workers started: as stale as it can be
        } else {
          ages.push(Number(row.age_ms));
        }
      }
      loginsMax = Math.max(loginsMax, await redis.zcount('tunnelwatch:ssh-logins', Date.now(), '+inf'));
      rssMax = Math.max(
        rssMax,
        workerProcesses.reduce((sum, child) => sum + rssBytes(child), 0),
      );
    }
    const seconds = (Date.now() - windowStart) / 1000;
    const cpuTicksUsed = workerProcesses.reduce(
      (sum, child, i) => sum + cpuTicks(child) - (cpuStart[i] ?? 0),
      0,
    );
    const simCpuTicks = simCpu() - simCpuStart;
    const machineTicks = machineBusyTicks() - machineStart;
    const polls = (await pollCount(database)) - pollsStart;
    const { rows: failures } = await database.db.pool.query<{ reason: string; n: string }>(
      `SELECT coalesce(failure_reason::text, '?') AS reason, count(*) AS n FROM polls
       WHERE status = 'failed' AND finished_at >= to_timestamp($1 / 1000.0) GROUP BY 1 ORDER BY 2 DESC`,
      [windowStart],
    );
    const failed = failures.reduce((sum, row) => sum + Number(row.n), 0);
    const perPoll = (ticks: number) => (polls > 0 ? ((ticks / TICKS_PER_SECOND) * 1000) / polls : Number.NaN);
    ages.sort((a, b) => a - b);
    return {
      routers,
      workers,
      pollsPerSecond: polls / seconds,
      p50: percentile(ages, 0.5) / 1000,
      p99: percentile(ages, 0.99) / 1000,
      neverPolled,
      cpuMsPerPoll: perPoll(cpuTicksUsed),
      simCpuMsPerPoll: perPoll(simCpuTicks),
      machineCpuMsPerPoll: perPoll(machineTicks),
      workerRssMb: rssMax / 1024 / 1024,
      loginsMax,
      failed,
      failedReasons: failures.map((row) => `${row.reason} ${row.n}`).join(', '),
      warmUpSeconds,
      load: loadavg()[0] ?? 0,
    };
  } finally {
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([once(child, 'exit'), sleep(20_000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }
    await database?.drop();
    for (const path of inventoryPaths) rmSync(path, { force: true });
    await deleteKeys(redis, 'tunnelwatch:');
    redis.disconnect();
  }
}

/**
 * The simulator's inventory, checked by the same parser `tunnelwatch import` uses, loaded in bulk: the sim's
 * routers share one login, so one credential plus one INSERT of all routers (importing 10,000 routers row by
 * row is not what this bench measures).
 */
async function loadInventory(database: TestDatabase, secretKey: Buffer, yamls: string[]): Promise<void> {
  const inventories = yamls.map((yaml) => parseInventory(yaml, 'yaml'));
  const problem = inventories.flatMap((inventory) => inventory.problems)[0];
  if (problem) throw new Error(`inventory problem: ${JSON.stringify(problem)}`);
  const credentials = inventories.flatMap((inventory) => inventory.credentials);
  const login = credentials[0];
  if (!login || credentials.some((c) => c.username !== login.username || c.password !== login.password)) {
    throw new Error('expected every simulated router to share one login');
  }
  const credential = await new CredentialsRepository(database.db, secretKey).create({
    name: 'sim',
    username: login.username,
    secret: login.password,
    enableSecret: login.enableSecret,
  });
  const routers = inventories.flatMap((inventory) => inventory.routers);
  await database.db.pool.query(
    `INSERT INTO routers (name, host, port, platform, credential_id)
     SELECT name, host, port, platform, $5::uuid
     FROM unnest($1::text[], $2::text[], $3::int[], $4::platform[]) AS r(name, host, port, platform)`,
    [
      routers.map((r) => r.name),
      routers.map((r) => r.host),
      routers.map((r) => r.port),
      routers.map((r) => r.platform),
      credential.id,
    ],
  );
}

async function pollCount(database: TestDatabase): Promise<number> {
  const { rows } = await database.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM polls');
  return Number(rows[0]?.n ?? 0);
}

/** utime + stime of a process, in clock ticks. */
function cpuTicks(child: ChildProcess): number {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** user + nice + system + irq + softirq + steal jiffies of all CPUs (/proc/stat): everything but idle and iowait. */
function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

function rssBytes(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function waitForLine(child: ChildProcess, line: string): Promise<void> {
  let seen = '';
  for await (const chunk of child.stdout!) {
    seen += String(chunk);
    if (seen.includes(line)) return;
  }
  throw new Error(`child exited before printing ${line}`);
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

function printTable(rows: Row[]): void {
  const head = [
    'routers',
    'workers',
    'polls/s',
    'needed/s',
    'p50 fresh s',
    'p99 fresh s',
    'never polled',
    'worker CPU ms/poll',
    'sim CPU ms/poll',
    'machine CPU ms/poll',
    'worker RSS MB',
    'logins in flight (max)',
    'failed polls',
    'first round s',
    'load avg',
    `p99 ≤ ${INTERVAL_S * 1.5} s`,
  ];
  const lines = rows.map((r) => [
    String(r.routers),
    String(r.workers),
    r.pollsPerSecond.toFixed(1),
    (r.routers / INTERVAL_S).toFixed(1),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    String(r.neverPolled),
    r.cpuMsPerPoll.toFixed(2),
    r.simCpuMsPerPoll.toFixed(2),
    r.machineCpuMsPerPoll.toFixed(2),
    r.workerRssMb.toFixed(0),
    String(r.loginsMax),
    r.failed === 0 ? '0' : `${r.failed} (${r.failedReasons})`,
    r.warmUpSeconds.toFixed(0),
    r.load.toFixed(1),
    r.p99 <= INTERVAL_S * 1.5 && r.neverPolled === 0 ? 'yes' : 'NO',
  ]);
  process.stdout.write(
    `\nfleet: ${INTERVAL_S} s interval, measured over ${INTERVALS} intervals after every router's first poll (first round); ` +
      `simulator, PostgreSQL and Redis on the same 2-core machine\n\n`,
  );
  process.stdout.write(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n`);
  for (const line of lines) process.stdout.write(`| ${line.join(' | ')} |\n`);
}
