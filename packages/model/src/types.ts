/**
 * The normalized view of one poll of one router (DESIGN.md §5): what packages/model produces from the parsed
 * `show crypto` outputs, what packages/db saves, what the API and /metrics serve. Plain data, JSON-safe but
 * for `Date`s. The global routing table is the VRF `''` (empty string) everywhere: in keys, in the database,
 * in the API and in the `vrf` metric label.
 */

export type TunnelState = 'up' | 'down' | 'negotiating';
export type Direction = 'inbound' | 'outbound';
export type IkeVersion = 'ikev1' | 'ikev2';

/** The IKE (phase 1) SA towards the tunnel's peer, as seen by this router. */
export type IkeSaSnapshot = {
  version: IkeVersion;
  localAddress: string | null;
  remoteAddress: string;
  /** As printed: `QM_IDLE`, `MM_NO_STATE`, `READY`, `UP-ACTIVE`, … */
  state: string;
  /** IKEv1 `QM_IDLE` / IKEv2 `READY` (ASA: `UP-ACTIVE`, `MM_ACTIVE`). */
  established: boolean;
  /** Seconds left in the IKE SA's lifetime at poll time, when the router says. */
  remainingSeconds: number | null;
  /** Poll time + remainingSeconds. */
  expiresAt: Date | null;
};

/** One IPsec SA (one SPI, one direction). */
export type SaSnapshot = {
  direction: Direction;
  protocol: 'esp' | 'ah' | 'pcp';
  spi: number;
  transforms: string[];
  mode: 'tunnel' | 'transport' | null;
  remainingSeconds: number | null;
  remainingKilobytes: number | null;
  /** Poll time + remainingSeconds. */
  expiresAt: Date | null;
  /** `ACTIVE`, `ACTIVE(ACTIVE)`, `active`, … or null where the platform prints none. */
  status: string | null;
};

/** Cumulative router counters of one flow, as read (they reset on `clear crypto sa` and on a new SA pair). */
export type FlowCounters = {
  encaps: number;
  encrypt: number;
  digest: number;
  decaps: number;
  decrypt: number;
  verify: number;
  sendErrors: number;
  recvErrors: number;
};

/** What a direction of a flow looks like now: the SA count (2 during a rekey) and the newest SA. */
export type DirectionSnapshot = {
  saCount: number;
  /** The SA with the most remaining lifetime (DESIGN.md §5: during a rekey the newest counts). */
  newest: SaSnapshot | null;
};

/** A pair of protected networks (a proxy-id / traffic selector pair) of one tunnel. */
export type FlowSnapshot = {
  /** Stable key within the tunnel: `${localIdent}>${remoteIdent}` (idents in CIDR text, with `/proto/port` when not 0). */
  key: string;
  /** CIDR text, e.g. `10.1.0.0/24`, `2001:db8::/64`; `/proto/port` appended when protocol or port is not 0. */
  localIdent: string;
  remoteIdent: string;
  counters: FlowCounters;
  inbound: DirectionSnapshot;
  outbound: DirectionSnapshot;
  /** Every SA of the flow, both directions, as listed. */
  sas: SaSnapshot[];
  pfs: boolean | null;
  dhGroup: string | null;
};

/** One IPsec peer of one router: key (router, peer, fvrf). */
export type TunnelSnapshot = {
  peer: string;
  fvrf: string;
  /** Interface the tunnel is on (`GigabitEthernet0/0`, `Tunnel0`, `Virtual-Access3`), when known. */
  interface: string | null;
  localAddress: string | null;
  /** Crypto map name, or the tunnel-protection profile instance (`Tunnel0-head-0`). */
  cryptoMap: string | null;
  cryptoMapSequence: number | null;
  ikeVersion: IkeVersion | null;
  ike: IkeSaSnapshot | null;
  state: TunnelState;
  /** The peer is a static entry in `show crypto map` (so it is expected up, even with no SA). */
  configured: boolean;
  /** Summary labels for `tunnelwatch_tunnel_info`: first transform set of the newest outbound SA etc. */
  transform: string | null;
  mode: 'tunnel' | 'transport' | null;
  pfs: string | null;
  flows: FlowSnapshot[];
};

/** A static crypto map entry, for `tunnelwatch_crypto_map_lifetime_seconds` and "configured" peers. */
export type CryptoMapEntrySnapshot = {
  name: string;
  sequence: number;
  peers: string[];
  lifetimeSeconds: number | null;
  lifetimeKilobytes: number | null;
  dynamic: boolean;
};

/** Everything one successful poll learnt about one router. */
export type PollSnapshot = {
  polledAt: Date;
  tunnels: TunnelSnapshot[];
  cryptoMaps: CryptoMapEntrySnapshot[];
  /** Parser warnings per command (the command as sent), for `tunnelwatch_router_parse_warnings`. */
  warnings: Record<string, number>;
};

/** Why a poll failed (DESIGN.md §6 `reason` label). */
export type PollFailureReason =
  | 'timeout'
  | 'unreachable'
  | 'auth'
  | 'host_key'
  | 'prompt'
  | 'parse'
  | 'internal';
export const POLL_FAILURE_REASONS: readonly PollFailureReason[] = [
  'timeout',
  'unreachable',
  'auth',
  'host_key',
  'prompt',
  'parse',
  'internal',
];

/** What `savePollResult` writes to the events table (DESIGN.md §5). */
export type TunnelEventKind =
  | 'tunnel_discovered'
  | 'state_changed'
  | 'rekeyed'
  | 'configured_peer_vanished'
  | 'tunnel_forgotten'
  | 'host_key_changed'
  | 'remediation';

/** Redis pub/sub channel on which a worker announces a saved poll; the API refreshes its /metrics snapshot. */
export const ROUTER_POLLED_CHANNEL = 'tunnelwatch:router-polled';
export type RouterPolledMessage = {
  routerId: string;
  routerName: string;
  pollId: string;
  ok: boolean;
  finishedAt: string;
};

/**
 * Redis pub/sub channel on which the API (or an import) says the router inventory changed (router created,
 * deleted, enabled, disabled, interval changed); every worker then re-syncs its poll schedulers from Postgres
 * at once instead of at its next periodic sync. The message body is ignored.
 */
export const INVENTORY_CHANGED_CHANNEL = 'tunnelwatch:inventory-changed';

/**
 * Redis pub/sub channel on which whoever revokes an API token (`tunnelwatch token revoke`) announces it after the
 * database write; every API process then drops the token from its verified-token cache at once. The message is
 * the token's id (a UUID, see `isUuid`), never the token or its hash.
 */
export const API_TOKEN_REVOKED_CHANNEL = 'tunnelwatch:api-token-revoked';
