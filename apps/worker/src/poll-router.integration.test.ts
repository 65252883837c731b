import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createLogger } from '@tunnelwatch/config';
import { PollsRepository, RoutersRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { type Fleet, type RouterSpec, type SimRouter, startFleet } from '@tunnelwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFleet } from '../test/import-fleet.js';
import { deleteKeys, testRedis, uniquePrefix } from '../test/redis.js';
import { testConfig } from '../test/test-config.js';
import { type PollRouterDeps, pollRouterOnce } from './poll-router.js';
import { pollDepsFromConfig } from './run-worker.js';

/** Each command of `slow-ios` waits this long before its output, so its session lasts many seconds. */
const LATENCY_MS = 2_000;
const prefix = uniquePrefix('poll-router');
const secretKey = randomBytes(32);
const redis = testRedis();

const ROUTERS: RouterSpec[] = [
  {
    name: 'ios',
    platform: 'ios',
    tunnels: [{ peer: '198.51.100.1' }, { peer: '198.51.100.3', ikeVersion: 2 }],
  },
  {
    name: 'xe',
    platform: 'iosxe',
    tunnels: [{ peer: '203.0.113.7' }, { peer: '203.0.113.8', ikeVersion: 2 }],
  },
  {
    name: 'asa',
    platform: 'asa',
    tunnels: [{ peer: '192.0.2.201' }, { peer: '192.0.2.202', ikeVersion: 2 }],
  },
  { name: 'slow-ios', platform: 'ios', commandLatencyMs: LATENCY_MS, tunnels: [{ peer: '198.51.100.77' }] },
  { name: 'disabled', platform: 'ios', tunnels: [{ peer: '198.51.100.9' }] },
];

let database: TestDatabase;
let fleet: Fleet;
let deps: PollRouterDeps;
/** The poll's log lines at debug level and up. */
const logMessages: string[] = [];
let ids: Map<string, string>;
const poll = (name: string) => pollRouterOnce(deps, ids.get(name)!, new AbortController().signal);

beforeAll(async () => {
  database = await createTestDatabase();
  fleet = await startFleet({ routers: ROUTERS, timeScale: 1 });
  ids = await importFleet(database.db, secretKey, fleet);
  const config = testConfig(database.url, secretKey, {
    SSH_CONNECT_TIMEOUT_MS: '5000',
    SSH_COMMAND_TIMEOUT_MS: String(LATENCY_MS + 5_000),
    SSH_SESSION_TIMEOUT_MS: '60000',
  });
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logMessages.push(JSON.parse(line).msg);
  });
  const logger = createLogger({ level: 'debug', pretty: false, destination: stream });
  deps = pollDepsFromConfig(config, database.db, redis, logger, prefix);
});

afterAll(async () => {
  await fleet?.close();
  await database?.drop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

/**
 * The sim prints remaining lifetimes rounded down to the second, so one reading says the expiry only to within
 * a second. The exact instant is where the printed value steps down: found by bisecting the ground truth.
 */
function exactExpiry(remainingAt: (atMs: number) => number): number {
  let low = fleet.clock.now();
  const remaining = remainingAt(low);
  let high = low + 1_000;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (remainingAt(middle) === remaining) low = middle;
    else high = middle;
  }
  return high + remaining * 1_000;
}

function tunnelTruth(router: SimRouter, peer: string, atMs: number) {
  return router.truth(atMs).tunnels.find((tunnel) => tunnel.peer === peer)!;
}

describe('pollRouterOnce', () => {
  it('reports each IKE SA in its protocol state (QM_IDLE, MM_ACTIVE, READY), not a status', async () => {
    for (const name of ['ios', 'xe', 'asa']) {
      const { outcome, snapshot } = await poll(name);
      expect(outcome, name).toMatchObject({ ok: true });
      const truth = fleet.router(name).truth();
      for (const tunnel of truth.tunnels) {
        const seen = snapshot!.tunnels.find((candidate) => candidate.peer === tunnel.peer);
        expect(seen?.ike, `${name} ${tunnel.peer}`).toMatchObject({
          state: tunnel.ike!.state,
          established: true,
        });
      }
    }
  });

  it('stamps SA expiry from when each output was read, not from the end of a slow session', async () => {
    const router = fleet.router('slow-ios');
    const peer = '198.51.100.77';
    const started = Date.now();
    const { outcome, snapshot } = await poll('slow-ios');
    expect(outcome).toMatchObject({ ok: true });
    // The session really was slow: every command (terminal setup included) waited LATENCY_MS.
    expect(Date.now() - started).toBeGreaterThan(6 * LATENCY_MS);

    const tunnel = snapshot!.tunnels.find((candidate) => candidate.peer === peer)!;
    // Printed values round down (up to 1 s early); reading happens just after printing (a little late). A stamp
    // from the end of the session would be at least LATENCY_MS late for the IPsec SAs (one command follows
    // `show crypto ipsec sa`) and 3 × LATENCY_MS for the ISAKMP detail.
    const expectOnTime = (expiresAt: Date | null | undefined, exact: number, what: string) => {
      expect(expiresAt, what).toBeInstanceOf(Date);
      const error = expiresAt!.getTime() - exact;
      expect(error, `${what}: ${error} ms off`).toBeGreaterThanOrEqual(-1_050);
      expect(error, `${what}: ${error} ms off`).toBeLessThanOrEqual(500);
    };
    expectOnTime(
      tunnel.ike?.expiresAt,
      exactExpiry((at) => tunnelTruth(router, peer, at).ike!.remainingSeconds),
      'IKE SA',
    );
    const sas = tunnel.flows.flatMap((flow) => flow.sas);
    expect(sas.length).toBeGreaterThanOrEqual(2);
    for (const sa of sas) {
      const exact = exactExpiry(
        (at) =>
          tunnelTruth(router, peer, at)
            .flows.flatMap((flow) => flow.sas)
            .find((candidate) => candidate.spi === sa.spi)!.remainingSeconds,
      );
      expectOnTime(sa.expiresAt, exact, `${sa.direction} SA ${sa.spi}`);
    }
  }, 60_000);

  it('skips a router disabled since its job was made: no login, nothing saved, a debug line', async () => {
    const name = 'disabled';
    const router = fleet.router(name);
    expect((await poll(name)).outcome).toMatchObject({ ok: true });
    await new RoutersRepository(database.db).update(name, { enabled: false });
    // Were it to log in, the refused connection would fail the poll as `unreachable` and save it.
    await router.setFault({ kind: 'refuse' });
    const polls = new PollsRepository(database.db);
    const before = (await polls.list({ routerId: ids.get(name)! })).items.length;
    const { outcome, snapshot } = await poll(name);
    expect(outcome).toMatchObject({ ok: false, reason: 'missing', message: 'router disabled', retry: false });
    expect(snapshot).toBeNull();
    expect((await polls.list({ routerId: ids.get(name)! })).items).toHaveLength(before);
    expect(logMessages).toContain('poll skipped: router disabled');

    await new RoutersRepository(database.db).delete(name);
    expect((await poll(name)).outcome).toMatchObject({
      ok: false,
      reason: 'missing',
      message: 'router deleted',
    });
    await router.setFault(null);
  });
});
