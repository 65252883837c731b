import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';

let fleet: Fleet;
const lifetime = 3600;

beforeAll(async () => {
  fleet = await startFleet({
    timeScale: 0,
    routers: [
      {
        name: 'R1',
        tunnels: [
          { peer: '198.51.100.2', ratePps: 10, inboundRatePps: 5, lifetimeSeconds: lifetime },
          { peer: '198.51.100.3', ikeVersion: 2 },
          { peer: '198.51.100.4', kind: 'dynamic' },
        ],
      },
      { name: 'R2', tunnels: [{ peer: '198.51.100.5', fvrf: 'INET' }] },
    ],
  });
});
afterAll(() => fleet.close());

const tunnel = (peer: string) =>
  fleet
    .router('R1')
    .truth()
    .tunnels.find((candidate) => candidate.peer === peer)!;

describe('time', () => {
  it('grows counters with the traffic rate and counts lifetimes down', () => {
    const before = tunnel('198.51.100.2');
    fleet.clock.advance(10);
    const after = tunnel('198.51.100.2');
    const [flowBefore, flowAfter] = [before.flows[0]!, after.flows[0]!];
    expect(flowAfter.counters.encaps - flowBefore.counters.encaps).toBe(100);
    expect(flowAfter.counters.decaps - flowBefore.counters.decaps).toBe(50);
    const saBefore = flowBefore.sas.at(-1)!;
    const saAfter = flowAfter.sas.find((sa) => sa.spi === saBefore.spi);
    // Unless this step crossed a rekey, the same SA is 10 s older.
    if (saAfter) expect(saBefore.remainingSeconds - saAfter.remainingSeconds).toBe(10);
  });

  it('rekeys before expiry with new SPIs and lists both SAs for a while', () => {
    const sas = tunnel('198.51.100.2').flows[0]!.sas;
    const newest = sas.filter((sa) => sa.direction === 'inbound').at(-1)!;
    // Step to 5 s after the next rekey (rekey at 90 % of the lifetime).
    fleet.clock.advance(newest.remainingSeconds - lifetime * 0.1 + 5);
    const during = tunnel('198.51.100.2').flows[0]!.sas;
    const inbound = during.filter((sa) => sa.direction === 'inbound');
    expect(inbound).toHaveLength(2);
    expect(inbound[0]!.spi).toBe(newest.spi);
    expect(inbound[1]!.spi).not.toBe(newest.spi);
    expect(inbound[1]!.remainingSeconds).toBeGreaterThan(lifetime - 10);
    fleet.clock.advance(60);
    const after = tunnel('198.51.100.2').flows[0]!.sas.filter((sa) => sa.direction === 'inbound');
    expect(after.map((sa) => sa.spi)).toEqual([inbound[1]!.spi]);
    expect(fleet.router('R1').run('show crypto ipsec sa')).toContain(
      `spi: 0x${inbound[1]!.spi.toString(16).toUpperCase()}`,
    );
  });

  it('re-establishes the IKE SA before its lifetime ends', () => {
    const ike = tunnel('198.51.100.3').ike!;
    fleet.clock.advance(ike.remainingSeconds);
    const next = tunnel('198.51.100.3').ike!;
    expect(next.remainingSeconds).toBeGreaterThan(0);
    expect(next.localSpi).not.toBe(ike.localSpi);
  });
});

describe('events', () => {
  it('down and up: SAs vanish, configured peers stay listed, dynamic peers vanish', () => {
    const router = fleet.router('R1');
    router.down();
    const truth = router.truth();
    expect(truth.tunnels.map((t) => t.state)).toEqual(['down', 'down', 'down']);
    expect(truth.tunnels[0]!.flows[0]!.sas).toEqual([]);
    const text = router.run('show crypto ipsec sa');
    expect(text).toContain('current_peer 198.51.100.2 port 500');
    expect(text).not.toContain('198.51.100.4');
    expect(router.run('show crypto session')).toContain('Session status: DOWN');
    router.up();
    fleet.clock.advance(1);
    const up = router.truth().tunnels;
    expect(up.map((t) => t.state)).toEqual(['up', 'up', 'up']);
    expect(up[0]!.flows[0]!.counters.encaps).toBe(10);
    expect(up[0]!.flows[0]!.sas[0]!.remainingSeconds).toBe(lifetime - 1);
  });

  it('flap: down for a while, then up with new SPIs', () => {
    const router = fleet.router('R1');
    const spi = tunnel('198.51.100.2').flows[0]!.sas[0]!.spi;
    router.flap('198.51.100.2', { downSeconds: 30 });
    fleet.clock.advance(10);
    expect(tunnel('198.51.100.2').state).toBe('down');
    expect(tunnel('198.51.100.3').state).toBe('up');
    fleet.clock.advance(25);
    expect(tunnel('198.51.100.2').state).toBe('up');
    expect(tunnel('198.51.100.2').flows[0]!.sas[0]!.spi).not.toBe(spi);
  });

  it('failed rekey: the SA runs to zero, then the tunnel is down', () => {
    const router = fleet.router('R1');
    router.failRekey('198.51.100.3');
    const sa = tunnel('198.51.100.3').flows[0]!.sas.at(-1)!;
    fleet.clock.advance(sa.remainingSeconds - 1);
    const last = tunnel('198.51.100.3').flows[0]!.sas;
    expect(last.map((s) => s.spi)).toContain(sa.spi);
    expect(last.at(-1)!.remainingSeconds).toBe(1);
    fleet.clock.advance(1);
    expect(tunnel('198.51.100.3').state).toBe('down');
    router.up('198.51.100.3');
    expect(tunnel('198.51.100.3').state).toBe('up');
  });

  it('clear crypto sa [peer X] resets counters and SPIs; clear crypto isakmp renews IKE only', () => {
    const router = fleet.router('R1');
    fleet.clock.advance(100);
    const before = router.truth().tunnels;
    router.run('clear crypto sa peer 198.51.100.2');
    const after = router.truth().tunnels;
    expect(after[0]!.flows[0]!.counters.encaps).toBe(0);
    expect(after[0]!.flows[0]!.sas[0]!.spi).not.toBe(before[0]!.flows[0]!.sas[0]!.spi);
    expect(after[1]!.flows[0]!.counters).toEqual(before[1]!.flows[0]!.counters);
    router.run('clear crypto isakmp');
    const renewed = router.truth().tunnels;
    expect(renewed[1]!.ike!.activeSeconds).toBe(0);
    expect(renewed[1]!.flows[0]!.sas).toEqual(after[1]!.flows[0]!.sas);
  });

  it('clear crypto sa peer vrf V X clears a front-door VRF peer; without its VRF nothing happens', () => {
    const router = fleet.router('R2');
    fleet.clock.advance(100);
    const flow = () => router.truth().tunnels[0]!.flows[0]!;
    const before = flow();
    expect(before.counters.encaps).toBeGreaterThan(0);
    expect(router.run('clear crypto sa peer 198.51.100.5')).toBe('');
    router.run('clear crypto sa peer vrf OTHER 198.51.100.5');
    expect(flow()).toEqual(before);
    router.run('cle cry sa pe vrf INET 198.51.100.5');
    expect(flow().counters.encaps).toBe(0);
    expect(flow().sas[0]!.spi).not.toBe(before.sas[0]!.spi);
  });
});
