import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createLogger, type loadConfig } from '@tunnelwatch/config';
import { PollsRepository, RoutersRepository, TunnelsRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { importInventory, parseInventory } from '@tunnelwatch/inventory';
import { type Fleet, inventoryYaml, type RouterSpec, type RouterTruth, startFleet } from '@tunnelwatch/sim';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithTruth } from '../test/ground-truth.js';
import { deleteKeys, REDIS_URL, testRedis, uniquePrefix } from '../test/redis.js';
import { testConfig } from '../test/test-config.js';
import type { PollWorker } from './poll-worker.js';
import { startWorkerProcess } from './run-worker.js';

const EVERY_MS = 4_000;
const LOCK_MS = 2_000;
const prefix = uniquePrefix('polling');
const channel = `${prefix}:inventory`;
const secretKey = randomBytes(32);
const redis = testRedis();
const logger = createLogger({ level: 'silent' });

/** IOS, IOS-XE, ASA, a DMVPN hub and IPv6, with down tunnels and several flows. */
const FLEET: RouterSpec[] = [
  {
    name: 'ios-1',
    platform: 'ios',
    tunnels: [
      { peer: '198.51.100.1' },
      { peer: '198.51.100.2', state: 'down' },
      { peer: '198.51.100.3', ikeVersion: 2, pfs: 'group14' },
    ],
  },
  {
    name: 'xe-1',
    platform: 'iosxe',
    tunnels: [
      {
        peer: '203.0.113.7',
        ikeVersion: 2,
        flows: [
          { local: '10.10.0.0/24', remote: '10.20.0.0/24' },
          { local: '10.10.1.0/24', remote: '10.20.1.0/24' },
        ],
      },
    ],
  },
  {
    name: 'asa-1',
    platform: 'asa',
    tunnels: [{ peer: '192.0.2.201' }, { peer: '192.0.2.202', state: 'down' }],
  },
  {
    name: 'hub-1',
    platform: 'ios',
    tunnels: Array.from({ length: 6 }, (_, i) => ({ peer: `198.18.0.${10 + i}`, kind: 'profile' as const })),
  },
  {
    name: 'v6-1',
    platform: 'iosxe',
    interfaces: [{ name: 'GigabitEthernet1', address: '2001:db8:1::1' }],
    tunnels: [{ peer: '2001:db8:2::2' }, { peer: '2001:db8:3::3', ikeVersion: 2 }],
  },
  // Slow enough (5 commands × 700 ms) to be caught mid-poll by a kill.
  { name: 'slow-1', platform: 'ios', commandLatencyMs: 700, tunnels: [{ peer: '198.51.100.77' }] },
];

let database: TestDatabase;
let fleet: Fleet;
let worker: PollWorker | null = null;
let config: ReturnType<typeof loadConfig>;
const idOf = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  fleet = await startFleet({ routers: FLEET, timeScale: 1 });
  const summary = await importInventory(
    database.db,
    secretKey,
    parseInventory(inventoryYaml(fleet.routers), 'yaml'),
  );
  expect(summary.problems).toEqual([]);
  for (const router of FLEET)
    idOf.set(router.name, (await new RoutersRepository(database.db).getByName(router.name))!.id);
  config = testConfig(database.url, secretKey, {
    LOG_LEVEL: 'silent',
    WORKER_CONCURRENCY: '20',
    SSH_CONNECT_TIMEOUT_MS: '3000',
    SSH_COMMAND_TIMEOUT_MS: '3000',
    SSH_SESSION_TIMEOUT_MS: '10000',
  });
});

afterAll(async () => {
  await worker?.close();
  await fleet?.close();
  await database?.drop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

function startWorker(): Promise<PollWorker> {
  return startWorkerProcess(config, database.db, logger, {
    prefix,
    inventoryChannel: channel,
    defaultEveryMs: EVERY_MS,
    syncIntervalMs: EVERY_MS,
    lockDurationMs: LOCK_MS,
    stalledIntervalMs: LOCK_MS / 2,
    shutdownGraceMs: 1_000,
  });
}

/** A separate `tunnelwatch worker`-like process on the same Redis and Postgres. */
async function startChildWorker(): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('../test/worker-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL,
      TUNNELWATCH_SECRET_KEY: secretKey.toString('hex'),
      LOG_LEVEL: 'silent',
      SSH_SESSION_TIMEOUT_MS: '10000',
      TW_PREFIX: prefix,
      TW_INVENTORY_CHANNEL: channel,
      TW_EVERY_MS: String(EVERY_MS),
      TW_LOCK_MS: String(LOCK_MS),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(chunk.toString()).toContain('ready');
  return child;
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | null | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

describe('polling a simulated fleet', () => {
  it('a worker killed mid-poll loses nothing: the poll is retried by another worker', async () => {
    const child = await startChildWorker();
    const queue = new Queue('poll', { connection: redis, prefix });
    const slowId = idOf.get('slow-1')!;
    // Wait until the child is inside slow-1's SSH session, then kill it without warning.
    const job = await waitFor('slow-1 to be polled', 3 * EVERY_MS, async () =>
      (await queue.getActive()).find((j) => j.data.routerId === slowId),
    );
    await sleep(300);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const killedAt = new Date();
    worker = await startWorker();
    await waitFor(
      'the killed poll to be retried and completed',
      6 * LOCK_MS + 5_000,
      async () => (await job.getState()) === 'completed',
    );
    const polls = await new PollsRepository(database.db).list({ routerId: slowId });
    expect(polls.items.some((p) => p.status === 'ok' && p.startedAt >= killedAt)).toBe(true);
    await queue.close();
  });

  it('after one round of polls the database holds exactly the simulator ground truth', async () => {
    const routers = new RoutersRepository(database.db);
    const tunnels = new TunnelsRepository(database.db);
    const polls = new PollsRepository(database.db);
    const roundStart = new Date();
    // One round: every router has a successful poll that started after this test began.
    await waitFor('a full round of polls', 2 * EVERY_MS + 8_000, async () => {
      for (const name of idOf.keys()) {
        const router = await routers.getByName(name);
        if (!router?.lastSuccessAt || router.lastSuccessAt < roundStart) return false;
      }
      return true;
    });
    for (const [name, id] of idOf) {
      // The newest successful poll brackets the moment the router was read.
      const poll = (await polls.list({ routerId: id })).items.find((p) => p.status === 'ok');
      expect(poll, name).toBeDefined();
      // Every command of every platform (ASA `show crypto map` included) reads without a parser warning.
      expect(
        Object.entries(poll!.warnings).filter(([, count]) => count > 0),
        `${name} parser warnings`,
      ).toEqual([]);
      const state = await tunnels.routerState(id);
      const before: RouterTruth = fleet.router(name).truth(poll!.startedAt.getTime());
      const after: RouterTruth = fleet.router(name).truth(state!.snapshotAt!.getTime());
      // A newer poll may have been saved between the two reads: compare against the snapshot the tables hold.
      expect(compareWithTruth(state!, before, after, 2_000), name).toEqual([]);
    }
  });

  it('rebuilds every schedule from Postgres within one interval after Redis lost everything', async () => {
    const queue = new Queue('poll', { connection: redis, prefix });
    expect(await queue.getJobSchedulersCount()).toBe(idOf.size);
    await deleteKeys(redis, `${prefix}:poll`);
    expect(await queue.getJobSchedulersCount()).toBe(0);
    const flushedAt = new Date();
    await waitFor(
      'schedulers rebuilt',
      EVERY_MS + 2_000,
      async () => (await queue.getJobSchedulersCount()) === idOf.size,
    );
    // And polling resumed for every router.
    const routers = new RoutersRepository(database.db);
    await waitFor('polls after the flush', 2 * EVERY_MS + 8_000, async () => {
      for (const name of idOf.keys()) {
        const router = await routers.getByName(name);
        if (!router?.lastSuccessAt || router.lastSuccessAt < flushedAt) return false;
      }
      return true;
    });
    await queue.close();
  });
});
