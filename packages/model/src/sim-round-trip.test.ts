import { parse } from '@tunnelwatch/parser';
import {
  type Fleet,
  loadScenario,
  type RouterTruth,
  type SimRouter,
  scenarioRouters,
  startFleet,
  type TunnelTruth,
} from '@tunnelwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalAddress } from './addresses.js';
import { normalizePoll, type ParsedPoll } from './normalize-poll.js';
import type { PollSnapshot, TunnelSnapshot } from './types.js';

/**
 * Real text → parse → normalize: the simulator renders each router's `show crypto` output, the parser reads
 * it, and the snapshot must say what the simulator's ground truth says (tunnel set, states, SPIs, counters,
 * remaining lifetimes). The clock is frozen, so text and truth describe the same instant.
 */
let fleet: Fleet;

beforeAll(async () => {
  const routers = [
    ...scenarioRouters(loadScenario('mixed-small')),
    ...scenarioRouters(loadScenario('dmvpn-hub')),
  ];
  fleet = await startFleet({ routers, timeScale: 0 });
});
afterAll(async () => {
  await fleet?.close();
});

// The IKE tables in their detail form: only that prints the IKE SAs' remaining lifetimes. IOS also needs the
// ISAKMP summary: its detail table prints no phase-1 state.
const IOS_COMMANDS = [
  'show crypto ipsec sa',
  'show crypto isakmp sa',
  'show crypto isakmp sa detail',
  'show crypto ikev2 sa detail',
  'show crypto map',
  'show crypto session detail',
];
const ASA_COMMANDS = [
  'show crypto ipsec sa',
  'show crypto ikev1 sa detail',
  'show crypto ikev2 sa detail',
  'show crypto map',
];

/** What a worker does with one router: run the platform's commands, parse each, normalize. */
function poll(router: SimRouter): PollSnapshot {
  const platform = router.access.platform;
  const input: ParsedPoll = { polledAt: new Date(fleet.clock.now()), warnings: {} };
  for (const command of platform === 'asa' ? ASA_COMMANDS : IOS_COMMANDS) {
    const parsed = parse(command, router.run(command), { platform });
    if (parsed === null) throw new Error(`the parser does not know ${command}`);
    input.warnings![command] = parsed.warnings.length;
    if (parsed.kind === 'ipsecSa') input.ipsecSa = parsed.value;
    else if (parsed.kind === 'isakmpSa' && command === 'show crypto isakmp sa')
      input.isakmpSaSummary = parsed.value;
    else if (parsed.kind === 'isakmpSa') input.isakmpSa = parsed.value;
    else if (parsed.kind === 'ikev2Sa') input.ikev2Sa = parsed.value;
    else if (parsed.kind === 'cryptoMap') input.cryptoMap = parsed.value;
    else input.cryptoSession = parsed.value;
  }
  return normalizePoll(input);
}

/** The simulator writes idents as CIDR text but host routes as bare addresses. */
function cidr(text: string): string {
  const [address, length] = text.split('/') as [string, string | undefined];
  const canonical = canonicalAddress(address);
  return `${canonical}/${length ?? (canonical.includes(':') ? 128 : 32)}`;
}

function flowKey(flow: TunnelTruth['flows'][number]): string {
  const suffix = flow.protocol === 0 ? '' : `/${flow.protocol}/0`;
  return `${cidr(flow.local)}${suffix}>${cidr(flow.remote)}${suffix}`;
}

/** Every fact of one tunnel the snapshot shares with the truth. */
function expectTunnelMatchesTruth(tunnel: TunnelSnapshot, truth: TunnelTruth): void {
  expect(tunnel).toMatchObject({
    interface: truth.interface,
    cryptoMap: truth.cryptoMap,
    cryptoMapSequence: truth.sequence,
    state: truth.state,
    configured: truth.kind === 'static',
  });
  if (truth.state !== 'up') return;
  expect(tunnel.ikeVersion).toBe(truth.ikeVersion === 1 ? 'ikev1' : 'ikev2');
  expect(tunnel.ike?.established).toBe(true);
  // The protocol state as the router prints it (IOS `QM_IDLE`, ASA `MM_ACTIVE`, IKEv2 `READY`), not a status.
  expect(tunnel.ike?.state).toBe(truth.ike!.state);
  // The IOS IPv6 ISAKMP table prints no lifetime; where one is printed it must be the truth's. IKEv2 prints
  // lifetime and active time in whole seconds, so their difference may round the other way.
  const ikeRemaining = tunnel.ike?.remainingSeconds ?? null;
  if (ikeRemaining !== null) {
    expect(Math.abs(ikeRemaining - truth.ike!.remainingSeconds)).toBeLessThanOrEqual(
      truth.ikeVersion === 2 ? 1 : 0,
    );
  }
  expect(tunnel.flows.map((flow) => flow.key).sort()).toEqual(truth.flows.map(flowKey).sort());
  for (const truthFlow of truth.flows) {
    const flow = tunnel.flows.find((candidate) => candidate.key === flowKey(truthFlow))!;
    expect(flow.counters).toEqual(truthFlow.counters);
    for (const direction of ['inbound', 'outbound'] as const) {
      const sas = truthFlow.sas.filter((sa) => sa.direction === direction);
      const newest = sas.reduce((a, b) => (b.remainingSeconds > a.remainingSeconds ? b : a));
      expect(flow[direction].saCount).toBe(sas.length);
      expect(flow[direction].newest).toMatchObject({
        spi: newest.spi,
        remainingSeconds: newest.remainingSeconds,
        expiresAt: new Date(fleet.clock.now() + newest.remainingSeconds * 1000),
      });
    }
  }
}

function expectSnapshotMatchesTruth(snapshot: PollSnapshot, truth: RouterTruth): void {
  const key = (peer: string, fvrf: string) => `${fvrf}|${canonicalAddress(peer)}`;
  const byKey = new Map(snapshot.tunnels.map((tunnel) => [key(tunnel.peer, tunnel.fvrf), tunnel]));
  for (const truthTunnel of truth.tunnels) {
    const tunnel = byKey.get(key(truthTunnel.peer, truthTunnel.fvrf));
    byKey.delete(key(truthTunnel.peer, truthTunnel.fvrf));
    // A dynamic-map or DMVPN peer that is down is only known when seen; a static one is always reported.
    if (tunnel === undefined && truthTunnel.kind !== 'static' && truthTunnel.state === 'down') continue;
    expect(tunnel, `${truth.name} ${truthTunnel.peer}`).toBeDefined();
    expectTunnelMatchesTruth(tunnel!, truthTunnel);
  }
  expect([...byKey.keys()], `${truth.name}: tunnels the router does not have`).toEqual([]);
}

describe('simulator text → parser → normalizePoll', () => {
  it('matches the ground truth of every router of a mixed fleet and a DMVPN hub', () => {
    for (const router of fleet.all()) {
      expectSnapshotMatchesTruth(poll(router), router.truth());
    }
    const hub = poll(fleet.router('dmvpn-hub'));
    expect(hub.tunnels.filter((tunnel) => tunnel.state === 'up')).toHaveLength(50);
    expect(hub.tunnels.every((tunnel) => tunnel.ike?.expiresAt instanceof Date)).toBe(true);
    const v4Ikev1 = poll(fleet.router('hq-ios')).tunnels.filter(
      (t) => t.ikeVersion === 'ikev1' && !t.peer.includes(':'),
    );
    expect(v4Ikev1.length).toBeGreaterThan(0);
    for (const tunnel of v4Ikev1) expect(tunnel.ike?.remainingSeconds).toBeGreaterThan(0);
  });

  it('reports a static peer that went down as down and configured, and a dynamic one only while seen', () => {
    const router = fleet.router('hq-ios');
    router.down('198.51.100.2');
    router.down('198.51.100.50');
    const snapshot = poll(router);
    expectSnapshotMatchesTruth(snapshot, router.truth());
    expect(snapshot.tunnels.find((tunnel) => tunnel.peer === '198.51.100.2')).toMatchObject({
      state: 'down',
      configured: true,
    });
    router.up('198.51.100.2');
    router.up('198.51.100.50');
  });

  it('counts both SAs per direction during a rekey and reports the new one as newest', () => {
    const router = fleet.router('branch-xe');
    const rekeying = (truth: RouterTruth) =>
      truth.tunnels.some((tunnel) => tunnel.flows.some((flow) => flow.sas.length === 4));
    // Step the frozen clock until the simulator is inside a rekey overlap.
    for (let step = 0; step < 200 && !rekeying(router.truth()); step++) fleet.clock.advance(5);
    const truth = router.truth();
    expect(rekeying(truth)).toBe(true);
    const snapshot = poll(router);
    expectSnapshotMatchesTruth(snapshot, truth);
    expect(snapshot.tunnels[0]?.flows[0]?.inbound.saCount).toBe(2);
  });
});
