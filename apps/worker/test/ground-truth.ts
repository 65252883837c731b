import type { FlowView, RouterState, TunnelView } from '@tunnelwatch/db';
import { canonicalAddress } from '@tunnelwatch/model';
import type { FlowTruth, RouterTruth, TunnelTruth } from '@tunnelwatch/sim';

/** A flow's ident as the model writes it: canonical CIDR, `/protocol/0` when the protocol is not "any". */
export function identOf(cidr: string, protocol: number): string {
  const [address = '', length] = cidr.split('/');
  const canonical = canonicalAddress(address);
  const prefix = length ?? (canonical.includes(':') ? '128' : '32');
  return protocol === 0 ? `${canonical}/${prefix}` : `${canonical}/${prefix}/${protocol}/0`;
}

export function flowKeyOf(flow: FlowTruth): string {
  return `${identOf(flow.local, flow.protocol)}>${identOf(flow.remote, flow.protocol)}`;
}

/**
 * Differences between what the database holds for a router and the simulator's truth at the poll's start and
 * end (counters only grow in between; an SA's expiry is the same instant whenever it is read). Empty when equal.
 */
export function compareWithTruth(
  state: RouterState,
  before: RouterTruth,
  after: RouterTruth,
  slackMs: number,
): string[] {
  const problems: string[] = [];
  const key = (peer: string, fvrf: string) => `${canonicalAddress(peer)}|${fvrf}`;
  const saved = new Map(state.tunnels.map((t) => [key(t.peer, t.fvrf), t]));
  const truths = new Map(after.tunnels.map((t) => [key(t.peer, t.fvrf), t]));
  for (const name of saved.keys())
    if (!truths.has(name)) problems.push(`${name}: in the database, not in the sim`);
  for (const [name, truth] of truths) {
    const tunnel = saved.get(name);
    const early = before.tunnels.find((t) => key(t.peer, t.fvrf) === name);
    if (!tunnel) {
      problems.push(`${name}: in the sim, missing from the database`);
      continue;
    }
    if (!early) continue;
    problems.push(...compareTunnel(name, tunnel, early, truth, before.at, slackMs));
  }
  return problems;
}

function compareTunnel(
  name: string,
  tunnel: TunnelView & { flows: FlowView[] },
  early: TunnelTruth,
  late: TunnelTruth,
  earlyAt: number,
  slackMs: number,
): string[] {
  const problems: string[] = [];
  if (tunnel.state !== late.state) problems.push(`${name}: state ${tunnel.state}, sim says ${late.state}`);
  if (late.state === 'down') return problems;
  const flows = new Map(tunnel.flows.map((f) => [f.key, f]));
  for (const flow of late.flows) {
    const flowKey = flowKeyOf(flow);
    const saved = flows.get(flowKey);
    const start = early.flows.find((f) => flowKeyOf(f) === flowKey);
    if (!saved || !start) {
      problems.push(`${name}: flow ${flowKey} missing (saved: ${[...flows.keys()].join(', ')})`);
      continue;
    }
    for (const counter of ['encaps', 'encrypt', 'digest', 'decaps', 'decrypt', 'verify'] as const) {
      const value = saved.counters[counter];
      if (value < start.counters[counter] || value > flow.counters[counter]) {
        problems.push(
          `${name} ${flowKey}: ${counter} ${value} not within [${start.counters[counter]}, ${flow.counters[counter]}]`,
        );
      }
    }
    const inbound = start.sas.filter((sa) => sa.direction === 'inbound');
    const outbound = start.sas.filter((sa) => sa.direction === 'outbound');
    if (saved.inbound.saCount !== inbound.length || saved.outbound.saCount !== outbound.length) {
      problems.push(
        `${name} ${flowKey}: SAs ${saved.inbound.saCount}/${saved.outbound.saCount}, sim ${inbound.length}/${outbound.length}`,
      );
    }
    const newest = outbound.reduce((a, b) => (b.remainingSeconds > a.remainingSeconds ? b : a), outbound[0]!);
    if (newest && saved.outbound.spi !== newest.spi) {
      problems.push(`${name} ${flowKey}: newest outbound SPI ${saved.outbound.spi}, sim ${newest.spi}`);
    }
    if (newest) {
      // The SA ends at one instant; reading it at poll time or at the truth's time must name the same instant.
      const expected = earlyAt + newest.remainingSeconds * 1000;
      const got = saved.outbound.expiresAt?.getTime() ?? Number.NaN;
      if (!(Math.abs(got - expected) <= slackMs)) {
        problems.push(
          `${name} ${flowKey}: expires ${new Date(got).toISOString()}, sim ${new Date(expected).toISOString()}`,
        );
      }
    }
  }
  return problems;
}
