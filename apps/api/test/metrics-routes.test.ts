import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePoll } from './fleet.js';
import { eventually, startTestApi, type TestApi } from './helper.js';
import { promtoolCheck, samples } from './promtool.js';

let api: TestApi;
let read: string;
const polledAt = new Date('2026-11-30T01:00:00.000Z');
const snapshot = samplePoll({ tunnels: 4, polledAt, downEvery: 4, flows: 2 });

async function scrape(url: string) {
  const res = await api.app.inject({ url, headers: { authorization: read } });
  expect(res.statusCode).toBe(200);
  return res.body;
}

beforeAll(async () => {
  api = await startTestApi();
  read = await api.bearer(['read']);
  const repos = api.app.repos;
  for (const name of ['edge-1', 'edge-2', 'edge-3']) {
    await repos.routers.create({ name, host: '192.0.2.10', platform: 'iosxe' });
  }
  const edge1 = (await repos.routers.getByName('edge-1'))!;
  await repos.polls.save(edge1.id, {
    status: 'ok',
    startedAt: new Date(polledAt.getTime() - 2500),
    finishedAt: polledAt,
    bytesRead: 1000,
    snapshot,
  });
  await repos.polls.save(edge1.id, {
    status: 'failed',
    reason: 'timeout',
    startedAt: new Date(polledAt.getTime() + 57_000),
    finishedAt: new Date(polledAt.getTime() + 60_000),
    bytesRead: 0,
  });
  // The API learnt about the routers before the polls were saved (created directly in the db here): the
  // worker's publication is what brings the snapshot up to date.
  await api.app.syncInventory();
  await api.publishPolled(edge1.id);
  await eventually(async () => {
    expect(await scrape('/metrics?router=edge-1')).toContain(
      'tunnelwatch_router_poll_failures_total{router="edge-1",reason="timeout"} 1',
    );
  });
});
afterAll(() => api?.close());

describe('/metrics from the saved polls', () => {
  it('serves what savePollResult stored: router outcome, tunnel states, flow counters and SA expiry', async () => {
    const s = samples(await scrape('/metrics?router=edge-1'));
    const T = polledAt.getTime() / 1000;
    expect(s.get('tunnelwatch_router_up{router="edge-1"}')).toBe(0);
    expect(s.get('tunnelwatch_router_last_poll_timestamp_seconds{router="edge-1"}')).toBe(T + 60);
    expect(s.get('tunnelwatch_router_last_success_timestamp_seconds{router="edge-1"}')).toBe(T);
    expect(s.get('tunnelwatch_router_poll_duration_seconds{router="edge-1"}')).toBe(3);
    for (const tunnel of snapshot.tunnels) {
      const base = `router="edge-1",peer="${tunnel.peer}",vrf="${tunnel.fvrf}"`;
      expect(s.get(`tunnelwatch_tunnel_up{${base},interface="GigabitEthernet0/0"}`)).toBe(
        tunnel.state === 'up' ? 1 : 0,
      );
      expect(s.get(`tunnelwatch_ike_sa_up{${base},ike_version="ikev2"}`)).toBe(tunnel.state === 'up' ? 1 : 0);
      for (const flow of tunnel.flows) {
        const l = (d: string) =>
          `{${base},local_ident="${flow.localIdent}",remote_ident="${flow.remoteIdent}",direction="${d}"}`;
        expect(s.get(`tunnelwatch_ipsec_packets_total${l('out')}`)).toBe(flow.counters.encaps);
        expect(s.get(`tunnelwatch_ipsec_crypto_packets_total${l('in')}`)).toBe(flow.counters.decrypt);
        expect(s.get(`tunnelwatch_ipsec_auth_packets_total${l('in')}`)).toBe(flow.counters.verify);
        expect(s.get(`tunnelwatch_ipsec_errors_total${l('in')}`)).toBe(flow.counters.recvErrors);
        expect(s.get(`tunnelwatch_ipsec_sa_count${l('in')}`)).toBe(flow.inbound.saCount);
        const newest = flow.outbound.newest;
        expect(s.get(`tunnelwatch_ipsec_sa_expiry_timestamp_seconds${l('out')}`)).toBe(
          newest?.expiresAt ? newest.expiresAt.getTime() / 1000 : 0,
        );
        expect(s.get(`tunnelwatch_ipsec_sa_remaining_seconds${l('out')}`)).toBe(
          newest?.remainingSeconds ?? 0,
        );
      }
    }
  });

  it('the whole exposition passes promtool, with the process metrics on a plain scrape only', async () => {
    const full = await scrape('/metrics');
    expect(promtoolCheck(full)).toEqual({ parseError: null, findings: [] });
    expect(full).toContain('tunnelwatch_api_snapshot_age_seconds');
    expect(full).toContain('tunnelwatch_api_poll_queue_jobs{state="waiting"}');
    expect(full).toContain('process_cpu_seconds_total');
    const one = await scrape('/metrics?router=edge-2');
    expect(promtoolCheck(one)).toEqual({ parseError: null, findings: [] });
    expect(one).not.toContain('tunnelwatch_api_');
    expect(one).toContain('tunnelwatch_router_up{router="edge-2"} 0');
    expect(one).not.toContain('edge-1');
  });

  it('sends the exposition uncompressed with its length, also to a client that accepts gzip', async () => {
    const res = await api.app.inject({
      url: '/metrics',
      headers: { authorization: read, 'accept-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    expect(res.body).toContain('tunnelwatch_router_up{router="edge-2"} 0\n');
    const head = await api.app.inject({
      method: 'HEAD',
      url: '/metrics?shard=0&shards=1',
      headers: { authorization: read },
    });
    const get = await api.app.inject({ url: '/metrics?shard=0&shards=1', headers: { authorization: read } });
    expect(head.statusCode).toBe(200);
    expect(head.rawPayload.length).toBe(0);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('shards split the routers without overlap', async () => {
    const routersIn = (text: string) =>
      new Set([...text.matchAll(/tunnelwatch_router_up\{router="([^"]+)"/g)].map((m) => m[1] ?? ''));
    const seen: string[] = [];
    for (let k = 0; k < 2; k++) seen.push(...routersIn(await scrape(`/metrics?shard=${k}&shards=2`)));
    expect(seen.sort()).toEqual(['edge-1', 'edge-2', 'edge-3']);
  });

  it.each([
    ['/metrics?router=nope', 404, 'router "nope" not found'],
    ['/metrics?shard=1', 400, 'query/shard and query/shards go together'],
    ['/metrics?shard=2&shards=2', 400, 'query/shard must be below query/shards'],
    ['/metrics?shards=0&shard=0', 400, 'query/shards must be >= 1'],
    ['/metrics?router=edge-1&shards=2&shard=0', 400, 'cannot be combined'],
    ['/metrics?foo=1', 400, 'query must not have the property "foo"'],
    ['/sd?shards=abc', 400, 'query/shards must be integer'],
  ])('%s → %i naming the problem', async (url, status, message) => {
    const res = await api.app.inject({ url, headers: { authorization: read } });
    expect(res.statusCode).toBe(status);
    expect(res.json().message).toContain(message);
  });
});

describe('/sd', () => {
  it('returns one target group per router, scraped on the address Prometheus used', async () => {
    const res = await api.app.inject({
      url: '/sd',
      headers: { authorization: read, host: 'tw.example:8080' },
    });
    expect(res.json()).toEqual(
      ['edge-1', 'edge-2', 'edge-3'].map((name) => ({
        targets: ['tw.example:8080'],
        labels: { __param_router: name, router: name },
      })),
    );
  });

  it('returns one group per shard with ?shards=N', async () => {
    const res = await api.app.inject({ url: '/sd?shards=2', headers: { authorization: read, host: 'tw:1' } });
    expect(res.json()).toEqual(
      [0, 1].map((k) => ({
        targets: ['tw:1'],
        labels: {
          __param_shard: String(k),
          __param_shards: '2',
          __meta_tunnelwatch_shard: String(k),
          shard: String(k),
        },
      })),
    );
  });

  it('follows inventory changes made through the API', async () => {
    const write = await api.bearer(['write']);
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/v1/routers',
      headers: { authorization: write },
      payload: { name: 'edge-4', host: 'edge-4.example', platform: 'asa' },
    });
    expect(created.json()).toMatchObject({ name: 'edge-4' });
    expect(created.statusCode).toBe(201);
    const names = (await api.app.inject({ url: '/sd', headers: { authorization: read } }))
      .json()
      .map((g: { labels: { router: string } }) => g.labels.router);
    expect(names).toContain('edge-4');
    await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/routers/edge-4',
      headers: { authorization: write },
    });
    const after = (await api.app.inject({ url: '/sd', headers: { authorization: read } })).json();
    expect(after.map((g: { labels: { router: string } }) => g.labels.router)).not.toContain('edge-4');
  });
});
