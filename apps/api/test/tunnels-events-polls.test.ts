import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePoll } from './fleet.js';
import { startTestApi, type TestApi } from './helper.js';

let api: TestApi;
let read: string;
let routerId: string;
const polledAt = new Date(Date.now() - 60_000);

const get = (url: string) => api.app.inject({ url, headers: { authorization: read } });

beforeAll(async () => {
  api = await startTestApi();
  read = await api.bearer(['read']);
  const repos = api.app.repos;
  routerId = (await repos.routers.create({ name: 'hub-1', host: '192.0.2.1', platform: 'ios' })).id;
  await repos.routers.create({ name: 'hub-2', host: '192.0.2.2', platform: 'asa' });
  // First poll: 6 tunnels up; second poll: every third is down (a state_changed event each).
  await repos.polls.save(routerId, {
    status: 'ok',
    startedAt: new Date(polledAt.getTime() - 61_000),
    finishedAt: new Date(polledAt.getTime() - 60_000),
    bytesRead: 1,
    snapshot: samplePoll({ tunnels: 6, polledAt: new Date(polledAt.getTime() - 60_000) }),
  });
  await repos.polls.save(routerId, {
    status: 'ok',
    startedAt: new Date(polledAt.getTime() - 1000),
    finishedAt: polledAt,
    bytesRead: 1,
    snapshot: samplePoll({ tunnels: 6, polledAt, downEvery: 3 }),
  });
});
afterAll(() => api?.close());

describe('GET /api/v1/tunnels', () => {
  it('lists every tunnel, and filters by state, router, peer, VRF and expiry', async () => {
    expect((await get('/api/v1/tunnels')).json().items).toHaveLength(6);
    const down = (await get('/api/v1/tunnels?state=down')).json().items;
    expect(down.map((t: { peer: string }) => t.peer).sort()).toEqual(['10.0.0.2', '10.0.0.5']);
    expect((await get('/api/v1/tunnels?router=hub-2')).json().items).toEqual([]);
    expect((await get('/api/v1/tunnels?router=hub-1&peer=10.0.0.1')).json().items).toMatchObject([
      { peer: '10.0.0.1', routerName: 'hub-1', state: 'up' },
    ]);
    // vrf= (empty) is the global table; tunnel 9 of each ten is in CUST-A, so all six are global.
    expect((await get('/api/v1/tunnels?vrf=')).json().items).toHaveLength(6);
    expect((await get('/api/v1/tunnels?vrf=CUST-A')).json().items).toHaveLength(0);
    // Sample SAs expire 600 + 37·t s after the poll, which was a minute ago: tunnels 0 and 1 within 600 s of now,
    // 3 (651 s) not, and the down ones (2, 5) have no SA.
    const soon = (await get('/api/v1/tunnels?expiringWithin=600')).json().items;
    expect(soon.map((t: { peer: string }) => t.peer)).toEqual(['10.0.0.0', '10.0.0.1']);
  });

  it('pages with a cursor, each tunnel once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { peer: string }[]; nextCursor: string | null } = (
        await get(`/api/v1/tunnels?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((t) => t.peer));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']);
  });

  it.each([
    ['/api/v1/tunnels?state=sideways', 'query/state'],
    ['/api/v1/tunnels?expiringWithin=-1', 'query/expiringWithin must be >= 0'],
    ['/api/v1/tunnels?limit=1001', 'query/limit must be <= 1000'],
    ['/api/v1/tunnels?cursor=bm9wZQ', 'query/cursor'],
    ['/api/v1/tunnels/not-a-uuid', 'params/id must match format "uuid"'],
    // PostgreSQL text cannot hold NUL: refused up front, not as a database error.
    ['/api/v1/tunnels?peer=%00', 'query/peer must match pattern'],
  ])('400 for %s naming %s', async (url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });
});

describe('GET /api/v1/tunnels/{id}', () => {
  it('returns a tunnel with its flows, SAs and recent events', async () => {
    const [up] = (await get('/api/v1/tunnels?peer=10.0.0.1')).json().items;
    const res = await get(`/api/v1/tunnels/${up.id}`);
    expect(res.statusCode).toBe(200);
    const tunnel = res.json();
    expect(tunnel).toMatchObject({ peer: '10.0.0.1', state: 'up', ikeVersion: 'ikev2' });
    expect(tunnel.flows).toHaveLength(1);
    expect(tunnel.flows[0].sas.map((s: { direction: string }) => s.direction).sort()).toEqual([
      'inbound',
      'outbound',
    ]);
    expect(tunnel.flows[0].counters.encaps).toBe(1001);
    expect(tunnel.recentEvents.map((e: { kind: string }) => e.kind)).toContain('tunnel_discovered');
  });

  it('404 for an unknown id', async () => {
    const res = await get('/api/v1/tunnels/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('Not Found');
  });
});

describe('GET /api/v1/events', () => {
  it('lists events newest first with filters', async () => {
    const changed = (await get('/api/v1/events?kind=state_changed&router=hub-1')).json().items;
    expect(changed.map((e: { peer: string }) => e.peer).sort()).toEqual(['10.0.0.2', '10.0.0.5']);
    const all = (await get('/api/v1/events')).json().items;
    const times = all.map((e: { at: string }) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect((await get('/api/v1/events?peer=10.0.0.2&kind=state_changed')).json().items).toHaveLength(1);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await get(`/api/v1/events?since=${future}`)).json().items).toEqual([]);
  });

  it('pages', async () => {
    const first = (await get('/api/v1/events?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const next = (await get(`/api/v1/events?limit=3&cursor=${first.nextCursor}`)).json();
    expect(next.items[0].id).not.toBe(first.items[0].id);
  });

  it.each([
    ['/api/v1/events?kind=explosion', 'query/kind'],
    ['/api/v1/events?since=yesterday', 'query/since must match format "date-time"'],
    ['/api/v1/events?tunnel=42', 'query/tunnel must match format "uuid"'],
  ])('400 for %s', async (url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });
});

describe('GET /api/v1/polls', () => {
  it('lists polls newest first with filters, and one poll by id', async () => {
    await api.app.repos.polls.save(routerId, {
      status: 'failed',
      reason: 'auth',
      detail: 'login refused',
      startedAt: new Date(),
      finishedAt: new Date(),
      bytesRead: 0,
    });
    const all = (await get('/api/v1/polls?router=hub-1')).json().items;
    expect(all.map((p: { status: string }) => p.status)).toEqual(['failed', 'ok', 'ok']);
    const failed = (await get('/api/v1/polls?status=failed&reason=auth')).json().items;
    expect(failed).toMatchObject([
      { routerName: 'hub-1', failureReason: 'auth', failureDetail: 'login refused' },
    ]);
    const one = await get(`/api/v1/polls/${all[1].id}`);
    expect(one.json()).toMatchObject({ id: all[1].id, status: 'ok', tunnelCount: 6 });
    expect((await get('/api/v1/polls/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it.each([
    ['/api/v1/polls?status=maybe', 'query/status'],
    ['/api/v1/polls?reason=bored', 'query/reason'],
    ['/api/v1/polls/x', 'params/id'],
  ])('400 for %s', async (url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });
});
