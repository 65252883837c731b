import type { CryptoSession, Ikev2Sa, IsakmpSa } from '@tunnelwatch/parser';
import { canonicalAddress } from './addresses.js';
import type { IkeSaSnapshot } from './types.js';

/** An IKE SA with the peer it belongs to (the remote side) and, where the router says, its front-door VRF. */
export type PeerIkeSa = { peer: string; fvrf: string | null; sa: IkeSaSnapshot };

/** What is known about this router's own addresses and its IPsec peers, to tell the sides of an SA apart. */
export type AddressBook = { local: ReadonlySet<string>; peers: ReadonlySet<string> };

/** IKEv1 phase-1 states of an SA that is up: IOS `QM_IDLE`, ASA main / aggressive mode `MM_ACTIVE` / `AM_ACTIVE`. */
const IKEV1_ESTABLISHED = new Set(['QM_IDLE', 'MM_ACTIVE', 'AM_ACTIVE']);

/**
 * IOS `show crypto isakmp sa detail` prints a Status column (`ACTIVE`) but no state; only the summary prints the
 * phase-1 state (`QM_IDLE`, `MM_NO_STATE`). Gives each detail row the state of the summary row with the same
 * conn-id (else the same two addresses). Without a detail table the summary rows stand for themselves.
 */
export function withSummaryStates(
  detail: readonly IsakmpSa[] | null,
  summary: readonly IsakmpSa[],
): IsakmpSa[] {
  if (detail === null) return [...summary];
  const byConnId = new Map<number, IsakmpSa>();
  const byPair = new Map<string, IsakmpSa>();
  for (const row of summary) {
    if (row.state === null) continue;
    if (row.connId !== null) byConnId.set(row.connId, row);
    byPair.set(pairKey(row), row);
  }
  return detail.map((sa) => {
    if (sa.state !== null) return sa;
    const row = (sa.connId === null ? undefined : byConnId.get(sa.connId)) ?? byPair.get(pairKey(sa));
    return row === undefined ? sa : { ...sa, state: row.state };
  });
}

/** The two addresses of an IKEv1 SA, in either order (the summary's dst/src do not say which is local). */
function pairKey(sa: IsakmpSa): string {
  const sides = [sa.dst, sa.src].map((address) => (address === null ? '' : canonicalAddress(address)));
  return sides.sort().join(' ');
}

/**
 * `show crypto isakmp sa` (ASA `show crypto ikev1 sa`). `state` is the phase-1 state as printed; established
 * is that state (`QM_IDLE`, ASA `MM_ACTIVE`) with a status that is not deleted / standby. An IOS detail row
 * without its summary state (the summary was not read) says only `ACTIVE`, which IOS prints for half-open SAs
 * too: it is reported as state `UNKNOWN`, established on its status alone.
 */
export function ikev1PeerSas(sas: readonly IsakmpSa[], addresses: AddressBook, readAt: Date): PeerIkeSa[] {
  const result: PeerIkeSa[] = [];
  for (const sa of sas) {
    const sides = ikev1Sides(sa, addresses);
    if (sides === null) continue;
    const status = sa.status ?? '';
    const stateUp = sa.state === null ? status === 'ACTIVE' : IKEV1_ESTABLISHED.has(sa.state);
    result.push({
      peer: sides.remote,
      fvrf: null,
      sa: {
        version: 'ikev1',
        localAddress: sides.local,
        remoteAddress: sides.remote,
        state: sa.state ?? 'UNKNOWN',
        established: stateUp && !/deleted|stdby/i.test(status),
        remainingSeconds: sa.lifetimeSeconds,
        expiresAt: expiry(readAt, sa.lifetimeSeconds),
      },
    });
  }
  return result;
}

/** `show crypto ikev2 sa`: sides are explicit; the remaining lifetime is the lifetime minus the active time. */
export function ikev2PeerSas(sas: readonly Ikev2Sa[], readAt: Date): PeerIkeSa[] {
  const result: PeerIkeSa[] = [];
  for (const sa of sas) {
    if (sa.remoteAddress === null) continue;
    const remote = canonicalAddress(sa.remoteAddress);
    const remaining =
      sa.lifetimeSeconds !== null && sa.activeTimeSeconds !== null
        ? Math.max(0, sa.lifetimeSeconds - sa.activeTimeSeconds)
        : null;
    const state = sa.status ?? sa.sessionStatus ?? 'UNKNOWN';
    result.push({
      peer: remote,
      fvrf: sa.fvrf,
      sa: {
        version: 'ikev2',
        localAddress: sa.localAddress === null ? null : canonicalAddress(sa.localAddress),
        remoteAddress: remote,
        state,
        established: state === 'READY' || /^UP-ACTIVE/.test(sa.sessionStatus ?? ''),
        remainingSeconds: remaining,
        expiresAt: expiry(readAt, remaining),
      },
    });
  }
  return result;
}

/** The IKE SAs `show crypto session detail` lists, for routers whose IKE outputs were not read. */
export function sessionPeerSas(sessions: readonly CryptoSession[], readAt: Date): PeerIkeSa[] {
  const result: PeerIkeSa[] = [];
  for (const session of sessions) {
    for (const ike of session.ikeSas) {
      const remoteText = ike.remoteAddress ?? session.peer?.address ?? null;
      if (remoteText === null) continue;
      const remote = canonicalAddress(remoteText);
      const state = ike.status ?? 'UNKNOWN';
      result.push({
        peer: remote,
        fvrf: session.fvrf,
        sa: {
          // Older releases print `IKE SA:`, which is IKEv1 in practice.
          version: ike.version ?? 'ikev1',
          localAddress: ike.localAddress === null ? null : canonicalAddress(ike.localAddress),
          remoteAddress: remote,
          state,
          established: /^active$/i.test(state),
          remainingSeconds: ike.lifetimeSeconds,
          expiresAt: expiry(readAt, ike.lifetimeSeconds),
        },
      });
    }
  }
  return result;
}

/** Of several IKE SAs to one peer (rekey, a deleted one lingering), the one that describes the tunnel. */
export function preferredIkeSa(candidates: readonly PeerIkeSa[]): PeerIkeSa | null {
  let best: PeerIkeSa | null = null;
  for (const candidate of candidates) {
    if (best === null) {
      best = candidate;
      continue;
    }
    const a = candidate.sa;
    const b = best.sa;
    if (a.established !== b.established) {
      if (a.established) best = candidate;
    } else if ((a.remainingSeconds ?? -1) > (b.remainingSeconds ?? -1)) {
      best = candidate;
    }
  }
  return best;
}

/**
 * The IOS summary prints `dst src` without saying which is local (the initiator's own address is `src`).
 * Decide by this router's known addresses, then by its known IPsec peers; failing both, assume the router
 * initiated (dst is the peer). Detail output and ASA name the remote side explicitly.
 */
function ikev1Sides(sa: IsakmpSa, addresses: AddressBook): { local: string | null; remote: string } | null {
  const explicitRemote = sa.remoteAddress === null ? null : canonicalAddress(sa.remoteAddress);
  const dst = sa.dst === null ? null : canonicalAddress(sa.dst);
  const src = sa.src === null ? null : canonicalAddress(sa.src);
  if (explicitRemote !== null) {
    const local =
      sa.localAddress === null ? (dst === explicitRemote ? src : dst) : canonicalAddress(sa.localAddress);
    return { local: local === explicitRemote ? null : local, remote: explicitRemote };
  }
  if (dst === null || src === null) {
    const only = dst ?? src;
    return only === null ? null : { local: null, remote: only };
  }
  if (addresses.local.has(src) || addresses.peers.has(dst)) return { local: src, remote: dst };
  if (addresses.local.has(dst) || addresses.peers.has(src)) return { local: dst, remote: src };
  return { local: src, remote: dst };
}

/** When the SA runs out: the time its output was read plus the remaining lifetime the output printed. */
function expiry(readAt: Date, remainingSeconds: number | null): Date | null {
  return remainingSeconds === null ? null : new Date(readAt.getTime() + remainingSeconds * 1000);
}
