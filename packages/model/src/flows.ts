import type { IpsecFlow, IpsecSa } from '@tunnelwatch/parser';
import { identText } from './addresses.js';
import type { Direction, DirectionSnapshot, FlowCounters, FlowSnapshot, SaSnapshot } from './types.js';

/** One flow of `show crypto ipsec sa` as a snapshot: idents as CIDR text, SAs with expiry times. */
export function flowSnapshot(flow: IpsecFlow, polledAt: Date): FlowSnapshot {
  const localIdent = identText(flow.localIdent);
  const remoteIdent = identText(flow.remoteIdent);
  const sas = flow.sas.map((sa) => saSnapshot(sa, polledAt));
  return {
    key: `${localIdent}>${remoteIdent}`,
    localIdent,
    remoteIdent,
    counters: flowCounters(flow),
    inbound: directionSnapshot(sas, 'inbound'),
    outbound: directionSnapshot(sas, 'outbound'),
    sas,
    pfs: flow.pfs,
    dhGroup: flow.dhGroup,
  };
}

/**
 * The same flow listed twice (under a crypto map interface and its tunnel interface, say): keep the first
 * listing's counters and add the SAs only the second one shows.
 */
export function mergeFlow(into: FlowSnapshot, other: FlowSnapshot): FlowSnapshot {
  const known = new Set(into.sas.map(saKey));
  const sas = [...into.sas, ...other.sas.filter((sa) => !known.has(saKey(sa)))];
  return {
    ...into,
    sas,
    inbound: directionSnapshot(sas, 'inbound'),
    outbound: directionSnapshot(sas, 'outbound'),
    pfs: into.pfs ?? other.pfs,
    dhGroup: into.dhGroup ?? other.dhGroup,
  };
}

/** Whether an SA carries traffic: `ACTIVE`, `ACTIVE(ACTIVE)`, ASA `active`, or no status printed at all. */
export function isActiveSa(sa: SaSnapshot): boolean {
  return sa.status === null || /^active\b/i.test(sa.status);
}

function saSnapshot(sa: IpsecSa, polledAt: Date): SaSnapshot {
  return {
    direction: sa.direction,
    protocol: sa.protocol,
    spi: sa.spi,
    transforms: sa.transforms,
    mode: sa.mode,
    remainingSeconds: sa.remainingSeconds,
    remainingKilobytes: sa.remainingKilobytes,
    expiresAt:
      sa.remainingSeconds === null ? null : new Date(polledAt.getTime() + sa.remainingSeconds * 1000),
    status: sa.status,
  };
}

/**
 * The active SAs of one direction and the newest of them (DESIGN.md §5: during a rekey two SAs exist and the
 * one with the most remaining lifetime is the new one). Only the flow's main protocol is counted (ESP, else
 * AH): an ESP+AH flow has one SA per direction, not two.
 */
function directionSnapshot(sas: readonly SaSnapshot[], direction: Direction): DirectionSnapshot {
  const active = sas.filter((sa) => sa.direction === direction && isActiveSa(sa));
  const mainProtocol = active.some((sa) => sa.protocol === 'esp') ? 'esp' : (active[0]?.protocol ?? 'esp');
  const counted = active.filter((sa) => sa.protocol === mainProtocol);
  let newest: SaSnapshot | null = null;
  for (const sa of counted) {
    if (newest === null || compareLifetime(sa, newest) >= 0) newest = sa;
  }
  return { saCount: counted.length, newest };
}

/** Remaining seconds first, remaining kilobytes to break ties; unknown ranks lowest. */
function compareLifetime(a: SaSnapshot, b: SaSnapshot): number {
  const bySeconds = (a.remainingSeconds ?? -1) - (b.remainingSeconds ?? -1);
  return bySeconds !== 0 ? bySeconds : (a.remainingKilobytes ?? -1) - (b.remainingKilobytes ?? -1);
}

function flowCounters(flow: IpsecFlow): FlowCounters {
  const { counters } = flow;
  // A counter the router did not print counts as 0: the metric must exist for `rate()` to work.
  return {
    encaps: counters.encaps ?? 0,
    encrypt: counters.encrypt ?? 0,
    digest: counters.digest ?? 0,
    decaps: counters.decaps ?? 0,
    decrypt: counters.decrypt ?? 0,
    verify: counters.verify ?? 0,
    sendErrors: counters.sendErrors ?? 0,
    recvErrors: counters.recvErrors ?? 0,
  };
}

function saKey(sa: SaSnapshot): string {
  return `${sa.direction}/${sa.protocol}/${sa.spi}`;
}
