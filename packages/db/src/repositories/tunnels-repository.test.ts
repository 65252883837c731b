import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePollResult } from '../save-poll-result.js';
import { createTestDatabase, sampleSnapshot, sampleTunnel, type TestDatabase } from '../testing.js';
import { EventsRepository } from './events-repository.js';
import { PollsRepository } from './polls-repository.js';
import { RawOutputsRepository } from './raw-outputs-repository.js';
import { RoutersRepository } from './routers-repository.js';
import { TunnelsRepository } from './tunnels-repository.js';

let t: TestDatabase;
let tunnels: TunnelsRepository;
const now = new Date('2026-11-30T01:00:00.000Z');
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  tunnels = new TunnelsRepository(t.db);
  const routers = new RoutersRepository(t.db);
  for (const name of ['alpha', 'beta'])
    ids[name] = (await routers.create({ name, host: name, platform: 'ios' })).id;
  // alpha: 5 tunnels, one expiring in 60 s, one down (configured), one in VRF INET; beta: 1 tunnel.
  await savePollResult(t.db, ids.alpha!, {
    status: 'ok',
    startedAt: now,
    finishedAt: now,
    bytesRead: 10,
    snapshot: sampleSnapshot(now, [
      sampleTunnel({ peer: '198.51.100.1', polledAt: now, remainingSeconds: 60 }),
      sampleTunnel({ peer: '198.51.100.2', polledAt: now }),
      sampleTunnel({ peer: '198.51.100.3', polledAt: now, state: 'down', configured: true }),
      sampleTunnel({ peer: '198.51.100.4', polledAt: now, fvrf: 'INET' }),
      sampleTunnel({ peer: '198.51.100.5', polledAt: now, flows: 2 }),
    ]),
    rawOutputs: { 'show crypto session': 'Crypto session current status' },
  });
  await savePollResult(t.db, ids.beta!, {
    status: 'ok',
    startedAt: now,
    finishedAt: now,
    bytesRead: 10,
    snapshot: sampleSnapshot(now, [sampleTunnel({ peer: '198.51.100.1', polledAt: now })]),
  });
  await savePollResult(t.db, ids.beta!, {
    status: 'failed',
    startedAt: new Date(now.getTime() + 60_000),
    finishedAt: new Date(now.getTime() + 61_000),
    bytesRead: 0,
    reason: 'auth',
  });
});
afterAll(async () => {
  await t?.drop();
});

describe('tunnels', () => {
  it('filters by router, state, peer, VRF and expiry', async () => {
    const peers = async (filter: Parameters<TunnelsRepository['list']>[0]) =>
      (await tunnels.list(filter)).items.map((x) => `${x.routerName}/${x.peer}/${x.fvrf}`).sort();
    expect(await peers({ routerName: 'beta' })).toEqual(['beta/198.51.100.1/']);
    expect(await peers({ state: 'down' })).toEqual(['alpha/198.51.100.3/']);
    expect(await peers({ peer: '198.51.100.1' })).toEqual(['alpha/198.51.100.1/', 'beta/198.51.100.1/']);
    expect(await peers({ vrf: 'INET' })).toEqual(['alpha/198.51.100.4/INET']);
    expect(await peers({ expiringWithinSeconds: 120, now })).toEqual(['alpha/198.51.100.1/']);
    expect(await peers({ routerId: ids.alpha!, configured: true })).toEqual(['alpha/198.51.100.3/']);
  });

  it('pages through all tunnels without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await tunnels.list({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it('returns one tunnel with flows, SAs and recent events', async () => {
    const detail = await tunnels.getByKey('alpha', '198.51.100.5');
    expect(detail?.flows).toHaveLength(2);
    expect(detail?.flows[0]?.sas.map((s) => s.direction).sort()).toEqual(['inbound', 'outbound']);
    expect(detail?.flows[0]?.counters.decaps).toBe(2000);
    expect(detail?.recentEvents.map((e) => e.kind)).toEqual(['tunnel_discovered']);
    expect(await tunnels.getByKey('alpha', '198.51.100.5', 'OTHER')).toBeNull();
  });

  it('gives each router its state for /metrics', async () => {
    const states = await tunnels.routerStates();
    expect(states.map((s) => [s.routerName, s.tunnels.length, s.lastPollOk])).toEqual([
      ['alpha', 5, true],
      ['beta', 1, false],
    ]);
    expect(states[1]?.pollFailures).toEqual({ auth: 1 });
    expect(states[0]?.cryptoMaps).toEqual([
      expect.objectContaining({ name: 'VPN', peers: ['198.51.100.3'] }),
    ]);
  });
});

describe('polls, events and raw outputs', () => {
  it('lists polls newest first with filters and paging', async () => {
    const polls = new PollsRepository(t.db);
    const all = await polls.list({ limit: 2 });
    expect(all.items[0]).toMatchObject({ routerName: 'beta', status: 'failed' });
    const rest = await polls.list({ limit: 2, cursor: all.nextCursor });
    expect(all.items.length + rest.items.length).toBe(3);
    expect(rest.nextCursor).toBeNull();
    expect((await polls.list({ failureReason: 'auth' })).items).toEqual([
      expect.objectContaining({ routerName: 'beta', failureReason: 'auth', durationMs: 1000 }),
    ]);
    expect((await polls.list({ routerName: 'alpha', status: 'ok' })).items).toEqual([
      expect.objectContaining({ tunnelCount: 5, bytesRead: 10 }),
    ]);
  });

  it('lists events with filters and paging', async () => {
    const events = new EventsRepository(t.db);
    const page1 = await events.list({ routerName: 'alpha', limit: 3 });
    const page2 = await events.list({ routerName: 'alpha', limit: 3, cursor: page1.nextCursor });
    expect([...page1.items, ...page2.items].map((e) => e.peer).sort()).toEqual([
      '198.51.100.1',
      '198.51.100.2',
      '198.51.100.3',
      '198.51.100.4',
      '198.51.100.5',
    ]);
    expect((await events.list({ kind: 'rekeyed' })).items).toEqual([]);
    const recorded = await events.record({
      routerId: ids.beta!,
      kind: 'remediation',
      detail: { command: 'clear' },
    });
    expect((await events.list({ kind: 'remediation' })).items).toEqual([recorded]);
  });

  it('keeps the last raw output per command', async () => {
    const raw = await new RawOutputsRepository(t.db).listForRouter(ids.alpha!);
    expect(raw).toEqual([expect.objectContaining({ command: 'show crypto session', polledAt: now })]);
  });
});
