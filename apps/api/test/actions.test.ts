import type { AuditEntryView } from '@tunnelwatch/db';
import type { RouterTruth } from '@tunnelwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, createApiServer } from '../src/server.js';
import { eventually } from './helper.js';
import { type RemediationFixture, startRemediationFixture } from './remediation-fixture.js';

// Remediation end to end (docs/remediation.md): the real API, the real remediation worker, the simulator over
// SSH, Postgres and Redis. Refused requests must leave the simulator exactly as it was and the queue empty.

let f: RemediationFixture;

beforeAll(async () => {
  f = await startRemediationFixture({
    routers: [
      { name: 'r1', platform: 'iosxe', tunnels: [{ peer: '198.51.100.2' }, { peer: '198.51.100.3' }] },
      { name: 'r2', platform: 'ios', tunnels: [{ peer: '203.0.113.9' }] },
      { name: 'asa1', platform: 'asa', tunnels: [{ peer: '192.0.2.201' }, { peer: '192.0.2.202' }] },
    ],
    tokens: { 'noc-alice': ['read', 'operate'], 'viewer-bob': ['read', 'write'] },
    limits: { maxPerWindow: 2, windowMs: 15 * 60_000, staleAfterMs: 10 * 60_000 },
  });
});

afterAll(() => f?.close());

const post = (url: string, who: string | null, payload?: object, app: ApiServer = f.api.app) =>
  app.inject({
    method: 'POST',
    url,
    ...(payload ? { payload } : {}),
    headers: who ? { authorization: f.bearer[who]! } : {},
  });
const get = (url: string) => f.api.app.inject({ url, headers: { authorization: f.bearer['noc-alice']! } });
const clearSa = (key: string, who: string | null, payload?: object, app?: ApiServer) =>
  post(`/api/v1/tunnels/${f.tunnelIds.get(key)}/actions/clear-sa`, who, payload, app);

async function finished(actionId: string) {
  let body: { status: string } & Record<string, unknown> = { status: '' };
  await eventually(async () => {
    body = (await get(`/api/v1/actions/${actionId}`)).json();
    expect(['succeeded', 'failed']).toContain(body.status);
    // The job completes in BullMQ just after the action is recorded.
    expect(await f.queue.getJobCounts('active', 'waiting')).toEqual({ active: 0, waiting: 0 });
  }, 30_000);
  return body;
}

function spis(truth: RouterTruth, peer: string): number[] {
  return truth.tunnels.find((t) => t.peer === peer)!.flows.flatMap((f) => f.sas.map((sa) => sa.spi));
}

async function auditRows(action: string): Promise<AuditEntryView[]> {
  return (await f.api.app.repos.auditLog.list({ action, limit: 1000 })).items;
}

/** What a refused request must not change: the simulator, the queue, the actions table. */
async function state() {
  return {
    truths: Object.fromEntries(f.fleet.all().map((r) => [r.name, r.truth()])),
    jobs: await f.queue.getJobCounts(),
    actions: await f.api.app.db.prisma.remediationAction.count(),
  };
}

/** Nothing was queued and nothing reached the simulator. */
async function expectNothingSent(before: Awaited<ReturnType<typeof state>>) {
  expect(await state()).toEqual(before);
}

describe('POST /tunnels/{id}/actions/clear-sa', () => {
  it('clears the SAs on the router: counters reset, new SPIs in the next poll, event and audit rows', async () => {
    const before = f.fleet.router('r1').truth();
    const tunnelId = f.tunnelIds.get('r1/198.51.100.2')!;
    const res = await clearSa('r1/198.51.100.2', 'noc-alice', { reason: 'stuck SA, ticket NOC-42' });
    expect(res.statusCode).toBe(202);
    const action = res.json();
    expect(action).toMatchObject({
      status: 'queued',
      kind: 'clear_crypto_sa',
      router: 'r1',
      peer: '198.51.100.2',
      command: 'clear crypto sa peer 198.51.100.2',
      requestedBy: 'noc-alice',
    });
    expect(res.headers.location).toBe(`/api/v1/actions/${action.id}`);

    expect(await finished(action.id)).toMatchObject({
      status: 'succeeded',
      output: '',
      error: null,
      pollOk: true,
    });
    const after = f.fleet.router('r1').truth();
    const peer = after.tunnels.find((t) => t.peer === '198.51.100.2')!;
    expect(peer.flows[0]!.counters.encaps).toBe(0);
    expect(spis(after, '198.51.100.2').some((spi) => spis(before, '198.51.100.2').includes(spi))).toBe(false);
    expect(spis(after, '198.51.100.3')).toEqual(spis(before, '198.51.100.3'));

    const tunnel = (await get(`/api/v1/tunnels/${tunnelId}`)).json();
    expect(spis(after, '198.51.100.2')).toContain(tunnel.flows[0].inbound.spi);
    expect(tunnel.flows[0].counters.encaps).toBe(0);
    const events = (await get(`/api/v1/events?kind=remediation`)).json().items;
    expect(events).toContainEqual(
      expect.objectContaining({
        tunnelId,
        peer: '198.51.100.2',
        detail: expect.objectContaining({
          actionId: action.id,
          outcome: 'succeeded',
          requestedBy: 'noc-alice',
        }),
      }),
    );
    const audit = (await auditRows('remediation.clear-crypto-sa')).filter(
      (a) => a.detail.actionId === action.id,
    );
    expect(audit.map((a) => [a.actor, a.target, a.detail.outcome])).toEqual([
      ['noc-alice', '198.51.100.2', 'succeeded'],
      ['noc-alice', '198.51.100.2', 'accepted'],
    ]);
    expect(audit[1]?.detail.reason).toBe('stuck SA, ticket NOC-42');
  });

  it('403 without the operate scope, with an audit row naming the token, and nothing sent', async () => {
    const before = await state();
    const res = await clearSa('r1/198.51.100.3', 'viewer-bob');
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/operate/);
    await expectNothingSent(before);
    const [row] = (await auditRows('remediation.clear-crypto-sa')).filter((a) => a.actor === 'viewer-bob');
    expect(row).toMatchObject({
      target: '198.51.100.3',
      routerId: (await f.api.app.repos.routers.getByName('r1'))!.id,
      detail: { outcome: 'refused', status: 403 },
    });
  });

  it('401 without a token is refused and audited as unauthenticated', async () => {
    const before = await state();
    expect((await clearSa('r1/198.51.100.3', null)).statusCode).toBe(401);
    await expectNothingSent(before);
    const rows = (await auditRows('remediation.clear-crypto-sa')).filter(
      (a) => a.actor === 'unauthenticated',
    );
    expect(rows.map((r) => r.detail.status)).toEqual([401]);
  });

  it('422 for a tunnel whose peer is not an IP address, and nothing sent', async () => {
    const r1 = (await f.api.app.repos.routers.getByName('r1'))!;
    const now = new Date();
    const odd = await f.api.app.db.prisma.tunnel.create({
      data: {
        routerId: r1.id,
        peer: '198.51.100.3\nreload',
        state: 'down',
        firstSeenAt: now,
        lastSeenAt: now,
        lastChangeAt: now,
      },
    });
    const before = await state();
    const res = await post(`/api/v1/tunnels/${odd.id}/actions/clear-sa`, 'noc-alice');
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/must be an IPv4 or IPv6 address/);
    await expectNothingSent(before);
    const [row] = (await auditRows('remediation.clear-crypto-sa')).filter((a) => a.detail.status === 422);
    expect(row).toMatchObject({ actor: 'noc-alice', detail: { outcome: 'refused', tunnelId: odd.id } });
    await f.api.app.db.prisma.tunnel.delete({ where: { id: odd.id } });
  });

  it('403 when the feature is off, and nothing sent', async () => {
    const off = createApiServer({ ...f.api.options, remediationEnabled: false });
    try {
      await off.ready();
      const before = await state();
      const res = await clearSa('r1/198.51.100.3', 'noc-alice', undefined, off);
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/REMEDIATION_ENABLED/);
      const settings = await off.inject({
        url: '/api/v1/remediation',
        headers: { authorization: f.bearer['noc-alice']! },
      });
      expect(settings.json()).toEqual({ enabled: false, canOperate: true });
      await expectNothingSent(before);
      const rows = (await auditRows('remediation.clear-crypto-sa')).filter((a) =>
        String(a.detail.message).includes('REMEDIATION_ENABLED'),
      );
      expect(rows).toHaveLength(1);
    } finally {
      await off.close();
    }
  });
});

describe('POST /routers/{name}/actions/clear-isakmp', () => {
  it('4xx without the confirmation or with another name, and nothing sent', async () => {
    const before = await state();
    const missing = await post('/api/v1/routers/r1/actions/clear-isakmp', 'noc-alice', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/confirm/);
    const wrong = await post('/api/v1/routers/r1/actions/clear-isakmp', 'noc-alice', { confirm: 'R1' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().message).toMatch(/router name exactly/);
    await expectNothingSent(before);
    const rows = (await auditRows('remediation.clear-crypto-isakmp')).map((a) => [a.target, a.detail.status]);
    expect(rows).toEqual([
      ['r1', 422],
      ['r1', 400],
    ]);
  });

  it('with the confirmation: every IKE SA of the router is new', async () => {
    const before = f.fleet.router('r1').truth();
    const res = await post('/api/v1/routers/r1/actions/clear-isakmp', 'noc-alice', { confirm: 'r1' });
    expect(res.statusCode).toBe(202);
    expect(await finished(res.json().id)).toMatchObject({
      status: 'succeeded',
      command: 'clear crypto isakmp',
    });
    const after = f.fleet.router('r1').truth();
    for (const [i, tunnel] of after.tunnels.entries()) {
      expect(tunnel.ike?.localSpi).not.toBe(before.tunnels[i]!.ike?.localSpi);
    }
  });
});

describe('routers that cannot take a command safely', () => {
  it('409 for a router whose host key is not pinned yet (never polled), and nothing sent', async () => {
    await f.api.app.repos.routers.create({ name: 'new-1', host: '127.0.0.1', platform: 'ios' });
    const before = await state();
    const res = await post('/api/v1/routers/new-1/actions/clear-isakmp', 'noc-alice', { confirm: 'new-1' });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/no pinned host key/);
    await expectNothingSent(before);
  });
});

describe('one action per router, and a rate limit per router', () => {
  it('refuses a second action while one is queued or running; another router is not affected', async () => {
    await f.worker.worker.pause();
    try {
      const first = await clearSa('r2/203.0.113.9', 'noc-alice');
      expect(first.statusCode).toBe(202);
      const second = await post('/api/v1/routers/r2/actions/clear-isakmp', 'noc-alice', { confirm: 'r2' });
      expect(second.statusCode).toBe(409);
      expect(second.json().message).toMatch(/already has an action in progress/);
      expect(await f.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
      const rows = (await auditRows('remediation.clear-crypto-isakmp')).filter(
        (a) => a.detail.status === 409 && a.target === 'r2',
      );
      expect(rows).toMatchObject([{ actor: 'noc-alice', target: 'r2' }]);
    } finally {
      f.worker.worker.resume();
    }
    const { items } = (await get('/api/v1/routers/r2/actions')).json();
    expect(items.map((a: { kind: string; status: string }) => [a.kind, a.status])).toEqual([
      ['clear_crypto_sa', 'queued'],
    ]);
    expect(await finished(items[0].id)).toMatchObject({ status: 'succeeded' });
  });

  it('429 with Retry-After once a router had its actions for the window', async () => {
    // r1 had two accepted actions above (clear-sa, clear-isakmp): the limit in this file is two.
    const before = await state();
    const res = await clearSa('r1/198.51.100.3', 'noc-alice');
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await expectNothingSent(before);
  });
});

describe('ASA routers', () => {
  it('clear-sa sends `clear crypto ipsec sa peer X`: that peer is new on the router and in the next poll', async () => {
    const before = f.fleet.router('asa1').truth();
    const tunnelId = f.tunnelIds.get('asa1/192.0.2.201')!;
    const res = await clearSa('asa1/192.0.2.201', 'noc-alice');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ router: 'asa1', command: 'clear crypto ipsec sa peer 192.0.2.201' });
    expect(await finished(res.json().id)).toMatchObject({ status: 'succeeded', error: null, pollOk: true });

    const after = f.fleet.router('asa1').truth();
    expect(after.tunnels.find((t) => t.peer === '192.0.2.201')!.flows[0]!.counters.encaps).toBe(0);
    expect(spis(after, '192.0.2.201').some((spi) => spis(before, '192.0.2.201').includes(spi))).toBe(false);
    expect(spis(after, '192.0.2.202')).toEqual(spis(before, '192.0.2.202'));
    const tunnel = (await get(`/api/v1/tunnels/${tunnelId}`)).json();
    expect(spis(after, '192.0.2.201')).toContain(tunnel.flows[0].inbound.spi);
    expect(tunnel.flows[0].counters.encaps).toBe(0);
  });

  it('422 for a tunnel with a front-door VRF (no VRF keyword on ASA), audited, and nothing sent', async () => {
    const asa1 = (await f.api.app.repos.routers.getByName('asa1'))!;
    const now = new Date();
    const inVrf = await f.api.app.db.prisma.tunnel.create({
      data: {
        routerId: asa1.id,
        peer: '192.0.2.210',
        fvrf: 'OUTSIDE',
        state: 'up',
        firstSeenAt: now,
        lastSeenAt: now,
        lastChangeAt: now,
      },
    });
    try {
      const before = await state();
      const res = await post(`/api/v1/tunnels/${inVrf.id}/actions/clear-sa`, 'noc-alice');
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toMatch(/ASA's clear crypto ipsec sa has no VRF keyword/);
      await expectNothingSent(before);
      const rows = (await auditRows('remediation.clear-crypto-sa')).filter(
        (a) => a.detail.tunnelId === inVrf.id,
      );
      expect(rows).toMatchObject([{ actor: 'noc-alice', detail: { outcome: 'refused', status: 422 } }]);
    } finally {
      await f.api.app.db.prisma.tunnel.delete({ where: { id: inVrf.id } });
    }
  });

  it('422 for clear-isakmp, even confirmed: ASA clears IKEv1 and IKEv2 SAs separately; nothing sent', async () => {
    const before = await state();
    const res = await post('/api/v1/routers/asa1/actions/clear-isakmp', 'noc-alice', { confirm: 'asa1' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(
      /not supported on ASA.*clear crypto ikev1 sa \/ clear crypto ikev2 sa/,
    );
    await expectNothingSent(before);
    const rows = (await auditRows('remediation.clear-crypto-isakmp')).filter((a) => a.target === 'asa1');
    expect(rows).toMatchObject([{ actor: 'noc-alice', detail: { outcome: 'refused', status: 422 } }]);
  });
});
