import { randomBytes } from 'node:crypto';
import { createLogger } from '@tunnelwatch/config';
import { PollsRepository, RoutersRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { type Fault, type Fleet, type RouterSpec, startFleet } from '@tunnelwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFleet } from '../test/import-fleet.js';
import { deleteKeys, testRedis, uniquePrefix } from '../test/redis.js';
import { testConfig } from '../test/test-config.js';
import { type PollRouterDeps, pollRouterOnce } from './poll-router.js';
import { pollDepsFromConfig } from './run-worker.js';

const CONNECT_MS = 1_500;
const COMMAND_MS = 1_500;
const SLACK_MS = 2_500;
const prefix = uniquePrefix('faults');
const secretKey = randomBytes(32);
const redis = testRedis();

/** One router per simulator fault, and the reason each must produce (null: the poll succeeds). */
const FAULTS: { name: string; fault: Fault; reason: string | null; withinMs: number; warnings?: boolean }[] =
  [
    { name: 'f-refuse', fault: { kind: 'refuse' }, reason: 'unreachable', withinMs: CONNECT_MS },
    {
      name: 'f-hang-connect',
      fault: { kind: 'hang-on-connect' },
      reason: 'timeout',
      withinMs: CONNECT_MS * 2,
    },
    {
      name: 'f-hang-output',
      fault: { kind: 'hang-mid-output', afterBytes: 200 },
      reason: 'timeout',
      withinMs: COMMAND_MS * 2,
    },
    {
      name: 'f-drop',
      fault: { kind: 'drop-mid-output', afterBytes: 200 },
      reason: 'unreachable',
      withinMs: COMMAND_MS,
    },
    { name: 'f-reject', fault: { kind: 'reject-login' }, reason: 'auth', withinMs: CONNECT_MS },
    { name: 'f-garbage', fault: { kind: 'garbage' }, reason: null, withinMs: COMMAND_MS, warnings: true },
    { name: 'f-paging', fault: { kind: 'force-paging' }, reason: null, withinMs: COMMAND_MS * 2 },
  ];
const ROUTERS: RouterSpec[] = [
  ...FAULTS.map((f) => ({ name: f.name, platform: 'ios' as const, tunnels: [{ peer: '198.51.100.9' }] })),
  { name: 'healthy', platform: 'iosxe', tunnels: [{ peer: '203.0.113.9' }] },
  { name: 'rekeyed-host', platform: 'asa', tunnels: [{ peer: '192.0.2.99' }] },
];

let database: TestDatabase;
let fleet: Fleet;
let deps: PollRouterDeps;
let ids: Map<string, string>;
const poll = (name: string) => pollRouterOnce(deps, ids.get(name)!, new AbortController().signal);

beforeAll(async () => {
  database = await createTestDatabase();
  fleet = await startFleet({ routers: ROUTERS, timeScale: 1 });
  ids = await importFleet(database.db, secretKey, fleet);
  const config = testConfig(database.url, secretKey, {
    SSH_CONNECT_TIMEOUT_MS: String(CONNECT_MS),
    SSH_COMMAND_TIMEOUT_MS: String(COMMAND_MS),
    SSH_SESSION_TIMEOUT_MS: '8000',
  });
  deps = pollDepsFromConfig(config, database.db, redis, createLogger({ level: 'silent' }), prefix);
});

afterAll(async () => {
  await fleet?.close();
  await database?.drop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('a poll of a misbehaving router', () => {
  it('fails with the right reason within its timeout, while a healthy router is polled at full speed', async () => {
    for (const { name, fault } of FAULTS) await fleet.router(name).setFault(fault);
    const finished = new Map<string, number>();
    const started = Date.now();
    const results = await Promise.all(
      [...FAULTS.map((f) => f.name), 'healthy'].map(async (name) => {
        const result = await poll(name);
        finished.set(name, Date.now() - started);
        return [name, result] as const;
      }),
    );
    const byName = new Map(results);
    for (const { name, reason, withinMs, warnings } of FAULTS) {
      const { outcome, snapshot } = byName.get(name)!;
      if (reason === null) {
        expect(outcome, name).toMatchObject({ ok: true });
        const count = Object.values(snapshot!.warnings).reduce((a, b) => a + b, 0);
        if (warnings) expect(count, `${name} warnings`).toBeGreaterThan(0);
        else expect(count, `${name} warnings`).toBe(0);
      } else {
        expect(outcome, name).toMatchObject({ ok: false, reason });
      }
      expect(finished.get(name), `${name} took`).toBeLessThanOrEqual(withinMs + SLACK_MS);
    }
    // Authentication failures are never retried (account lockouts); lost connections and timeouts are.
    expect(byName.get('f-reject')!.outcome).toMatchObject({ retry: false });
    expect(byName.get('f-hang-connect')!.outcome).toMatchObject({ retry: true });
    // The healthy router did not wait behind the hanging ones.
    expect(byName.get('healthy')!.outcome).toMatchObject({ ok: true, tunnelCount: 1 });
    expect(finished.get('healthy')!).toBeLessThan(finished.get('f-hang-output')!);
    expect(finished.get('healthy')!).toBeLessThan(finished.get('f-hang-connect')!);

    // Every failure is in the database with its classified reason.
    const polls = new PollsRepository(database.db);
    for (const { name, reason } of FAULTS) {
      const [latest] = (await polls.list({ routerId: ids.get(name)! })).items;
      expect(latest, name).toMatchObject(
        reason ? { status: 'failed', failureReason: reason } : { status: 'ok' },
      );
    }
    for (const { name } of FAULTS) await fleet.router(name).setFault(null);
  });

  it('a changed host key fails every poll until it is accepted', async () => {
    const routers = new RoutersRepository(database.db);
    expect((await poll('rekeyed-host')).outcome.ok).toBe(true);
    const pinned = (await routers.getByName('rekeyed-host'))!.hostKey;
    expect(pinned).toBe(fleet.router('rekeyed-host').access.hostKeyFingerprint);

    const presented = fleet.router('rekeyed-host').changeHostKey();
    for (let i = 0; i < 2; i++) {
      expect((await poll('rekeyed-host')).outcome).toMatchObject({
        ok: false,
        reason: 'host_key',
        retry: false,
      });
    }
    const waiting = (await routers.getByName('rekeyed-host'))!;
    expect(waiting.hostKey).toBe(pinned);
    expect(waiting.pendingHostKey).toBe(presented);

    await routers.acceptHostKey('rekeyed-host');
    expect((await poll('rekeyed-host')).outcome.ok).toBe(true);
    expect((await routers.getByName('rekeyed-host'))!.hostKey).toBe(presented);
  });
});
