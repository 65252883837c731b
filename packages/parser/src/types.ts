/**
 * Output types of every parser (DESIGN.md §4). Field names are a contract shared with packages/model, the
 * simulator's renderer, the database and the API: add fields, never rename or remove them.
 * Conventions: numbers are numbers; a value the router did not print is `null`; `(none)` / `none` VRFs,
 * profiles and crypto map tags are `null` too; strings are kept as printed otherwise.
 */

export type Platform = 'ios' | 'iosxe' | 'asa';

export type ParseOptions = {
  /** Accepted for every parser; the layout is recognised from the text itself, so this is only a hint. */
  platform?: Platform;
};

/** A line the parser did not understand (or could not attribute safely): reported, never thrown. */
export type ParseWarning = {
  /** 1-based line number in the original text. */
  line: number;
  /** The line as printed, without leading/trailing whitespace. */
  text: string;
  message: string;
};

export type Parsed<T> = { value: T; warnings: ParseWarning[] };

/** An address with an optional port: `current_peer 10.0.0.2 port 500`, ASA endpoint `172.16.248.119/4500`. */
export type Endpoint = { address: string; port: number | null };

// ---------------------------------------------------------------------------------------------------------
// show crypto ipsec sa [detail | peer X | interface X]  (IOS, IOS-XE, ASA)

export type IpsecSaOutput = { interfaces: IpsecInterface[] };

export type IpsecInterface = {
  name: string;
  /** The first `Crypto map tag:` of the interface (each flow carries its own). */
  cryptoMapTag: string | null;
  localAddress: string | null;
  flows: IpsecFlow[];
};

/** `(192.168.1.0/255.255.255.0/0/0)`, `(4180::56:0:1/128/0/12346)`. */
export type Ident = {
  /** As printed: an IPv4/IPv6 address or, on ASA, an object name. */
  address: string;
  /** IPv4 only; null for IPv6. */
  mask: string | null;
  /** For IPv4 computed from the mask (null for a non-contiguous mask); for IPv6 as printed. */
  prefixLength: number | null;
  protocol: number | null;
  port: number | null;
};

/**
 * Packet counters, each under its own camelCase name. The eight named ones are null when their line was not
 * printed; every other counter appears only when printed (`#pkts invalid sa (rcv)` → `invalidSaRcv`).
 */
export type IpsecCounters = {
  encaps: number | null;
  encrypt: number | null;
  digest: number | null;
  decaps: number | null;
  decrypt: number | null;
  verify: number | null;
  sendErrors: number | null;
  recvErrors: number | null;
  [counter: string]: number | null;
};

export type IpsecFlow = {
  cryptoMapTag: string | null;
  cryptoMapSequence: number | null;
  localAddress: string | null;
  /** `protected vrf: (none)` → null. */
  protectedVrf: string | null;
  /** OSPFv3: `IPsecv6 policy name: OSPFv3-256`. */
  ipsecPolicyName: string | null;
  /** ASA: the `access-list … permit ip …` line of the flow, as printed. */
  accessList: string | null;
  localIdent: Ident | null;
  remoteIdent: Ident | null;
  peer: Endpoint | null;
  /** ASA remote access: `current_peer: 203.0.113.9, username: jdoe`. */
  username: string | null;
  /** ASA remote access: `dynamic allocated peer ip: 10.135.1.5`. */
  dynamicAllocatedPeerIp: string | null;
  /** `PERMIT`, `DENY`, … */
  action: string | null;
  flags: string[];
  counters: IpsecCounters;
  localEndpoint: Endpoint | null;
  remoteEndpoint: Endpoint | null;
  plaintextMtu: number | null;
  pathMtu: number | null;
  /** `ip mtu` or `ipv6 mtu`. */
  ipMtu: number | null;
  ipMtuIdb: string | null;
  /** ASA: `ipsec overhead 82(52)` → 82. */
  ipsecOverhead: number | null;
  /** ASA: `media mtu 1500`. */
  mediaMtu: number | null;
  /** `0x0(0)` → 0 (no SA); ASA prints hex only. */
  currentOutboundSpi: number | null;
  /** ASA only. */
  currentInboundSpi: number | null;
  pfs: boolean | null;
  /** `group14`; `none` → null. */
  dhGroup: string | null;
  /** `AKE group: AKE1: MLKEM512` → `AKE1: MLKEM512`. */
  akeGroup: string | null;
  /** `PQC Key Exchange: ML-KEM-1024` → `ML-KEM-1024`. */
  pqcKeyExchange: string | null;
  sas: IpsecSa[];
};

export type IpsecSa = {
  direction: 'inbound' | 'outbound';
  protocol: 'esp' | 'ah' | 'pcp';
  /** The decimal value of the SPI. */
  spi: number;
  /** `esp-256-aes esp-sha-hmac ,` → [`esp-256-aes`, `esp-sha-hmac`]; `esp-gcm 256` stays one transform. */
  transforms: string[];
  /** ASA's `no compression` after the transforms → false; null when the line says nothing about it. */
  compression: boolean | null;
  mode: 'tunnel' | 'transport' | null;
  /** `{Tunnel UDP-Encaps, esn}` → [`Tunnel UDP-Encaps`, `esn`]. */
  settings: string[];
  connId: number | null;
  /** `SW:1`, `CSR:76`, `Onboard VPN:124`. */
  flowId: string | null;
  siblingFlags: string | null;
  cryptoMap: string | null;
  /** IOS-XE `, initiator : True`. */
  initiator: boolean | null;
  /** ASA `slot: 0`. */
  slot: number | null;
  remainingKilobytes: number | null;
  /** Seconds, whatever unit the router printed. */
  remainingSeconds: number | null;
  /** `Kilobyte Volume Rekey has been disabled`. */
  kilobyteRekeyDisabled: boolean;
  ivSize: number | null;
  replayDetection: boolean | null;
  replayWindow: number | null;
  /** `ACTIVE(ACTIVE)`, `ACTIVE`, ASA `SA State: active` → `active`; null when not printed. */
  status: string | null;
};

// ---------------------------------------------------------------------------------------------------------
// show crypto isakmp sa [detail]; ASA show crypto ikev1 sa [detail] / show crypto isakmp sa [detail]

export type IsakmpSaOutput = { sas: IsakmpSa[] };

export type IsakmpSa = {
  ipVersion: 4 | 6 | null;
  /** As printed in the summary; detail prints Local/Remote instead: dst = Remote, src = Local; ASA: dst = peer. */
  dst: string | null;
  src: string | null;
  /** Detail (IOS) `Local`; null elsewhere. */
  localAddress: string | null;
  /** Detail `Remote`, ASA `IKE Peer`; null in the IOS summary (dst/src do not say which side is remote). */
  remoteAddress: string | null;
  /** `QM_IDLE`, `MM_NO_STATE`, ASA `MM_ACTIVE`; IOS detail prints none. */
  state: string | null;
  connId: number | null;
  /** `ACTIVE`, `ACTIVE (deleted)`, `STDBY`. */
  status: string | null;
  slot: number | null;
  encryption: string | null;
  hash: string | null;
  auth: string | null;
  dhGroup: number | null;
  /** Remaining lifetime in seconds (IOS detail `23:59:12`, ASA `Lifetime Remaining:`). */
  lifetimeSeconds: number | null;
  /** ASA detail `Lifetime: 86400` (the configured lifetime). */
  configuredLifetimeSeconds: number | null;
  capabilities: string | null;
  /** `Engine-id:Conn-id =  SW:12609` → `SW:12609`; `????` → null. */
  engineId: string | null;
  ivrf: string | null;
  /** ASA `Type    : L2L`. */
  type: string | null;
  /** ASA `Role    : initiator`. */
  role: string | null;
  /** ASA `Rekey   : no` → false. */
  rekey: boolean | null;
};

// ---------------------------------------------------------------------------------------------------------
// show crypto ikev2 sa [detail]  (IOS, IOS-XE, ASA)

export type Ikev2SaOutput = { sas: Ikev2Sa[] };

export type Ikev2Sa = {
  tunnelId: number | null;
  localAddress: string | null;
  localPort: number | null;
  remoteAddress: string | null;
  remotePort: number | null;
  fvrf: string | null;
  ivrf: string | null;
  /** `READY`, `IN-NEG`, `DELETE`, … */
  status: string | null;
  encryption: string | null;
  keySize: number | null;
  prf: string | null;
  hash: string | null;
  dhGroup: number | null;
  authSign: string | null;
  authVerify: string | null;
  lifetimeSeconds: number | null;
  activeTimeSeconds: number | null;
  /** 64-bit IKE SPIs, hex as printed. */
  localSpi: string | null;
  remoteSpi: string | null;
  localId: string | null;
  remoteId: string | null;
  ceId: number | null;
  sessionId: number | null;
  statusDescription: string | null;
  /** `Initiator of SA : Yes` → true. */
  initiator: boolean | null;
  /** `Quantum-safe Encryption using PQC: ML-KEM-1024` → `ML-KEM-1024`. */
  pqc: string | null;
  /** ASA `Role` column: `INITIATOR` / `RESPONDER`. */
  role: string | null;
  /** ASA `Session-id:1, Status:UP-ACTIVE, …` line. */
  sessionStatus: string | null;
  ikeCount: number | null;
  childCount: number | null;
  /** ASA `Child sa:` blocks. */
  childSas: Ikev2ChildSa[];
};

export type Ikev2ChildSa = {
  /** `10.1.0.0/0 - 10.1.255.255/65535`, as printed. */
  localSelector: string | null;
  remoteSelector: string | null;
  /** `ESP spi in/out: 0x1a2b3c4d/0x5e6f7a8b` → decimal values. */
  espSpiIn: number | null;
  espSpiOut: number | null;
};

// ---------------------------------------------------------------------------------------------------------
// show crypto map

export type CryptoMapOutput = { maps: CryptoMapEntry[] };

export type CryptoMapEntry = {
  name: string;
  sequence: number | null;
  /** `ipsec-isakmp`, `ipsec-manual`, `gdoi`, … */
  type: string | null;
  dynamic: boolean;
  /** `Dynamic map template tag: DYN` / `… ipsec-isakmp dynamic DYN`. */
  dynamicMapTemplate: string | null;
  ipVersion: 4 | 6 | null;
  /** `Map is a PROFILE INSTANCE.` (tunnel protection: `Tunnel0-head-0 65537`). */
  profileInstance: boolean;
  /** `Profile name: IPSEC-PROF` (the IPsec profile of a tunnel-protection map). */
  profileName: string | null;
  isakmpProfile: string | null;
  ikev2Profile: string | null;
  peers: string[];
  accessList: string | null;
  /** The `access-list …` lines below the access list name, as printed. */
  accessListEntries: string[];
  currentPeer: string | null;
  lifetimeKilobytes: number | null;
  lifetimeSeconds: number | null;
  responderOnly: boolean | null;
  pfs: boolean | null;
  dhGroup: string | null;
  transformSets: { name: string; transforms: string[] }[];
  interfaces: string[];
  /** `WARNING: This crypto map is in an incomplete state!` */
  incomplete: boolean;
};

// ---------------------------------------------------------------------------------------------------------
// show crypto session [detail]

export type CryptoSessionOutput = { sessions: CryptoSession[] };

export type CryptoSession = {
  /** `Interface: (unknown)` → null. */
  interface: string | null;
  username: string | null;
  profile: string | null;
  group: string | null;
  assignedAddress: string | null;
  /** As printed: `00:10:11`, `1d02h`. */
  uptime: string | null;
  peer: Endpoint | null;
  fvrf: string | null;
  ivrf: string | null;
  phase1Id: string | null;
  description: string | null;
  /** `Session status:` — `UP-ACTIVE`, `UP-IDLE`, `UP-NO-IKE`, `DOWN`, `DOWN-NEGOTIATING`. */
  status: string | null;
  ikeSas: SessionIkeSa[];
  flows: SessionFlow[];
};

export type SessionIkeSa = {
  /** `IKEv1 SA:` / `IKEv2 SA:`; older releases print `IKE SA:` (IKEv1 in practice): null. */
  version: 'ikev1' | 'ikev2' | null;
  localAddress: string | null;
  localPort: number | null;
  remoteAddress: string | null;
  remotePort: number | null;
  /** `Active`, `Inactive`, … */
  status: string | null;
  /** `Capabilities:D` → `D`; `(none)` → null. */
  capabilities: string | null;
  connId: number | null;
  /** The `Session ID:` printed above the IKE SA lines of the peer. */
  sessionId: number | null;
  /** Remaining IKE lifetime in seconds (`lifetime:23:49:49`). */
  lifetimeSeconds: number | null;
};

export type SessionFlow = {
  /** `permit 47 host 10.0.0.1 host 10.0.0.2`, as printed after `IPSEC FLOW:`. */
  flow: string;
  activeSas: number | null;
  /** `crypto map`, … */
  origin: string | null;
  inbound: SessionFlowDirection | null;
  outbound: SessionFlowDirection | null;
};

export type SessionFlowDirection = {
  /** `#pkts dec'ed` (inbound) / `#pkts enc'ed` (outbound). */
  packets: number | null;
  drops: number | null;
  /** null when `KB Vol Rekey Disabled`. */
  lifeKilobytes: number | null;
  lifeSeconds: number | null;
  kilobyteRekeyDisabled: boolean;
};

// ---------------------------------------------------------------------------------------------------------
// parse(command, …)

export type CommandKind = 'ipsecSa' | 'isakmpSa' | 'ikev2Sa' | 'cryptoMap' | 'cryptoSession';

export type ParsedCommand =
  | ({ kind: 'ipsecSa' } & Parsed<IpsecSaOutput>)
  | ({ kind: 'isakmpSa' } & Parsed<IsakmpSaOutput>)
  | ({ kind: 'ikev2Sa' } & Parsed<Ikev2SaOutput>)
  | ({ kind: 'cryptoMap' } & Parsed<CryptoMapOutput>)
  | ({ kind: 'cryptoSession' } & Parsed<CryptoSessionOutput>);
