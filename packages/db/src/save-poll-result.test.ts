import type { TunnelSnapshot } from '@tunnelwatch/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from './errors.js';
import { RoutersRepository } from './repositories/routers-repository.js';
import { TunnelsRepository } from './repositories/tunnels-repository.js';
import { type PollToSave, savePollResult } from './save-poll-result.js';
import { createTestDatabase, sampleSnapshot, sampleTunnel, type TestDatabase } from './testing.js';

let t: TestDatabase;
let routers: RoutersRepository;
let tunnels: TunnelsRepository;

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 8 });
  routers = new RoutersRepository(t.db);
  tunnels = new TunnelsRepository(t.db);
});
afterAll(async () => {
  await t?.drop();
});

let routerSeq = 0;
async function newRouter(): Promise<string> {
  routerSeq++;
  const r = await routers.create({ name: `r${routerSeq}`, host: `192.0.2.${routerSeq}`, platform: 'ios' });
  return r.id;
}

const T0 = new Date('2026-11-30T00:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function ok(polledAt: Date, list: TunnelSnapshot[], rawOutputs?: Record<string, string>): PollToSave {
  return {
    status: 'ok',
    startedAt: new Date(polledAt.getTime() - 800),
    finishedAt: polledAt,
    bytesRead: 4321,
    snapshot: sampleSnapshot(polledAt, list),
    ...(rawOutputs ? { rawOutputs } : {}),
  };
}

async function tunnelRows(routerId: string) {
  const { rows } = await t.db.pool.query(
    `SELECT t.peer, t.fvrf, t.state, t.configured, t.last_change_at, t.last_seen_at,
       (SELECT count(*)::int FROM flows f WHERE f.tunnel_id = t.id) AS flows,
       (SELECT count(*)::int FROM sas s WHERE s.tunnel_id = t.id) AS sas
     FROM tunnels t WHERE router_id = $1 ORDER BY peer, fvrf`,
    [routerId],
  );
  return rows;
}

async function eventKinds(routerId: string) {
  const { rows } = await t.db.pool.query(
    'SELECT kind, peer, detail FROM events WHERE router_id = $1 ORDER BY at, kind, peer',
    [routerId],
  );
  return rows;
}

describe('savePollResult', () => {
  it('stores a poll and follows a tunnel up → down (absent) → up, with an event per change', async () => {
    const routerId = await newRouter();
    const peer = '198.51.100.1';

    const first = await savePollResult(t.db, routerId, ok(at(0), [sampleTunnel({ peer, polledAt: at(0) })]));
    expect(first.stale).toBe(false);
    expect(first.events).toEqual([
      { kind: 'tunnel_discovered', peer, fvrf: '', detail: { state: 'up', configured: false } },
    ]);
    expect(await tunnelRows(routerId)).toEqual([
      expect.objectContaining({
        peer,
        state: 'up',
        flows: 1,
        sas: 2,
        last_change_at: at(0),
        last_seen_at: at(0),
      }),
    ]);

    // Not listed any more: it was up, so now it is down, and its flows and SAs are gone.
    const second = await savePollResult(t.db, routerId, ok(at(1), []));
    expect(second.events).toEqual([
      { kind: 'state_changed', peer, fvrf: '', detail: { from: 'up', to: 'down', absent: true } },
    ]);
    expect(await tunnelRows(routerId)).toEqual([
      expect.objectContaining({
        peer,
        state: 'down',
        flows: 0,
        sas: 0,
        last_change_at: at(1),
        last_seen_at: at(0),
      }),
    ]);

    // Still absent: no new event, last change unchanged.
    expect((await savePollResult(t.db, routerId, ok(at(2), []))).events).toEqual([]);

    const fourth = await savePollResult(t.db, routerId, ok(at(3), [sampleTunnel({ peer, polledAt: at(3) })]));
    expect(fourth.events).toEqual([
      { kind: 'state_changed', peer, fvrf: '', detail: { from: 'down', to: 'up' } },
    ]);
    expect(await tunnelRows(routerId)).toEqual([
      expect.objectContaining({
        peer,
        state: 'up',
        flows: 1,
        sas: 2,
        last_change_at: at(3),
        last_seen_at: at(3),
      }),
    ]);
    expect((await eventKinds(routerId)).map((e) => e.kind)).toEqual([
      'tunnel_discovered',
      'state_changed',
      'state_changed',
    ]);

    const router = await routers.getById(routerId);
    expect(router).toMatchObject({
      lastPollOk: true,
      lastPollAt: at(3),
      lastSuccessAt: at(3),
      lastPollDurationMs: 800,
    });
  });

  it('records a rekey (new SPI) with the old and new SPIs', async () => {
    const routerId = await newRouter();
    const peer = '198.51.100.2';
    await savePollResult(t.db, routerId, ok(at(0), [sampleTunnel({ peer, polledAt: at(0), spi: 0x1000 })]));
    expect(
      (
        await savePollResult(
          t.db,
          routerId,
          ok(at(1), [sampleTunnel({ peer, polledAt: at(1), spi: 0x1000 })]),
        )
      ).events,
    ).toEqual([]);
    const rekey = await savePollResult(
      t.db,
      routerId,
      ok(at(2), [sampleTunnel({ peer, polledAt: at(2), spi: 0xc0ffee00 })]),
    );
    expect(rekey.events).toEqual([
      {
        kind: 'rekeyed',
        peer,
        fvrf: '',
        detail: {
          flow: '10.0.0.0/24>10.1.0.0/24',
          outboundSpi: { from: 0x1000, to: 0xc0ffee00 },
          inboundSpi: { from: 0x1001, to: 0xc0ffee01 },
        },
      },
    ]);
    const [view] = (await tunnels.list({ routerId })).items;
    const detail = await tunnels.get(view!.id);
    expect(detail!.flows[0]!.outbound.spi).toBe(0xc0ffee00);
    expect(detail!.flows[0]!.sas.map((s) => s.spi).sort()).toEqual([0xc0ffee00, 0xc0ffee01]);
    expect(detail!.recentEvents.map((e) => e.kind)).toEqual(['rekeyed', 'tunnel_discovered']);
  });

  it('reports a configured peer that vanished from the configuration', async () => {
    const routerId = await newRouter();
    const peer = '198.51.100.3';
    const configuredDown = sampleTunnel({ peer, polledAt: at(0), state: 'down', configured: true });
    const first = await savePollResult(t.db, routerId, ok(at(0), [configuredDown]));
    expect(first.events).toEqual([
      { kind: 'tunnel_discovered', peer, fvrf: '', detail: { state: 'down', configured: true } },
    ]);
    const second = await savePollResult(t.db, routerId, ok(at(1), []));
    // It was down already, so no state change: just the vanished configured peer.
    expect(second.events).toEqual([{ kind: 'configured_peer_vanished', peer, fvrf: '', detail: {} }]);
    expect(await tunnelRows(routerId)).toEqual([
      expect.objectContaining({ peer, state: 'down', configured: false }),
    ]);
    expect((await savePollResult(t.db, routerId, ok(at(2), []))).events).toEqual([]);
  });

  it('keeps the last known metric labels of a tunnel that goes down, and takes new ones when it comes back', async () => {
    const routerId = await newRouter();
    const peer = '198.51.100.9';
    const labels = async () => {
      const { rows } = await t.db.pool.query(
        `SELECT state, interface, crypto_map, crypto_map_sequence, ike_version, transform, mode, pfs
         FROM tunnels WHERE router_id = $1`,
        [routerId],
      );
      return rows;
    };
    const upLabels = {
      interface: 'GigabitEthernet0/0',
      crypto_map: 'VPN',
      crypto_map_sequence: 10,
      ike_version: 'ikev2',
      transform: 'esp-aes esp-sha256-hmac',
      mode: 'tunnel',
      pfs: 'group14',
    };
    await savePollResult(t.db, routerId, ok(at(0), [sampleTunnel({ peer, polledAt: at(0) })]));
    expect(await labels()).toEqual([{ state: 'up', ...upLabels }]);

    // Down and still listed (a configured peer with no IKE SA and no SA): nothing describes the session any more.
    const down: TunnelSnapshot = {
      ...sampleTunnel({ peer, polledAt: at(1), state: 'down', configured: true }),
      interface: null,
      cryptoMap: null,
      cryptoMapSequence: null,
      ikeVersion: null,
    };
    await savePollResult(t.db, routerId, ok(at(1), [down]));
    expect(await labels()).toEqual([{ state: 'down', ...upLabels }]);

    // Back up with a changed session: the new values win, and a null pfs next to an SA means "no PFS".
    const back: TunnelSnapshot = {
      ...sampleTunnel({ peer, polledAt: at(2) }),
      ikeVersion: 'ikev1',
      transform: 'esp-gcm 256',
      mode: 'transport',
      pfs: null,
    };
    await savePollResult(t.db, routerId, ok(at(2), [back]));
    expect(await labels()).toEqual([
      {
        state: 'up',
        ...upLabels,
        ike_version: 'ikev1',
        transform: 'esp-gcm 256',
        mode: 'transport',
        pfs: null,
      },
    ]);
  });

  it('keeps tunnels apart by front-door VRF', async () => {
    const routerId = await newRouter();
    const peer = '198.51.100.4';
    await savePollResult(
      t.db,
      routerId,
      ok(at(0), [
        sampleTunnel({ peer, polledAt: at(0) }),
        sampleTunnel({ peer, polledAt: at(0), fvrf: 'INET', state: 'negotiating' }),
      ]),
    );
    expect((await tunnelRows(routerId)).map((r) => [r.fvrf, r.state])).toEqual([
      ['', 'up'],
      ['INET', 'negotiating'],
    ]);
    expect((await tunnels.list({ routerId, vrf: 'INET' })).items.map((x) => x.state)).toEqual([
      'negotiating',
    ]);
  });

  it('handles a DMVPN hub with 2,000 peers in one save, and a later poll where 100 went away and 3 rekeyed', async () => {
    const routerId = await newRouter();
    const peers = Array.from({ length: 2000 }, (_, i) => `10.${100 + Math.floor(i / 250)}.${i % 250}.1`);
    const index = new Map(peers.map((peer, i) => [peer, i]));
    const hub = (polledAt: Date, list: string[], rekeyed = new Set<string>()) =>
      list.map((peer) =>
        sampleTunnel({
          peer,
          polledAt,
          spi: (rekeyed.has(peer) ? 0x50000000 : 0x10000000) + index.get(peer)! * 16,
        }),
      );
    const first = await savePollResult(t.db, routerId, ok(at(0), hub(at(0), peers)));
    expect(first.events).toHaveLength(2000);
    const counts = await t.db.pool.query(
      `SELECT (SELECT count(*)::int FROM tunnels WHERE router_id = $1) AS tunnels,
              (SELECT count(*)::int FROM flows f JOIN tunnels t ON t.id = f.tunnel_id WHERE router_id = $1) AS flows,
              (SELECT count(*)::int FROM sas s JOIN tunnels t ON t.id = s.tunnel_id WHERE router_id = $1) AS sas`,
      [routerId],
    );
    expect(counts.rows[0]).toEqual({ tunnels: 2000, flows: 2000, sas: 4000 });

    const remaining = peers.slice(100);
    const rekeyed = new Set(remaining.slice(0, 3));
    const second = await savePollResult(t.db, routerId, ok(at(1), hub(at(1), remaining, rekeyed)));
    const peersOf = (kind: string) => second.events.filter((e) => e.kind === kind).map((e) => e.peer);
    expect(peersOf('state_changed').sort()).toEqual(peers.slice(0, 100).sort());
    expect(peersOf('rekeyed').sort()).toEqual([...rekeyed].sort());
    expect(second.events).toHaveLength(103);
    const states = await t.db.pool.query(
      'SELECT state, count(*)::int AS n FROM tunnels WHERE router_id = $1 GROUP BY state ORDER BY state',
      [routerId],
    );
    expect(states.rows).toEqual([
      { state: 'up', n: 1900 },
      { state: 'down', n: 100 },
    ]);
  });

  it('serializes concurrent saves of one router: no duplicate tunnel, one discovery event, no lost poll', async () => {
    const routerId = await newRouter();
    const peers = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'];
    const saves = Array.from({ length: 6 }, (_, i) =>
      savePollResult(
        t.db,
        routerId,
        ok(
          at(i),
          peers.map((peer) => sampleTunnel({ peer, polledAt: at(i), packets: 1000 * (i + 1) })),
        ),
      ),
    );
    const outcomes = await Promise.all(saves);
    expect(outcomes.flatMap((o) => o.events).map((e) => e.kind)).toEqual(
      peers.map(() => 'tunnel_discovered'),
    );
    expect(await tunnelRows(routerId)).toHaveLength(4);
    const polls = await t.db.pool.query('SELECT count(*)::int AS n FROM polls WHERE router_id = $1', [
      routerId,
    ]);
    expect(polls.rows[0].n).toBe(6);
    // Whatever order the saves committed in, the tunnels show the newest snapshot (at(5)), never an older one.
    const flows = await t.db.pool.query(
      'SELECT DISTINCT f.encaps FROM flows f JOIN tunnels t ON t.id = f.tunnel_id WHERE t.router_id = $1',
      [routerId],
    );
    expect(flows.rows).toEqual([{ encaps: '6000' }]);
  });

  it('keeps the newer state when an older snapshot is saved late', async () => {
    const routerId = await newRouter();
    const peer = '203.0.113.9';
    await savePollResult(t.db, routerId, ok(at(5), [sampleTunnel({ peer, polledAt: at(5) })]));
    const late = await savePollResult(t.db, routerId, ok(at(4), []));
    expect(late).toMatchObject({ stale: true, events: [] });
    expect(await tunnelRows(routerId)).toEqual([expect.objectContaining({ peer, state: 'up' })]);
    expect(await routers.getById(routerId)).toMatchObject({ lastPollAt: at(5) });
  });

  it('stores a failed poll with its reason and leaves the tunnels as they were', async () => {
    const routerId = await newRouter();
    const peer = '203.0.113.10';
    await savePollResult(t.db, routerId, ok(at(0), [sampleTunnel({ peer, polledAt: at(0) })]));
    const failed = await savePollResult(t.db, routerId, {
      status: 'failed',
      startedAt: at(1),
      finishedAt: new Date(at(1).getTime() + 10_000),
      bytesRead: 0,
      reason: 'timeout',
      detail: 'no prompt after 10000 ms',
    });
    await savePollResult(t.db, routerId, {
      status: 'failed',
      startedAt: at(2),
      finishedAt: at(2),
      bytesRead: 12,
      reason: 'timeout',
    });
    expect(failed.events).toEqual([]);
    const { rows } = await t.db.pool.query(
      'SELECT status, failure_reason, failure_detail, duration_ms, tunnel_count FROM polls WHERE id = $1',
      [failed.pollId],
    );
    expect(rows[0]).toEqual({
      status: 'failed',
      failure_reason: 'timeout',
      failure_detail: 'no prompt after 10000 ms',
      duration_ms: 10_000,
      tunnel_count: null,
    });
    expect(await tunnelRows(routerId)).toEqual([expect.objectContaining({ peer, state: 'up', flows: 1 })]);
    const [state] = await tunnels.routerStates({ id: routerId });
    expect(state).toMatchObject({
      lastPollOk: false,
      lastPollAt: at(2),
      lastSuccessAt: at(0),
      pollFailures: { timeout: 2 },
      snapshotAt: at(0),
    });
  });

  it('stores counters beyond 2^32 exactly, and raw outputs even with NUL bytes', async () => {
    const routerId = await newRouter();
    const peer = '203.0.113.11';
    await savePollResult(
      t.db,
      routerId,
      ok(at(0), [sampleTunnel({ peer, polledAt: at(0), packets: 5_000_000_000_123 })], {
        'show crypto ipsec sa': 'interface: Gi0/0\u0000garbage',
        'show crypto map': 'Crypto Map "VPN" 10 ipsec-isakmp',
      }),
    );
    const { rows } = await t.db.pool.query(
      'SELECT f.encaps, f.decaps FROM flows f JOIN tunnels t ON t.id = f.tunnel_id WHERE t.router_id = $1',
      [routerId],
    );
    expect(rows).toEqual([{ encaps: '5000000000123', decaps: '10000000000246' }]);
    const raw = await t.db.pool.query(
      'SELECT command, output FROM raw_outputs WHERE router_id = $1 ORDER BY command',
      [routerId],
    );
    expect(raw.rows).toEqual([
      { command: 'show crypto ipsec sa', output: 'interface: Gi0/0\uFFFDgarbage' },
      { command: 'show crypto map', output: 'Crypto Map "VPN" 10 ipsec-isakmp' },
    ]);
  });

  it('refuses an unknown router and writes nothing', async () => {
    await expect(savePollResult(t.db, '00000000-0000-4000-8000-000000000000', ok(at(0), []))).rejects.toThrow(
      NotFoundError,
    );
  });
});
