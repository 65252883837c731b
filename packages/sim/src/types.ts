/**
 * The simulator's public types: what a router is made of (the spec you give `startFleet`), how it prints
 * (render options, one switch per FORMATS.md variant), and what it really is at a moment (the truth).
 */

export type Platform = 'ios' | 'iosxe' | 'asa';

/** How a peer is configured: a static crypto-map entry, a dynamic-map peer, or tunnel protection (GRE/VTI, DMVPN). */
export type TunnelKind = 'static' | 'dynamic' | 'profile';

/** One protected network pair (proxy ids / traffic selectors), as CIDR text: `10.1.0.0/24`, `2001:db8::/64`. */
export type FlowSpec = {
  local: string;
  remote: string;
  /** IP protocol number (0 = any, 47 = GRE). Default 0. */
  protocol?: number;
};

/** One IPsec peer of a router. Everything but `peer` has a sensible default. */
export type TunnelSpec = {
  /** The peer's address (IPv4 or IPv6). */
  peer: string;
  kind?: TunnelKind;
  /** The interface the crypto map or tunnel protection sits on. Default: the router's first interface (or `Tunnel0` for profiles). */
  interface?: string;
  /** Local address; default the interface's address. */
  localAddress?: string;
  /** Crypto map name (static/dynamic) or profile name (tunnel protection). Default `VPN-MAP` / `IPSEC-PROFILE`. */
  cryptoMap?: string;
  /** Crypto map sequence number; default 10, 20, … in order. */
  sequence?: number;
  ikeVersion?: 1 | 2;
  flows?: FlowSpec[];
  transformSet?: string;
  /** Default `['esp-256-aes', 'esp-sha-hmac']` (ASA: `esp-aes-256`). */
  transforms?: string[];
  mode?: 'tunnel' | 'transport';
  /** IPsec SA lifetime; default 3600 s / 4608000 KB. */
  lifetimeSeconds?: number;
  lifetimeKilobytes?: number;
  /** IKE SA lifetime; default 86400 s. */
  ikeLifetimeSeconds?: number;
  /** Packets per second sent into the tunnel (outbound); default 10. */
  ratePps?: number;
  /** Packets per second received (inbound); default = ratePps. */
  inboundRatePps?: number;
  /** Average packet size in bytes, for the kilobyte lifetime; default 200. */
  packetBytes?: number;
  /** PFS DH group (`group14`) or null for no PFS. */
  pfs?: string | null;
  fvrf?: string;
  ivrf?: string;
  /** Initial state; default `up`. */
  state?: 'up' | 'down';
};

export type InterfaceSpec = { name: string; address: string };

/** Per-router output switches, one per FORMATS.md variant. Defaults follow the platform. */
export type RenderOptions = {
  /** `short`: `#send errors 0, #recv errors 0`; `long`: the IOS-XE block with per-reason counters. */
  counterBlock?: 'short' | 'long';
  /** `k/sec` (default), `sec` (`remaining key lifetime (sec): 94`), `hours` (`1 hours, 10 mins`). */
  lifetimeStyle?: 'k/sec' | 'sec' | 'hours';
  /** Print `Status: ACTIVE(ACTIVE)` lines (default true; ASA never prints them). */
  statusLines?: boolean;
  /** Kilobyte volume rekey disabled: prints `Kilobyte Volume Rekey has been disabled`. */
  kilobyteRekeyDisabled?: boolean;
  /** `show crypto isakmp sa detail`: the header wrapped at the terminal width, `Cap.` on its own line. */
  isakmpHeaderWrapped?: boolean;
  /** Line ends: `\r\n` (default, as IOS sends) or `\n`. */
  lineEnding?: '\r\n' | '\n';
};

/** A router as given to `startFleet`. Only `name` is required. */
export type RouterSpec = {
  name: string;
  platform?: Platform;
  /** Hostname shown in the prompt; default `name`. */
  hostname?: string;
  username?: string;
  password?: string;
  enableSecret?: string;
  /** OpenSSH public keys (`ssh-ed25519 AAAA…`) allowed to log in as `username`. */
  authorizedKeys?: string[];
  /** Log in straight at `#` (AAA privilege 15) instead of `>`. Default false. */
  loginPrivileged?: boolean;
  /** Printed after login; null for none. */
  banner?: string | null;
  /** Print the banner without a trailing newline (seen on real devices). */
  bannerWithoutNewline?: boolean;
  interfaces?: InterfaceSpec[];
  tunnels?: TunnelSpec[];
  render?: RenderOptions;
  /** Delay before a command's output, in real milliseconds; default 0. */
  commandLatencyMs?: number;
};

/** Faults a router can be switched into at run time (`router.setFault(…)`). */
export type Fault =
  /** TCP connections are refused (the listener is closed). */
  | { kind: 'refuse' }
  /** TCP accepted, but not a byte of SSH is ever sent. */
  | { kind: 'hang-on-connect' }
  /** The next show command prints `afterBytes` bytes of its output, then nothing more (connection stays open). */
  | { kind: 'hang-mid-output'; afterBytes?: number }
  /** The next show command prints `afterBytes` bytes, then the TCP connection is destroyed. */
  | { kind: 'drop-mid-output'; afterBytes?: number }
  /** Every write is sent in chunks of `bytes` bytes, one chunk every `intervalMs`. */
  | { kind: 'slow'; bytes?: number; intervalMs?: number }
  /** Show commands print random garbage instead of their output. */
  | { kind: 'garbage' }
  /** Every login attempt is rejected. */
  | { kind: 'reject-login' }
  /** `terminal length 0` is ignored: output always pages with `--More--`. */
  | { kind: 'force-paging' }
  /** Commands starting with `prefix` get `% Invalid input detected`, as from a release that lacks them. */
  | { kind: 'reject-command'; prefix: string };

export type FaultKind = Fault['kind'];

/** Counters of one flow, named as the parser names them. */
export type FlowCountersTruth = {
  encaps: number;
  encrypt: number;
  digest: number;
  decaps: number;
  decrypt: number;
  verify: number;
  sendErrors: number;
  recvErrors: number;
};

/** One IPsec SA at the moment of the truth. */
export type SaTruth = {
  direction: 'inbound' | 'outbound';
  protocol: 'esp';
  spi: number;
  transforms: string[];
  mode: 'tunnel' | 'transport';
  connId: number;
  flowId: string;
  remainingSeconds: number;
  remainingKilobytes: number;
  /** The rekey generation (0 = first SA pair of this session). */
  generation: number;
};

export type FlowTruth = {
  local: string;
  remote: string;
  protocol: number;
  counters: FlowCountersTruth;
  /** Inbound SAs first, then outbound; during a rekey two per direction (old, then new). */
  sas: SaTruth[];
};

export type IkeSaTruth = {
  version: 1 | 2;
  /** `QM_IDLE` (IKEv1; ASA `MM_ACTIVE`) or `READY` (IKEv2). */
  state: string;
  connId: number;
  localSpi: string;
  remoteSpi: string;
  lifetimeSeconds: number;
  remainingSeconds: number;
  /** Seconds since this IKE SA came up. */
  activeSeconds: number;
};

export type TunnelTruth = {
  peer: string;
  kind: TunnelKind;
  interface: string;
  localAddress: string;
  cryptoMap: string;
  sequence: number;
  fvrf: string;
  ivrf: string;
  ikeVersion: 1 | 2;
  transformSet: string;
  transforms: string[];
  mode: 'tunnel' | 'transport';
  lifetimeSeconds: number;
  lifetimeKilobytes: number;
  pfs: string | null;
  state: 'up' | 'down';
  /** Sim seconds since the current IPsec session came up (null when down). */
  uptimeSeconds: number | null;
  ike: IkeSaTruth | null;
  flows: FlowTruth[];
};

/** What a router really is at one moment: the ground truth tests compare parsed output against. */
export type RouterTruth = {
  name: string;
  platform: Platform;
  /** Simulated time of this truth, in ms since the epoch. */
  at: number;
  tunnels: TunnelTruth[];
};
