import type {
  CryptoMapEntry,
  CryptoMapOutput,
  CryptoSessionOutput,
  Ikev2SaOutput,
  IpsecSaOutput,
  IsakmpSaOutput,
} from '@tunnelwatch/parser';
import { canonicalAddress } from './addresses.js';
import { flowSnapshot, mergeFlow } from './flows.js';
import {
  type AddressBook,
  ikev1PeerSas,
  ikev2PeerSas,
  type PeerIkeSa,
  preferredIkeSa,
  sessionPeerSas,
  withSummaryStates,
} from './ike-sas.js';
import { tunnelState } from './tunnel-state.js';
import type {
  CryptoMapEntrySnapshot,
  FlowSnapshot,
  IkeVersion,
  PollSnapshot,
  SaSnapshot,
  TunnelSnapshot,
} from './types.js';

/**
 * The parsed outputs of one poll (`value` of each parser's result). Every output is optional: a command that
 * was not run or not understood means fewer facts, never an exception.
 */
export type ParsedPoll = {
  /** When `show crypto ipsec sa` was read: the IPsec SAs' `expiresAt` = polledAt + their remaining seconds. */
  polledAt: Date;
  /**
   * When each IKE output was read, where it differs from `polledAt` (commands of one slow session are read
   * seconds apart); its SAs' `expiresAt` count from it. Each defaults to `polledAt`.
   */
  readAt?: { isakmpSa?: Date; ikev2Sa?: Date; cryptoSession?: Date };
  /** `show crypto ipsec sa [detail]`: the tunnels' flows, SAs and counters. */
  ipsecSa?: IpsecSaOutput | null;
  /** `show crypto isakmp sa [detail]` (ASA: `show crypto ikev1 sa [detail]`). */
  isakmpSa?: IsakmpSaOutput | null;
  /**
   * IOS / IOS-XE `show crypto isakmp sa` (the summary), when `isakmpSa` is the detail table: the detail prints
   * the lifetime but not the phase-1 state (`QM_IDLE`, `MM_NO_STATE`); the summary lends it, by conn-id.
   */
  isakmpSaSummary?: IsakmpSaOutput | null;
  /** `show crypto ikev2 sa [detail]`. */
  ikev2Sa?: Ikev2SaOutput | null;
  /** `show crypto map`: which peers are expected (static entries) and the configured lifetimes. */
  cryptoMap?: CryptoMapOutput | null;
  /** `show crypto session [detail]`: front-door VRFs, interfaces, DMVPN / FlexVPN peers. */
  cryptoSession?: CryptoSessionOutput | null;
  /** Parser warnings per command as sent, passed through to the snapshot. */
  warnings?: Record<string, number>;
};

/** A tunnel while the poll's outputs are being gathered. */
type TunnelDraft = {
  peer: string;
  fvrf: string;
  interface: string | null;
  localAddress: string | null;
  cryptoMap: string | null;
  cryptoMapSequence: number | null;
  flows: Map<string, FlowSnapshot>;
  ike: PeerIkeSa[];
  /** IKE SAs from `show crypto session`, used only when the IKE commands said nothing about the peer. */
  sessionIke: PeerIkeSa[];
  sessionStatus: string | null;
  mapEntry: CryptoMapEntry | null;
  configured: boolean;
};

/** One poll's parsed outputs → the router's tunnels, flows and SAs (DESIGN.md §5). */
export function normalizePoll(input: ParsedPoll): PollSnapshot {
  const { polledAt } = input;
  const interfaces = input.ipsecSa?.interfaces ?? [];
  const sessions = input.cryptoSession?.sessions ?? [];
  const mapEntries = input.cryptoMap?.maps ?? [];
  const ikev2 = ikev2PeerSas(input.ikev2Sa?.sas ?? [], input.readAt?.ikev2Sa ?? polledAt);
  const fvrfs = new FvrfDirectory();
  for (const session of sessions) {
    if (session.peer !== null) fvrfs.add(session.peer.address, session.interface, session.fvrf);
  }
  for (const { peer, fvrf } of ikev2) fvrfs.add(peer, null, fvrf);

  const tunnels = new Map<string, TunnelDraft>();
  const draftFor = (peer: string, fvrf: string): TunnelDraft => {
    const key = `${fvrf}\u0000${peer}`;
    let draft = tunnels.get(key);
    if (draft === undefined) {
      draft = emptyDraft(peer, fvrf);
      tunnels.set(key, draft);
    }
    return draft;
  };

  for (const iface of interfaces) {
    for (const flow of iface.flows) {
      const peerText = flow.peer?.address ?? flow.remoteEndpoint?.address ?? null;
      if (peerText === null || isUnspecified(peerText)) continue;
      const peer = canonicalAddress(peerText);
      const draft = draftFor(peer, fvrfs.resolve(peer, iface.name));
      draft.interface ??= iface.name;
      draft.localAddress ??= firstAddress(flow.localAddress, iface.localAddress, flow.localEndpoint?.address);
      draft.cryptoMap ??= flow.cryptoMapTag ?? iface.cryptoMapTag;
      draft.cryptoMapSequence ??= flow.cryptoMapSequence;
      const snapshot = flowSnapshot(flow, polledAt);
      const known = draft.flows.get(snapshot.key);
      draft.flows.set(snapshot.key, known === undefined ? snapshot : mergeFlow(known, snapshot));
    }
  }

  const addresses = addressBook(input, tunnels.values(), mapEntries);
  const isakmpSas =
    input.isakmpSaSummary == null
      ? (input.isakmpSa?.sas ?? [])
      : withSummaryStates(input.isakmpSa?.sas ?? null, input.isakmpSaSummary.sas);
  const ikev1 = ikev1PeerSas(isakmpSas, addresses, input.readAt?.isakmpSa ?? polledAt);
  for (const ike of [...ikev1, ...ikev2]) {
    if (isUnspecified(ike.peer)) continue;
    draftFor(ike.peer, ike.fvrf ?? fvrfs.resolve(ike.peer, null)).ike.push(ike);
  }

  for (const session of sessions) {
    if (session.peer === null || isUnspecified(session.peer.address)) continue;
    const peer = canonicalAddress(session.peer.address);
    const draft = draftFor(peer, session.fvrf ?? '');
    draft.interface ??= session.interface;
    draft.sessionStatus ??= session.status;
    draft.sessionIke.push(...sessionPeerSas([session], input.readAt?.cryptoSession ?? polledAt));
  }

  for (const draft of tunnels.values()) {
    const entry = mapEntryOf(draft, mapEntries);
    if (entry !== null) attachMapEntry(draft, entry);
  }
  // Static entries name the peers that should be up: one seen in any fVRF is that peer; one not seen is down.
  const seenByPeer = new Map<string, TunnelDraft[]>();
  for (const draft of tunnels.values())
    seenByPeer.set(draft.peer, [...(seenByPeer.get(draft.peer) ?? []), draft]);
  for (const entry of mapEntries.filter(isStatic)) {
    for (const peer of entryPeers(entry)) {
      if (isUnspecified(peer)) continue;
      let seen = seenByPeer.get(peer);
      if (seen === undefined) {
        const draft = draftFor(peer, fvrfs.resolve(peer, null));
        attachMapEntry(draft, entry);
        seen = [draft];
        seenByPeer.set(peer, seen);
      }
      for (const draft of seen) draft.configured = true;
    }
  }

  return {
    polledAt,
    tunnels: [...tunnels.values()].map((draft) => finishTunnel(draft, input)).sort(byFvrfThenPeer),
    cryptoMaps: mapEntries.flatMap(cryptoMapSnapshot),
    warnings: { ...input.warnings },
  };
}

function emptyDraft(peer: string, fvrf: string): TunnelDraft {
  return {
    peer,
    fvrf,
    interface: null,
    localAddress: null,
    cryptoMap: null,
    cryptoMapSequence: null,
    flows: new Map(),
    ike: [],
    sessionIke: [],
    sessionStatus: null,
    mapEntry: null,
    configured: false,
  };
}

/** A static map entry's peers are expected up (`configured`); dynamic and profile entries list what is seen. */
function isStatic(entry: CryptoMapEntry): boolean {
  return !entry.dynamic && !entry.profileInstance;
}

/**
 * The map entry a seen tunnel belongs to: the one the IPsec output named (IOS prints the map tag but no
 * sequence, so among entries of that name the one listing the peer, or the only one, or the only dynamic
 * one), else one listing it.
 */
function mapEntryOf(draft: TunnelDraft, entries: readonly CryptoMapEntry[]): CryptoMapEntry | null {
  const listsPeer = (entry: CryptoMapEntry) => entryPeers(entry).has(draft.peer);
  if (draft.cryptoMap === null) return entries.find(listsPeer) ?? null;
  const named = entries.filter(
    (entry) =>
      entry.name === draft.cryptoMap &&
      (draft.cryptoMapSequence === null || entry.sequence === draft.cryptoMapSequence),
  );
  const dynamic = named.filter((entry) => entry.dynamic);
  // A peer no static entry lists came in through the map's dynamic entry, if it has exactly one.
  return (
    named.find(listsPeer) ?? (named.length === 1 ? named[0]! : dynamic.length === 1 ? dynamic[0]! : null)
  );
}

const canonicalPeers = new WeakMap<CryptoMapEntry, ReadonlySet<string>>();

/** An entry's peers in canonical spelling, computed once per entry (a DMVPN hub has hundreds of tunnels). */
function entryPeers(entry: CryptoMapEntry): ReadonlySet<string> {
  let peers = canonicalPeers.get(entry);
  if (peers === undefined) {
    peers = new Set(entry.peers.map(canonicalAddress));
    canonicalPeers.set(entry, peers);
  }
  return peers;
}

function attachMapEntry(draft: TunnelDraft, entry: CryptoMapEntry): void {
  draft.mapEntry = entry;
  draft.cryptoMap ??= entry.name;
  draft.cryptoMapSequence ??= entry.sequence;
  draft.interface ??= entry.interfaces[0] ?? null;
}

function finishTunnel(draft: TunnelDraft, input: ParsedPoll): TunnelSnapshot {
  const flows = [...draft.flows.values()];
  // The IKE commands are the authority; `show crypto session` only fills in when they were not read.
  const ikeRead = input.isakmpSa != null || input.isakmpSaSummary != null || input.ikev2Sa != null;
  const ike = preferredIkeSa(draft.ike.length > 0 || ikeRead ? draft.ike : draft.sessionIke);
  const newestOutbound = newestSa(flows.map((flow) => flow.outbound.newest));
  const pfsFlow = flows.find((flow) => flow.pfs === true);
  return {
    peer: draft.peer,
    fvrf: draft.fvrf,
    interface: draft.interface,
    localAddress: draft.localAddress ?? ike?.sa.localAddress ?? null,
    cryptoMap: draft.cryptoMap,
    cryptoMapSequence: draft.cryptoMapSequence,
    ikeVersion: ike?.sa.version ?? mapIkeVersion(draft.mapEntry),
    ike: ike?.sa ?? null,
    state: tunnelState({
      flows,
      ike: ike?.sa ?? null,
      ikeRequired: draft.mapEntry?.type !== 'ipsec-manual',
      ipsecRead: input.ipsecSa != null,
      sessionStatus: draft.sessionStatus,
    }),
    configured: draft.configured,
    transform: newestOutbound === null ? null : newestOutbound.transforms.join(' '),
    mode: newestOutbound?.mode ?? null,
    pfs: pfsFlow === undefined ? null : (pfsFlow.dhGroup ?? 'yes'),
    flows,
  };
}

function newestSa(candidates: readonly (SaSnapshot | null)[]): SaSnapshot | null {
  let newest: SaSnapshot | null = null;
  for (const sa of candidates) {
    if (sa !== null && (newest === null || (sa.remainingSeconds ?? -1) > (newest.remainingSeconds ?? -1))) {
      newest = sa;
    }
  }
  return newest;
}

function mapIkeVersion(entry: CryptoMapEntry | null): IkeVersion | null {
  if (entry === null) return null;
  if (entry.ikev2Profile !== null) return 'ikev2';
  if (entry.isakmpProfile !== null) return 'ikev1';
  return null;
}

function cryptoMapSnapshot(entry: CryptoMapEntry): CryptoMapEntrySnapshot[] {
  if (entry.sequence === null) return [];
  return [
    {
      name: entry.name,
      sequence: entry.sequence,
      peers: entry.peers.map(canonicalAddress),
      lifetimeSeconds: entry.lifetimeSeconds,
      lifetimeKilobytes: entry.lifetimeKilobytes,
      dynamic: entry.dynamic,
    },
  ];
}

/** This router's own addresses and its IPsec peers, as far as the outputs tell. */
function addressBook(
  input: ParsedPoll,
  drafts: Iterable<TunnelDraft>,
  mapEntries: readonly CryptoMapEntry[],
): AddressBook {
  const local = new Set<string>();
  const peers = new Set<string>();
  const addLocal = (address: string | null | undefined) => {
    if (address) local.add(canonicalAddress(address));
  };
  for (const iface of input.ipsecSa?.interfaces ?? []) {
    addLocal(iface.localAddress);
    for (const flow of iface.flows) {
      addLocal(flow.localAddress);
      addLocal(flow.localEndpoint?.address);
    }
  }
  for (const sa of input.ikev2Sa?.sas ?? []) addLocal(sa.localAddress);
  for (const sa of input.isakmpSa?.sas ?? []) addLocal(sa.localAddress);
  for (const session of input.cryptoSession?.sessions ?? []) {
    for (const ike of session.ikeSas) addLocal(ike.localAddress);
    if (session.peer !== null) peers.add(canonicalAddress(session.peer.address));
  }
  for (const draft of drafts) peers.add(draft.peer);
  for (const entry of mapEntries) for (const peer of entry.peers) peers.add(canonicalAddress(peer));
  return { local, peers };
}

/**
 * Front-door VRFs by peer. `show crypto ipsec sa` and the IKEv1 table do not print them; `show crypto
 * session` and `show crypto ikev2 sa` do. The same address in two fVRFs is told apart by interface.
 */
class FvrfDirectory {
  private readonly byPeer = new Map<string, Set<string>>();
  private readonly byPeerAndInterface = new Map<string, string>();

  add(peerText: string, iface: string | null, fvrf: string | null): void {
    const peer = canonicalAddress(peerText);
    const vrf = fvrf ?? '';
    let set = this.byPeer.get(peer);
    if (set === undefined) {
      set = new Set();
      this.byPeer.set(peer, set);
    }
    set.add(vrf);
    if (iface !== null) this.byPeerAndInterface.set(`${peer}\u0000${iface}`, vrf);
  }

  /** The peer's fVRF: by interface when known, else the only one the peer has, else the global table. */
  resolve(peer: string, iface: string | null): string {
    if (iface !== null) {
      const exact = this.byPeerAndInterface.get(`${peer}\u0000${iface}`);
      if (exact !== undefined) return exact;
    }
    const known = this.byPeer.get(peer);
    return known !== undefined && known.size === 1 ? [...known][0]! : '';
  }
}

function firstAddress(...candidates: (string | null | undefined)[]): string | null {
  const found = candidates.find((candidate) => candidate != null && candidate !== '');
  return found == null ? null : canonicalAddress(found);
}

/** `current_peer 0.0.0.0`: an idle dynamic-map flow with no peer yet. */
function isUnspecified(address: string): boolean {
  const canonical = canonicalAddress(address);
  return canonical === '0.0.0.0' || canonical === '::' || canonical === '';
}

/** `198.51.0.2` before `198.51.0.10`. */
const NUMERIC_ORDER = new Intl.Collator('en', { numeric: true });

function byFvrfThenPeer(a: TunnelSnapshot, b: TunnelSnapshot): number {
  return a.fvrf === b.fvrf ? NUMERIC_ORDER.compare(a.peer, b.peer) : NUMERIC_ORDER.compare(a.fvrf, b.fvrf);
}
