import { describe, expect, it } from 'vitest';
import { routerMetricsOf, samplePoll } from '../../test/fleet.js';
import { promtoolCheck, samples } from '../../test/promtool.js';
import { FLEET_FAMILIES } from './fleet-families.js';
import { FleetSnapshot } from './fleet-snapshot.js';
import type { RouterMetricsState } from './router-state.js';
import { shardOf } from './shards.js';

const polledAt = new Date('2026-11-30T01:00:00.000Z');
const T = polledAt.getTime() / 1000;

function routerState(name: string, index: number, tunnels = 3): RouterMetricsState {
  const poll = samplePoll({ tunnels, polledAt, downEvery: 3, flows: 1 + (index % 2) });
  return {
    ...routerMetricsOf(`id-${name}`, name, poll),
    failures: { timeout: 2 },
    warnings: { 'show crypto ipsec sa': 1 },
  };
}

describe('FleetSnapshot.render', () => {
  it('passes promtool check metrics, also with label values that need escaping', () => {
    const snapshot = new FleetSnapshot();
    snapshot.replaceAll([routerState('hq-asa1', 1), routerState('odd "name"\\ with\nnewline', 2)]);
    const text = snapshot.render().toString();
    expect(promtoolCheck(text)).toEqual({ parseError: null, findings: [] });
    expect(text).toContain('router="odd \\"name\\"\\\\ with\\nnewline"');
  });

  it('promtool does catch a broken exposition (the check above can fail)', () => {
    expect(promtoolCheck('foo{a="1" 1\n').parseError).toMatch(/parsing error/);
  });

  it('exports every family of DESIGN.md §6 with its type, once', () => {
    const snapshot = new FleetSnapshot();
    snapshot.replaceAll([routerState('r1', 1)]);
    const text = snapshot.render().toString();
    for (const family of Object.values(FLEET_FAMILIES)) {
      expect(text.split(`# TYPE ${family.name} ${family.type}\n`)).toHaveLength(2);
    }
  });

  it('exports the values of the snapshot: counters by direction, lifetimes, timestamps', () => {
    const snapshot = new FleetSnapshot();
    const state = routerState('r1', 1, 3);
    snapshot.replaceAll([state]);
    const s = samples(snapshot.render().toString());
    const tunnel = state.tunnels[0]!;
    const flow = tunnel.flows[0]!;
    const labels = (dir: string) =>
      `{router="r1",peer="${tunnel.peer}",vrf="",local_ident="${flow.localIdent}",remote_ident="${flow.remoteIdent}",direction="${dir}"}`;
    expect(s.get(`tunnelwatch_ipsec_packets_total${labels('out')}`)).toBe(flow.counters.encaps);
    expect(s.get(`tunnelwatch_ipsec_packets_total${labels('in')}`)).toBe(flow.counters.decaps);
    expect(s.get(`tunnelwatch_ipsec_errors_total${labels('in')}`)).toBe(flow.counters.recvErrors);
    expect(s.get(`tunnelwatch_ipsec_sa_count${labels('out')}`)).toBe(1);
    expect(s.get(`tunnelwatch_ipsec_sa_remaining_seconds${labels('out')}`)).toBe(
      flow.outbound.remainingSeconds,
    );
    expect(s.get(`tunnelwatch_ipsec_sa_expiry_timestamp_seconds${labels('in')}`)).toBe(
      flow.inbound.expiresAt!.getTime() / 1000,
    );
    expect(s.get('tunnelwatch_router_up{router="r1"}')).toBe(1);
    expect(s.get('tunnelwatch_router_last_success_timestamp_seconds{router="r1"}')).toBe(T);
    expect(s.get('tunnelwatch_router_poll_duration_seconds{router="r1"}')).toBe(1.5);
    expect(s.get('tunnelwatch_router_poll_failures_total{router="r1",reason="timeout"}')).toBe(2);
    expect(s.get('tunnelwatch_router_poll_failures_total{router="r1",reason="host_key"}')).toBe(0);
    expect(s.get('tunnelwatch_router_parse_warnings{router="r1",command="show crypto ipsec sa"}')).toBe(1);
    expect(
      s.get(`tunnelwatch_tunnel_last_change_timestamp_seconds{router="r1",peer="${tunnel.peer}",vrf=""}`),
    ).toBe(T - 60);
    expect(s.get('tunnelwatch_crypto_map_lifetime_seconds{router="r1",crypto_map="VPN",sequence="10"}')).toBe(
      3600,
    );
  });

  it('keeps a tunnel that went down at 0, flows included, instead of dropping its series', () => {
    const snapshot = new FleetSnapshot();
    const before = routerState('r1', 1);
    snapshot.replaceAll([before]);
    const up = before.tunnels[0]!;
    const flow = up.flows[0]!;
    // The next poll finds the peer down: no IKE SA, no IPsec SA, no flows listed.
    const down = { ...up, state: 'down' as const, ikeEstablished: null, ikeExpiresAt: null, flows: [] };
    snapshot.upsert({ ...before, tunnels: [down, ...before.tunnels.slice(1)] });
    const s = samples(snapshot.render().toString());
    const base = `router="r1",peer="${up.peer}",vrf=""`;
    expect(s.get(`tunnelwatch_tunnel_up{${base},interface="GigabitEthernet0/0"}`)).toBe(0);
    expect(s.get(`tunnelwatch_ike_sa_up{${base},ike_version="ikev2"}`)).toBe(0);
    expect(s.get(`tunnelwatch_ike_sa_expiry_timestamp_seconds{${base}}`)).toBe(0);
    const l = (d: string) =>
      `{${base},local_ident="${flow.localIdent}",remote_ident="${flow.remoteIdent}",direction="${d}"}`;
    for (const d of ['in', 'out']) {
      expect(s.get(`tunnelwatch_ipsec_packets_total${l(d)}`)).toBe(0);
      expect(s.get(`tunnelwatch_ipsec_sa_count${l(d)}`)).toBe(0);
      expect(s.get(`tunnelwatch_ipsec_sa_remaining_seconds${l(d)}`)).toBe(0);
      expect(s.get(`tunnelwatch_ipsec_sa_expiry_timestamp_seconds${l(d)}`)).toBe(0);
    }
  });

  it('drops the series of a tunnel the db forgot (retention), and only those', () => {
    const snapshot = new FleetSnapshot();
    const before = routerState('r1', 1);
    snapshot.replaceAll([before]);
    snapshot.upsert({ ...before, tunnels: before.tunnels.slice(1) });
    const s = samples(snapshot.render().toString());
    const peerLabel = (peer: string) => `peer="${peer}"`;
    expect([...s.keys()].some((k) => k.includes(peerLabel(before.tunnels[0]!.peer)))).toBe(false);
    expect([...s.keys()].some((k) => k.includes(peerLabel(before.tunnels[1]!.peer)))).toBe(true);
  });

  it('renders one router, or one shard, and the shards partition the fleet', () => {
    const snapshot = new FleetSnapshot();
    const names = Array.from({ length: 20 }, (_, i) => `r${i}`);
    snapshot.replaceAll(names.map((name, i) => routerState(name, i, 1)));
    const one = samples(snapshot.render((n) => n === 'r7').toString());
    expect(new Set([...one.keys()].map((k) => /router="([^"]*)"/.exec(k)?.[1]))).toEqual(new Set(['r7']));
    const all = samples(snapshot.render().toString());
    let total = 0;
    for (let k = 0; k < 3; k++) total += samples(snapshot.render((n) => shardOf(n, 3) === k).toString()).size;
    expect(total).toBe(all.size);
  });

  it('a router never polled is down, with no poll timestamps', () => {
    const snapshot = new FleetSnapshot();
    snapshot.replaceAll([
      { ...routerState('new', 1, 0), lastPoll: null, lastSuccessAt: null, failures: {}, warnings: {} },
    ]);
    const s = samples(snapshot.render().toString());
    expect(s.get('tunnelwatch_router_up{router="new"}')).toBe(0);
    expect(s.has('tunnelwatch_router_last_poll_timestamp_seconds{router="new"}')).toBe(false);
  });

  it('the cached fleet exposition follows every upsert and remove, and its length is its size in bytes', () => {
    const snapshot = new FleetSnapshot();
    snapshot.replaceAll([routerState('r1', 1), routerState('r2', 2)]);
    const text = () => snapshot.render().toString();
    const first = snapshot.exposition();
    expect(first.length).toBe(Buffer.concat(first.chunks).length);
    expect(snapshot.exposition()).toBe(first); // nothing changed: the same list, not rebuilt
    const r1 = snapshot.get('id-r1')!;
    snapshot.upsert({ ...r1, failures: { timeout: 7 } });
    expect(snapshot.exposition()).not.toBe(first);
    expect(text()).toContain('tunnelwatch_router_poll_failures_total{router="r1",reason="timeout"} 7\n');
    snapshot.upsert(routerState('r3', 3));
    expect(text()).toContain('tunnelwatch_router_up{router="r3"} 1\n');
    snapshot.remove('id-r2');
    expect(text()).not.toContain('router="r2"');
    expect(snapshot.hasRouter('r2')).toBe(false);
    expect(snapshot.hasRouter('r3')).toBe(true);
    const tail = Buffer.from('# tail\n');
    const withTail = snapshot.exposition(undefined, tail);
    expect(withTail.length).toBe(snapshot.exposition().length + tail.length);
    expect(Buffer.concat(withTail.chunks).toString().endsWith('# tail\n')).toBe(true);
  });
});
