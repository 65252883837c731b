import { randomBytes } from 'node:crypto';
import { createLogger } from '@tunnelwatch/config';
import { PollsRepository, RoutersRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { type Fleet, startFleet } from '@tunnelwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFleet } from '../test/import-fleet.js';
import { deleteKeys, testRedis, uniquePrefix } from '../test/redis.js';
import { testConfig } from '../test/test-config.js';
import { type PollRouterDeps, pollRouterOnce } from './poll-router.js';
import { pollDepsFromConfig } from './run-worker.js';
import { SessionPool } from './session-pool.js';

// Kept sessions against real SSH (packages/sim): the router counts its logins, so a reused session is visible.
const prefix = uniquePrefix('session-pool');
const secretKey = randomBytes(32);
const redis = testRedis();
const NAMES = ['ios', 'xe', 'asa', 'hang'] as const;
const PLATFORMS = { ios: 'ios', xe: 'iosxe', asa: 'asa', hang: 'ios' } as const;

let database: TestDatabase;
let fleet: Fleet;
let base: PollRouterDeps;
let ids: Map<string, string>;
const pools: SessionPool[] = [];

function depsWith(
  options: { idleMs?: number; maxAgeMs?: number } = {},
): PollRouterDeps & { sessions: SessionPool } {
  const sessions = new SessionPool({
    idleMs: options.idleMs ?? 60_000,
    maxAgeMs: options.maxAgeMs ?? 60_000,
  });
  pools.push(sessions);
  return { ...base, sessions };
}

const poll = (deps: PollRouterDeps, name: string) =>
  pollRouterOnce(deps, ids.get(name)!, new AbortController().signal);

beforeAll(async () => {
  database = await createTestDatabase();
  fleet = await startFleet({
    timeScale: 1,
    routers: NAMES.map((name, i) => ({
      name,
      platform: PLATFORMS[name],
      tunnels: [{ peer: `198.51.100.${i + 1}`, ratePps: 50 }],
    })),
  });
  ids = await importFleet(database.db, secretKey, fleet);
  const config = testConfig(database.url, secretKey, {
    SSH_CONNECT_TIMEOUT_MS: '5000',
    SSH_COMMAND_TIMEOUT_MS: '1500',
  });
  base = pollDepsFromConfig(
    config,
    database.db,
    redis,
    createLogger({ level: 'silent', pretty: false }),
    prefix,
  );
});

afterAll(async () => {
  for (const pool of pools) pool.closeAll();
  await fleet?.close();
  await database?.drop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

/** A fresh pool holding one kept session to `name`, after one poll; the router's older connections dropped. */
async function keptSessionTo(name: string) {
  const deps = depsWith();
  const router = fleet.router(name);
  router.dropConnections();
  await expect.poll(() => router.connectionCount).toBe(0);
  expect((await poll(deps, name)).outcome).toMatchObject({ ok: true });
  expect(router.connectionCount).toBe(1);
  return { deps, router };
}

describe('polling over kept sessions', () => {
  it('polls each platform again over its first session: one login, fresh output every time', async () => {
    const deps = depsWith();
    for (const name of ['ios', 'xe', 'asa']) {
      const router = fleet.router(name);
      const logins = router.loginCount;
      const first = await poll(deps, name);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await poll(deps, name);
      expect(first.outcome, name).toMatchObject({ ok: true });
      expect(second.outcome, name).toMatchObject({ ok: true });
      expect(router.loginCount, name).toBe(logins + 1);
      expect(router.connectionCount, name).toBe(1);
      // The second poll read the router anew: its counters moved on and match the router at that time.
      const packets = (result: typeof first) => result.snapshot!.tunnels[0]!.flows[0]!.counters.encaps;
      expect(packets(second), name).toBeGreaterThan(packets(first));
      expect(packets(second), name).toBeLessThanOrEqual(router.truth().tunnels[0]!.flows[0]!.counters.encaps);
      expect(second.outcome.ok && second.outcome.bytesRead, name).toBeGreaterThan(100);
    }
    expect(deps.sessions.size).toBe(3);
  });

  it('logs in again, within the same poll, when the router dropped the kept session', async () => {
    const deps = depsWith();
    const router = fleet.router('ios');
    expect((await poll(deps, 'ios')).outcome).toMatchObject({ ok: true });
    const logins = router.loginCount;
    router.dropConnections();
    expect((await poll(deps, 'ios')).outcome).toMatchObject({ ok: true });
    expect(router.loginCount).toBe(logins + 1);
  });

  it('logs in again once a kept session reaches its maximum age, and closes the old one', async () => {
    const deps = depsWith({ maxAgeMs: 400 });
    const router = fleet.router('xe');
    router.dropConnections();
    expect((await poll(deps, 'xe')).outcome).toMatchObject({ ok: true });
    const logins = router.loginCount;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await poll(deps, 'xe')).outcome).toMatchObject({ ok: true });
    expect(router.loginCount).toBe(logins + 1);
    // The aged session was closed by the poll (on take) and the new one by keep (it is older than 400 ms too).
    await expect.poll(() => router.connectionCount).toBe(deps.sessions.size);
  });

  it('fails a poll whose kept session hangs as a timeout, without a second login behind it', async () => {
    const deps = depsWith();
    const router = fleet.router('hang');
    expect((await poll(deps, 'hang')).outcome).toMatchObject({ ok: true });
    const logins = router.loginCount;
    await router.setFault({ kind: 'hang-mid-output', afterBytes: 50 });
    try {
      const started = Date.now();
      const hung = await poll(deps, 'hang');
      expect(hung.outcome).toMatchObject({ ok: false, reason: 'timeout' });
      // What arrived before the hang is kept with the failed poll.
      const saved = (await new PollsRepository(database.db).list({ routerId: ids.get('hang')! })).items;
      expect(saved.find((p) => p.id === hung.outcome.pollId)?.bytesRead).toBeGreaterThanOrEqual(50);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(router.loginCount).toBe(logins);
      expect(deps.sessions.size).toBe(0);
    } finally {
      await router.setFault(null);
    }
    expect((await poll(deps, 'hang')).outcome).toMatchObject({ ok: true });
    expect(router.loginCount).toBe(logins + 1);
  });

  it('closes a disabled router’s kept session at its next (skipped) poll', async () => {
    const { deps, router } = await keptSessionTo('xe');
    const routers = new RoutersRepository(database.db);
    await routers.update('xe', { enabled: false });
    try {
      expect((await poll(deps, 'xe')).outcome).toMatchObject({ ok: false, reason: 'missing' });
      expect(deps.sessions.size).toBe(0);
      await expect.poll(() => router.connectionCount).toBe(0);
    } finally {
      await routers.update('xe', { enabled: true });
    }
  });

  it('closes every kept session on closeAll (worker shutdown)', async () => {
    const { deps, router } = await keptSessionTo('asa');
    deps.sessions.closeAll();
    await expect.poll(() => router.connectionCount).toBe(0);
  });
});
