/**
 * `show crypto ipsec sa [detail | peer X | interface X]` for IOS, IOS-XE and ASA (FORMATS.md items 1–14, 23).
 *
 * One pass over the lines. A flow's lines come in a fixed order (header → peer → counters → endpoints →
 * SA sections); a line that goes back in that order without a new flow header means lines are missing, so
 * it and the rest of that flow become warnings instead of being attached to the previous flow's peer.
 */
import { CountersBuilder, emptyCounters } from './ipsec-counters.js';
import {
  isBlank,
  isDigit,
  isPromptOrEcho,
  maskToPrefix,
  noneToNull,
  parseSpi,
  parseTransforms,
  readInt,
  skipBlank,
  splitSegments,
  startsAt,
  startsWithin,
  toInt,
  valueAfter,
  valueStart,
  Warnings,
  yesNo,
} from './lines.js';
import type {
  Endpoint,
  Ident,
  IpsecFlow,
  IpsecInterface,
  IpsecSa,
  IpsecSaOutput,
  Parsed,
  ParseOptions,
} from './types.js';

// Ranks of the lines of a flow, in printing order.
const R_VRF = 2;
const R_ACL = 3;
const R_LOCAL_IDENT = 4;
const R_REMOTE_IDENT = 5;
const R_PEER = 6;
const R_COUNTERS = 7;
const R_DETAILS = 8;
/** SA sections: 9 + (outbound ? 3 : 0) + protocol index. */
const R_SECTION = 9;

const PROTOCOLS = ['esp', 'ah', 'pcp'] as const;

type SaSection = { direction: 'inbound' | 'outbound'; protocol: 'esp' | 'ah' | 'pcp' };
const INBOUND: Record<SaSection['protocol'], SaSection> = {
  esp: { direction: 'inbound', protocol: 'esp' },
  ah: { direction: 'inbound', protocol: 'ah' },
  pcp: { direction: 'inbound', protocol: 'pcp' },
};
const OUTBOUND: Record<SaSection['protocol'], SaSection> = {
  esp: { direction: 'outbound', protocol: 'esp' },
  ah: { direction: 'outbound', protocol: 'ah' },
  pcp: { direction: 'outbound', protocol: 'pcp' },
};

// Slots of IpsecSaParser.interned.
const SLOT_FLOW_ID = 0;
const SLOT_SIBLING = 1;
const SLOT_MAP = 2;
const SLOT_STATUS = 3;
const SLOT_MASK = 4;
const SLOT_IDB = 5;
const SLOT_ACTION = 6;

// SA attribute bits: an attribute seen twice means the second `spi:` line is missing.
const A_TRANSFORM = 1;
const A_SETTINGS = 2;
const A_CONN = 4;
const A_TIMING = 8;
const A_IV = 16;
const A_REPLAY = 32;
const A_STATUS = 64;
const A_KB_DISABLED = 128;
const A_INITIATOR = 256;

// The parts of the flow detail lines (`local crypto endpt.: A, remote crypto endpt.: B`, `plaintext mtu 1438,
// path mtu 1500, ip mtu 1500, ip mtu idb Gi1`, `PFS (Y/N): N, DH group: none`).
const D_LOCAL = 0;
const D_REMOTE = 1;
const D_PLAINTEXT_MTU = 2;
const D_PATH_MTU = 3;
const D_IP_MTU_IDB = 4;
const D_IP_MTU = 5;
const D_OVERHEAD = 6;
const D_MEDIA_MTU = 7;
const D_PFS = 8;
const D_DH = 9;
const D_AKE = 10;
const D_PQC = 11;

/** Which detail the part `[x, y)` is (D_*), or -1; chosen by its first character, as parts are read twice. */
function detailKind(text: string, x: number, y: number): number {
  switch (text.charCodeAt(x)) {
    case 108: // l
      return startsWithin(text, x, y, 'local crypto endpt') ? D_LOCAL : -1;
    case 114: // r
      return startsWithin(text, x, y, 'remote crypto endpt') ? D_REMOTE : -1;
    case 112: // p
      if (startsWithin(text, x, y, 'plaintext mtu ')) return D_PLAINTEXT_MTU;
      return startsWithin(text, x, y, 'path mtu ') ? D_PATH_MTU : -1;
    case 105: // i
      if (startsWithin(text, x, y, 'ip mtu idb ') || startsWithin(text, x, y, 'ipv6 mtu idb '))
        return D_IP_MTU_IDB;
      if (startsWithin(text, x, y, 'ip mtu ') || startsWithin(text, x, y, 'ipv6 mtu ')) return D_IP_MTU;
      return startsWithin(text, x, y, 'ipsec overhead ') ? D_OVERHEAD : -1;
    case 109: // m
      return startsWithin(text, x, y, 'media mtu ') ? D_MEDIA_MTU : -1;
    case 80: // P
      if (startsWithin(text, x, y, 'PFS (Y/N)')) return D_PFS;
      return startsWithin(text, x, y, 'PQC Key Exchange') ? D_PQC : -1;
    case 68: // D
      return startsWithin(text, x, y, 'DH group') ? D_DH : -1;
    case 65: // A
      return startsWithin(text, x, y, 'AKE group') ? D_AKE : -1;
    default:
      return -1;
  }
}

const counterNames = new Map<string, string | null>();

/** `#pkts invalid sa (rcv)` → `invalidSaRcv`, `#send errors` → `sendErrors`, `##pkts replay failed (rcv)` → `replayFailedRcv`. */
export function counterName(label: string): string | null {
  let name = counterNames.get(label);
  if (name !== undefined) return name;
  let s = label.replace(/^#+/, '');
  if (s.startsWith('pkts ')) s = s.slice(5);
  const words = s.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  name =
    words.length === 0
      ? null
      : words
          .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
          .join('');
  counterNames.set(label, name);
  return name;
}

/** The `sa timing:` line in its six shapes; returns [kilobytes, seconds] or null when unreadable. */
function parseTiming(t: string): [number | null, number | null] | null {
  const at = t.indexOf('lifetime');
  if (at < 0) return null;
  const rest = t.slice(at + 8).trim();
  if (rest === 'is not applicable') return [null, null];
  if (rest.startsWith('(k/sec):') || rest.startsWith('(kB/sec):') || rest.startsWith('(KB/sec):')) {
    const m = /^\(\s*(\d+)\s*\/\s*(\d+)\s*\)$/.exec(rest.slice(rest.indexOf(':') + 1).trim());
    return m ? [Number(m[1]), Number(m[2])] : null;
  }
  if (rest.startsWith('(sec):')) {
    const v = rest
      .slice(6)
      .trim()
      .replace(/^\((.*)\)$/, '$1');
    const sec = toInt(v.trim());
    return sec === null ? null : [null, sec];
  }
  // `1 hours, 10 mins`, `10 mins`, `45 secs`
  const units: Record<string, number> = { day: 86400, hour: 3600, min: 60, sec: 1 };
  let seconds = 0;
  let matched = false;
  for (const part of rest.split(',')) {
    const m = /^(\d+)\s+(day|hour|min|sec)s?$/.exec(part.trim());
    if (!m) return null;
    seconds += Number(m[1]) * (units[m[2]!] ?? 0);
    matched = true;
  }
  return matched ? [null, seconds] : null;
}

class IpsecSaParser {
  readonly interfaces: IpsecInterface[] = [];
  readonly warnings = new Warnings();
  private byName = new Map<string, IpsecInterface>();
  private iface: IpsecInterface | null = null;
  // The crypto map context printed before the flows it applies to.
  private mapTag: string | null = null;
  private mapSeq: number | null = null;
  private mapLocal: string | null = null;
  private policyName: string | null = null;
  private flow: IpsecFlow | null = null;
  private flowRank = 0;
  /** Set when a flow lost its header: its remaining lines are reported, not attached. */
  private orphan = false;
  private section_: SaSection | null = null;
  private sa: IpsecSa | null = null;
  private saSeen = 0;
  private inBitmap = false;
  /** A comma-separated line that ended with `,`: the next line may be its rest, wrapped at the terminal width. */
  private wrapped: ((s: number, e: number) => boolean) | null = null;
  private index = 0;
  private text = '';
  private lineStart = 0;
  private lineEnd = 0;
  /** The last string read for each interned field: SAs of one output repeat map names and statuses. */
  private readonly interned: string[] = ['', '', '', '', '', '', ''];
  private flagsText = '';
  private flags: string[] = [];
  private transformsText = '';
  private transforms: string[] = [];
  private compression: boolean | null = null;
  private settingsText = '';
  private settings: string[] = [];
  private settingsMode: 'tunnel' | 'transport' | null = null;
  /** Counter labels in the order the last flow printed them, and their names. */
  private readonly counterLabels: string[] = [];
  private readonly counterNames: string[] = [];
  private counterNext = 0;
  /** The flow whose counters are being read: they are stored on it all at once (see ipsec-counters.ts). */
  private countersFlow: IpsecFlow | null = null;
  private readonly pendingCounters = new CountersBuilder();

  /**
   * Walks the text line by line without splitting it: the frequent lines (counters and SA attributes, about
   * 70% of a real output) are read in place; only the others are cut out as strings.
   */
  parse(text: string): void {
    this.text = text;
    const n = text.length;
    let pos = 0;
    let index = 0;
    while (pos <= n) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = n;
      let s = pos;
      let e = end;
      while (s < e && isBlank(text.charCodeAt(s))) s++;
      while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
      if (s < e) {
        this.index = index;
        this.lineStart = pos;
        this.lineEnd = end;
        this.line(s, e);
      }
      pos = end + 1;
      index++;
    }
    this.storeCounters();
  }

  private storeCounters(): void {
    if (this.countersFlow) this.countersFlow.counters = this.pendingCounters.build();
    this.countersFlow = null;
  }

  private line(s: number, e: number): void {
    const wasBitmap = this.inBitmap;
    this.inBitmap = false;
    const wrapped = this.wrapped;
    this.wrapped = null;
    if (this.frequentLine(s, e)) return;
    const t = this.text.slice(s, e);
    if (this.dispatch(t, wasBitmap) || wrapped?.(s, e) || isPromptOrEcho(t)) return;
    this.warn('unrecognized line');
  }

  private warn(message: string): void {
    const text = this.text.slice(this.lineStart, this.lineEnd).trim();
    if (text !== '') this.warnings.add(this.index, text, message);
  }

  /** The lines printed for every flow and SA, read in place. False when the line is none of them. */
  private frequentLine(s: number, e: number): boolean {
    const text = this.text;
    switch (text.charCodeAt(s)) {
      case 35: // #
        return this.counters(s, e);
      case 105: // i
        if (startsAt(text, s, 'inbound ')) return this.section(s + 8, e, 'inbound');
        if (startsAt(text, s, 'in use settings')) return this.saSettings(s, e);
        return false;
      case 111: // o
        if (startsAt(text, s, 'outbound ')) return this.section(s + 9, e, 'outbound');
        return false;
      case 115: // s
        if (startsAt(text, s, 'spi:')) return this.startSa(s + 4, e);
        if (startsAt(text, s, 'sa timing:')) return this.saTiming(s, e);
        if (startsAt(text, s, 'slot:')) return this.saConn(s, e);
        return false;
      case 116: // t
        if (startsAt(text, s, 'transform:')) return this.saTransform(s + 10, e);
        return false;
      case 99: // c
        if (startsAt(text, s, 'conn id:') || startsAt(text, s, 'conn_id:')) return this.saConn(s, e);
        if (startsWithin(text, s, e, 'current_peer')) return this.peer(s, e);
        if (startsWithin(text, s, e, 'current outbound spi')) return this.currentSpi(s + 20, e, 'outbound');
        if (startsWithin(text, s, e, 'current inbound spi')) return this.currentSpi(s + 19, e, 'inbound');
        return false;
      case 108: // l
        if (startsWithin(text, s, e, 'local crypto endpt')) return this.detailLine(s, e);
        if (startsWithin(text, s, e, 'local') && isBlank(text.charCodeAt(s + 5))) {
          if (startsWithin(text, skipBlank(text, s + 5, e), e, 'ident')) return this.ident(s, e, 'local');
        }
        return false;
      case 112: // p
        if (startsWithin(text, s, e, 'protected vrf:')) return this.protectedVrf(s + 13, e);
        if (startsWithin(text, s, e, 'plaintext mtu') || startsWithin(text, s, e, 'path mtu'))
          return this.detailLine(s, e);
        return false;
      case 80: // P
        if (startsWithin(text, s, e, 'PFS (Y/N)')) return this.detailLine(s, e);
        if (startsWithin(text, s, e, 'PERMIT')) return this.action(s, e);
        return false;
      case 68: // D
        if (startsWithin(text, s, e, 'DENY')) return this.action(s, e);
        return false;
      case 66: // B
        if (startsWithin(text, s, e, 'BYPASS')) return this.action(s, e);
        return false;
      case 73: // I
        if (startsAt(text, s, 'IV size:')) return this.saIvSize(s + 8, e);
        return false;
      case 114: // r
        if (startsAt(text, s, 'replay detection support')) return this.saReplay(s + 24, e);
        if (startsWithin(text, s, e, 'remote crypto endpt')) return this.detailLine(s, e);
        if (startsWithin(text, s, e, 'remote ident')) return this.ident(s, e, 'remote');
        return false;
      case 83: // S
        if (startsAt(text, s, 'Status:')) return this.saStatus(s + 7, e);
        if (startsAt(text, s, 'SA State:')) return this.saStatus(s + 9, e);
        return false;
      default:
        return false;
    }
  }

  /**
   * Reads the counter at `a` when its label is the one that came next in the previous flow (the usual case),
   * in one forward pass: label, blanks or `:`, digits, blanks, then `,` or the end. Returns where it stopped,
   * or -1 to leave the part to the general reading in counters() (which finds the same label the long way).
   */
  private expectedCounter(a: number, e: number): number {
    const labels = this.counterLabels;
    const k = this.counterNext < labels.length ? this.counterNext : 0;
    const label = labels[k];
    if (label === undefined) return -1;
    const text = this.text;
    const x = skipBlank(text, a, e);
    const p = x + label.length;
    if (p > e || !startsAt(text, x, label)) return -1;
    let q = p;
    while (q < e && (isBlank(text.charCodeAt(q)) || text.charCodeAt(q) === 58)) q++;
    let d = q;
    while (d < e && isDigit(text.charCodeAt(d))) d++;
    const end = skipBlank(text, d, e);
    if (q === p || d === q || (end < e && text.charCodeAt(end) !== 44)) return -1;
    const value = readInt(text, q, d);
    if (value === null) return -1;
    this.counterNext = k + 1;
    this.pendingCounters.add(this.counterNames[k]!, value);
    return end;
  }

  /**
   * The name of the counter labelled `text[x, y)`. Every flow prints its counters in the same order, so the
   * label that followed the previous one last time is tried first: no string is cut out in the usual case.
   */
  private counterAt(x: number, y: number): string | null {
    const text = this.text;
    const labels = this.counterLabels;
    const next = this.counterNext < labels.length ? this.counterNext : 0;
    for (let k = next, tries = 0; tries < 2; k = 0, tries++) {
      const label = labels[k];
      if (label !== undefined && label.length === y - x && text.slice(x, y) === label) {
        this.counterNext = k + 1;
        return this.counterNames[k]!;
      }
    }
    const label = text.slice(x, y);
    const name = counterName(label);
    if (name !== null) {
      labels.splice(next, 0, label);
      this.counterNames.splice(next, 0, name);
      this.counterNext = next + 1;
    }
    return name;
  }

  /** `text[p, e)`, reusing the previous string of `slot` when the text is the same. */
  private intern(slot: number, p: number, e: number): string {
    const text = this.text;
    const last = this.interned[slot]!;
    if (last.length === e - p && startsAt(text, p, last)) return last;
    const value = text.slice(p, e);
    this.interned[slot] = value;
    return value;
  }

  private dispatch(t: string, wasBitmap: boolean): boolean {
    switch (t.charCodeAt(0)) {
      case 105: // i
        if (t.startsWith('interface:')) return this.startInterface(valueAfter(t, 'interface'));
        if (t.startsWith('initiator')) return this.saInitiator(t);
        return false;
      case 80: // P
        if (t.startsWith('PMTU time remaining')) return this.bodyFlow(R_DETAILS) !== null || true;
        return false;
      case 67: // C
        if (t.startsWith('Crypto map tag:')) return this.cryptoMapTag(t);
        return false;
      case 73: // I
        if (t.startsWith('IPsecv6 policy name:')) {
          this.policyName = valueAfter(t, 'IPsecv6 policy name');
          this.closeFlow();
          return true;
        }
        if (t.startsWith('IPsecv6-created ACL')) return true;
        if (t.startsWith('ICMP error validation')) return this.bodyFlow(R_DETAILS) !== null || true;
        return false;
      case 75: // K
        if (t === 'Kilobyte Volume Rekey has been disabled') return this.saKbDisabled();
        return false;
      case 65: // A
        if (t === 'Anti replay bitmap:') {
          this.inBitmap = true;
          return this.requireSa();
        }
        return false;
      case 48: // 0: ASA anti-replay bitmap continuation (`0x00000000 0x00000001`)
        if (wasBitmap && /^(?:0x[0-9A-Fa-f]+\s*)+$/.test(t)) {
          this.inBitmap = true;
          return true;
        }
        return false;
      case 97: // a
        if (t.startsWith('access-list ')) return this.accessList(t);
        return false;
      case 100: // d
        if (t.startsWith('dynamic allocated peer ip')) return this.dynamicPeer(t);
        return false;
      case 78: // N
        return t === 'No SAs found';
      case 84: // T
        return t === 'There are no ipsec sas';
      default:
        return false;
    }
  }

  private startInterface(name: string): boolean {
    this.closeFlow();
    let iface = this.byName.get(name);
    if (!iface) {
      iface = { name, cryptoMapTag: null, localAddress: null, flows: [] };
      this.byName.set(name, iface);
      this.interfaces.push(iface);
    }
    this.iface = iface;
    this.mapTag = iface.cryptoMapTag;
    this.mapSeq = null;
    this.mapLocal = iface.localAddress;
    this.policyName = null;
    return true;
  }

  private closeFlow(): void {
    this.flow = null;
    this.flowRank = 0;
    this.orphan = false;
    this.section_ = null;
    this.closeSa();
  }

  private closeSa(): void {
    this.sa = null;
    this.saSeen = 0;
  }

  /** IOS `Crypto map tag: CMAP, local addr 10.0.0.1`; ASA `Crypto map tag: M, seq num: 2, local addr: A`. */
  private cryptoMapTag(t: string): boolean {
    if (!this.iface) {
      this.warn('crypto map tag outside an interface block');
      return true;
    }
    this.closeFlow();
    this.mapTag = null;
    this.mapSeq = null;
    this.mapLocal = null;
    for (const seg of splitSegments(t)) {
      if (seg.startsWith('Crypto map tag')) this.mapTag = noneToNull(valueAfter(seg, 'Crypto map tag'));
      else if (seg.startsWith('seq num')) this.mapSeq = toInt(valueAfter(seg, 'seq num'));
      else if (seg.startsWith('local addr')) this.mapLocal = valueAfter(seg, 'local addr') || null;
      else this.warn(`unknown part "${seg}" in the crypto map tag line`);
    }
    if (this.iface.cryptoMapTag === null) this.iface.cryptoMapTag = this.mapTag;
    if (this.iface.localAddress === null) this.iface.localAddress = this.mapLocal;
    return true;
  }

  private newFlow(): IpsecFlow {
    const flow: IpsecFlow = {
      cryptoMapTag: this.mapTag,
      cryptoMapSequence: this.mapSeq,
      localAddress: this.mapLocal,
      protectedVrf: null,
      ipsecPolicyName: this.policyName,
      accessList: null,
      localIdent: null,
      remoteIdent: null,
      peer: null,
      username: null,
      dynamicAllocatedPeerIp: null,
      action: null,
      flags: [],
      counters: emptyCounters(),
      localEndpoint: null,
      remoteEndpoint: null,
      plaintextMtu: null,
      pathMtu: null,
      ipMtu: null,
      ipMtuIdb: null,
      ipsecOverhead: null,
      mediaMtu: null,
      currentOutboundSpi: null,
      currentInboundSpi: null,
      pfs: null,
      dhGroup: null,
      akeGroup: null,
      pqcKeyExchange: null,
      sas: [],
    };
    this.iface!.flows.push(flow);
    this.flow = flow;
    this.orphan = false;
    this.section_ = null;
    this.closeSa();
    return flow;
  }

  /** A line that may open a flow (`protected vrf:`, `access-list`, `local ident`, `remote ident`). */
  private headerFlow(rank: number): IpsecFlow | null {
    if (!this.iface) {
      this.warn('flow line outside an interface block');
      return null;
    }
    const flow = this.flow && rank > this.flowRank ? this.flow : this.newFlow();
    this.flowRank = rank;
    return flow;
  }

  /** Any later line of a flow: only accepted while the flow's lines still come in order. */
  private bodyFlow(rank: number): IpsecFlow | null {
    if (this.orphan) {
      this.warn('belongs to a flow whose header lines are missing');
      return null;
    }
    if (!this.flow || rank < this.flowRank) {
      this.warn(
        this.flow ? 'out of order: the header of its flow is missing' : 'flow line before any flow header',
      );
      this.closeFlow();
      this.orphan = this.iface !== null;
      return null;
    }
    this.flowRank = rank;
    return this.flow;
  }

  /** `protected vrf: (none)`; `p` is after the label. */
  private protectedVrf(p: number, e: number): boolean {
    const flow = this.headerFlow(R_VRF);
    if (flow) flow.protectedVrf = noneToNull(this.text.slice(valueStart(this.text, p, e), e));
    return true;
  }

  private accessList(t: string): boolean {
    const flow = this.headerFlow(R_ACL);
    if (flow) flow.accessList = t;
    return true;
  }

  /** `local  ident (addr/mask/prot/port): (192.168.1.0/255.255.255.0/0/0)`, `(4180::56:0:1/128/0/12346)`. */
  private ident(s: number, e: number, side: 'local' | 'remote'): boolean {
    const ident = this.readIdent(s, e);
    if (!ident) {
      this.warn(`unreadable ${side} ident`);
      return true;
    }
    const flow = this.headerFlow(side === 'local' ? R_LOCAL_IDENT : R_REMOTE_IDENT);
    if (flow) {
      if (side === 'local') flow.localIdent = ident;
      else flow.remoteIdent = ident;
    }
    return true;
  }

  /** The last `(address/mask-or-prefix/protocol/port)` of `[s, e)`, or null. */
  private readIdent(s: number, e: number): Ident | null {
    const text = this.text;
    const open = text.lastIndexOf('(', e - 1);
    const close = text.lastIndexOf(')', e - 1);
    if (open < s || close < open) return null;
    const slash1 = text.indexOf('/', open);
    const slash2 = slash1 < 0 ? -1 : text.indexOf('/', slash1 + 1);
    const slash3 = slash2 < 0 ? -1 : text.indexOf('/', slash2 + 1);
    const slash4 = slash3 < 0 ? -1 : text.indexOf('/', slash3 + 1);
    if (slash3 < 0 || slash3 > close || (slash4 >= 0 && slash4 < close)) return null;
    if (slash1 === open + 1) return null;
    const dot = text.indexOf('.', slash1);
    const isMask = dot >= 0 && dot < slash2;
    const mask = isMask ? this.intern(SLOT_MASK, slash1 + 1, slash2) : null;
    return {
      address: text.slice(open + 1, slash1),
      mask,
      prefixLength: mask !== null ? maskToPrefix(mask) : readInt(text, slash1 + 1, slash2),
      protocol: readInt(text, slash2 + 1, slash3),
      port: readInt(text, slash3 + 1, close),
    };
  }

  /** `current_peer 10.0.0.2 port 500`, ASA `current_peer: 8.8.8.8`, `current_peer: 203.0.113.9, username: jdoe`. */
  private peer(s: number, e: number): boolean {
    if (this.flow?.peer) {
      // A second peer in one flow: the next flow's header is missing.
      this.warn('a second current_peer in one flow: the header of its flow is missing');
      this.closeFlow();
      this.orphan = this.iface !== null;
      return true;
    }
    const flow = this.bodyFlow(R_PEER);
    if (!flow) return true;
    const text = this.text;
    let first = true;
    for (let a = valueStart(text, s + 12, e); a < e; ) {
      let b = text.indexOf(',', a);
      if (b < 0 || b > e) b = e;
      const x = skipBlank(text, a, b);
      let y = b;
      while (y > x && isBlank(text.charCodeAt(y - 1))) y--;
      a = b + 1;
      if (x === y) continue;
      if (first) flow.peer = this.peerEndpoint(x, y);
      else if (startsWithin(text, x, y, 'username')) {
        flow.username = text.slice(valueStart(text, x + 8, y), y) || null;
      } else this.warn(`unknown part "${text.slice(x, y)}" in the current_peer line`);
      first = false;
    }
    if (first) this.warn('current_peer without an address');
    return true;
  }

  /** `10.0.0.2 port 500` or `8.8.8.8` in `[x, y)`: the first word, and the third when the second is `port`. */
  private peerEndpoint(x: number, y: number): Endpoint {
    const text = this.text;
    let i = x;
    while (i < y && !isBlank(text.charCodeAt(i))) i++;
    const address = text.slice(x, i);
    const word2 = skipBlank(text, i, y);
    let j = word2;
    while (j < y && !isBlank(text.charCodeAt(j))) j++;
    const word3 = skipBlank(text, j, y);
    let k = word3;
    while (k < y && !isBlank(text.charCodeAt(k))) k++;
    const hasPort = j - word2 === 4 && startsAt(text, word2, 'port') && word3 < y;
    return { address, port: hasPort ? readInt(text, word3, k) : null };
  }

  private dynamicPeer(t: string): boolean {
    const flow = this.bodyFlow(R_PEER);
    if (!flow) return true;
    // ASA prints `dynamic allocated peer ip(ipv6): 0.0.0.0` too; the IPv4 one is the pool address.
    if (t.startsWith('dynamic allocated peer ip:')) {
      flow.dynamicAllocatedPeerIp = noneToNull(valueAfter(t, 'dynamic allocated peer ip'));
    }
    return true;
  }

  /** `PERMIT, flags={origin_is_acl,}` */
  private action(s: number, e: number): boolean {
    const flow = this.bodyFlow(R_PEER);
    if (!flow) return true;
    const text = this.text;
    let comma = s;
    while (comma < e && text.charCodeAt(comma) !== 44) comma++;
    while (comma > s && isBlank(text.charCodeAt(comma - 1))) comma--;
    flow.action = this.intern(SLOT_ACTION, s, comma);
    let open = s;
    while (open < e && text.charCodeAt(open) !== 123) open++;
    let close = e - 1;
    while (close > open && text.charCodeAt(close) !== 125) close--;
    if (open < e && close > open) {
      const last = this.flagsText;
      if (last.length !== close - open - 1 || !startsAt(text, open + 1, last)) {
        this.flagsText = text.slice(open + 1, close);
        this.flags = splitSegments(this.flagsText);
      }
      flow.flags = this.flags.slice();
    }
    return true;
  }

  /** `#pkts encaps: 4, #pkts encrypt: 4, …`: every counter under its own name. */
  private counters(s: number, e: number): boolean {
    const flow = this.bodyFlow(R_COUNTERS);
    if (!flow) return true;
    if (flow !== this.countersFlow) {
      this.storeCounters();
      this.countersFlow = flow;
    }
    const text = this.text;
    let a = s;
    while (a < e) {
      const read = this.expectedCounter(a, e);
      if (read >= 0) {
        a = read + 1;
        continue;
      }
      let b = text.indexOf(',', a);
      if (b < 0 || b > e) b = e;
      let x = a;
      let y = b;
      a = b + 1;
      while (x < y && isBlank(text.charCodeAt(x))) x++;
      while (y > x && isBlank(text.charCodeAt(y - 1))) y--;
      if (x === y) continue;
      let digits = y;
      while (digits > x && isDigit(text.charCodeAt(digits - 1))) digits--;
      let labelEnd = digits;
      while (
        labelEnd > x &&
        (isBlank(text.charCodeAt(labelEnd - 1)) || text.charCodeAt(labelEnd - 1) === 58)
      ) {
        labelEnd--;
      }
      // The value stands apart from its label: `#pkts encaps: 4`, `#send errors 0`.
      const value = digits < y && labelEnd < digits && labelEnd > x ? readInt(text, digits, y) : null;
      const name = value === null ? null : this.counterAt(x, labelEnd);
      if (value === null || name === null) {
        this.warn(`unreadable counter "${text.slice(x, y)}"`);
        continue;
      }
      this.pendingCounters.add(name, value);
    }
    return true;
  }

  /** `current outbound spi: 0x1E8246FC(511854332)`, ASA `current inbound spi : DC15BF68`; `p` is after the label. */
  private currentSpi(p: number, e: number, direction: 'inbound' | 'outbound'): boolean {
    const flow = this.bodyFlow(R_DETAILS);
    if (!flow) return true;
    const text = this.text;
    const v = valueStart(text, p, e);
    // The usual `0x…(decimal)` is read in place; anything else by parseSpi.
    const open = text.indexOf('(', v);
    let spi = open >= 0 && open < e && text.charCodeAt(e - 1) === 41 ? readInt(text, open + 1, e - 1) : null;
    if (spi === null) spi = parseSpi(text.slice(v, e));
    if (spi === null) this.warn('unreadable SPI');
    else if (direction === 'outbound') flow.currentOutboundSpi = spi;
    else flow.currentInboundSpi = spi;
    return true;
  }

  /** Endpoint, MTU and PFS lines: comma-separated `label value` parts (D_*). */
  private detailLine(s: number, e: number): boolean {
    const flow = this.bodyFlow(R_DETAILS);
    if (flow && !this.detailSegments(flow, s, e)) this.warn('unknown part in the line');
    return true;
  }

  /** Reads every part of `[s, e)` into `flow`, or nothing (false) when one of them is not a detail. */
  private detailSegments(flow: IpsecFlow, s: number, e: number): boolean {
    if (!this.eachDetailSegment(null, s, e)) return false;
    this.eachDetailSegment(flow, s, e);
    if (this.text.charCodeAt(e - 1) === 44) this.wrapped = (ws, we) => this.detailSegments(flow, ws, we);
    return true;
  }

  /** Calls detailSegment for each part of `[s, e)` (only checks the labels when `flow` is null); false at an unknown part. */
  private eachDetailSegment(flow: IpsecFlow | null, s: number, e: number): boolean {
    const text = this.text;
    for (let a = s; a < e; ) {
      let b = text.indexOf(',', a);
      if (b < 0 || b > e) b = e;
      const x = skipBlank(text, a, b);
      let y = b;
      while (y > x && isBlank(text.charCodeAt(y - 1))) y--;
      a = b + 1;
      if (x === y) continue;
      const kind = detailKind(text, x, y);
      if (kind < 0) return false;
      if (flow) this.detailSegment(flow, kind, x, y);
    }
    return true;
  }

  /** Reads one `label value` part of a flow detail line, `[x, y)`, whose label is `kind` (D_*). */
  private detailSegment(flow: IpsecFlow, kind: number, x: number, y: number): void {
    const text = this.text;
    switch (kind) {
      case D_LOCAL:
        flow.localEndpoint = this.addressPort(valueStart(text, x + 19, y), y);
        break;
      case D_REMOTE:
        flow.remoteEndpoint = this.addressPort(valueStart(text, x + 20, y), y);
        break;
      case D_PLAINTEXT_MTU:
        flow.plaintextMtu = readInt(text, x + 14, y);
        break;
      case D_PATH_MTU:
        flow.pathMtu = readInt(text, x + 9, y);
        break;
      case D_IP_MTU_IDB:
        flow.ipMtuIdb = this.intern(SLOT_IDB, skipBlank(text, text.indexOf('idb ', x) + 4, y), y);
        break;
      case D_IP_MTU:
        flow.ipMtu = readInt(text, skipBlank(text, text.indexOf('mtu ', x) + 4, y), y);
        break;
      case D_OVERHEAD:
        flow.ipsecOverhead = toInt(
          text
            .slice(x + 15, y)
            .replace(/\(.*$/, '')
            .trim(),
        );
        break;
      case D_MEDIA_MTU:
        flow.mediaMtu = readInt(text, x + 10, y);
        break;
      case D_PFS:
        flow.pfs = yesNo(text.slice(valueStart(text, x + 9, y), y));
        break;
      case D_DH:
        flow.dhGroup = noneToNull(text.slice(valueStart(text, x + 8, y), y));
        break;
      case D_AKE:
        flow.akeGroup = text.slice(valueStart(text, x + 9, y), y) || null;
        break;
      case D_PQC:
        flow.pqcKeyExchange = text.slice(valueStart(text, x + 16, y), y) || null;
        break;
    }
  }

  /** `10.0.0.1/500`, `2001:db8::1/4500` in `[p, e)` → address and port; no `/` → port null. */
  private addressPort(p: number, e: number): Endpoint {
    const text = this.text;
    // Searched back from the end of the part only: lastIndexOf would run on into the previous lines.
    let slash = e - 1;
    while (slash > p && text.charCodeAt(slash) !== 47) slash--;
    if (slash > p) {
      const port = readInt(text, slash + 1, e);
      if (port !== null) return { address: text.slice(p, slash), port };
    }
    return { address: text.slice(p, e), port: null };
  }

  /** `inbound esp sas:` … `outbound pcp sas:`; `p` is where the protocol starts. */
  private section(p: number, e: number, direction: 'inbound' | 'outbound'): boolean {
    const text = this.text;
    let protocol: 'esp' | 'ah' | 'pcp';
    if (e === p + 8 && startsAt(text, p, 'esp sas:')) protocol = 'esp';
    else if (e === p + 7 && startsAt(text, p, 'ah sas:')) protocol = 'ah';
    else if (e === p + 8 && startsAt(text, p, 'pcp sas:')) protocol = 'pcp';
    else return false;
    const rank = R_SECTION + (direction === 'outbound' ? 3 : 0) + PROTOCOLS.indexOf(protocol);
    this.closeSa();
    this.section_ = null;
    if (this.flow && rank === this.flowRank) {
      // Each section appears once per flow: the same one again means the next flow's header is missing.
      this.warn('repeated SA section: the header of its flow is missing');
      this.closeFlow();
      this.orphan = true;
      return true;
    }
    if (this.bodyFlow(rank)) this.section_ = direction === 'inbound' ? INBOUND[protocol] : OUTBOUND[protocol];
    return true;
  }

  /** `spi: 0x1E8246FC(511854332)` (IOS), `spi: 0x1E8246FC (511854332)` (ASA); `p` is after `spi:`. */
  private startSa(p: number, e: number): boolean {
    this.closeSa();
    const section = this.section_;
    if (!section || !this.flow) {
      this.warn(
        this.orphan ? 'belongs to a flow whose header lines are missing' : 'SA outside an SA section',
      );
      return true;
    }
    const text = this.text;
    const open = text.indexOf('(', p);
    let spi = open >= 0 && open < e && text.charCodeAt(e - 1) === 41 ? readInt(text, open + 1, e - 1) : null;
    if (spi === null) spi = parseSpi(text.slice(p, e));
    if (spi === null) {
      this.warn('unreadable SPI');
      return true;
    }
    const sa: IpsecSa = {
      direction: section.direction,
      protocol: section.protocol,
      spi,
      transforms: [],
      compression: null,
      mode: null,
      settings: [],
      connId: null,
      flowId: null,
      siblingFlags: null,
      cryptoMap: null,
      initiator: null,
      slot: null,
      remainingKilobytes: null,
      remainingSeconds: null,
      kilobyteRekeyDisabled: false,
      ivSize: null,
      replayDetection: null,
      replayWindow: null,
      status: null,
    };
    this.flow.sas.push(sa);
    this.sa = sa;
    return true;
  }

  /** The SA an attribute line belongs to, or null (with a warning) when its `spi:` line is missing. */
  private saFor(bit: number): IpsecSa | null {
    if (!this.sa) {
      this.warn('SA attribute outside an SA');
      return null;
    }
    if (this.saSeen & bit) {
      this.warn('SA attribute printed twice: the spi line of the next SA is missing');
      this.closeSa();
      return null;
    }
    this.saSeen |= bit;
    return this.sa;
  }

  private requireSa(): boolean {
    if (!this.sa) this.warn('SA attribute outside an SA');
    return true;
  }

  /** `transform: esp-256-aes esp-sha-hmac ,`; `p` is after `transform:`. */
  private saTransform(p: number, e: number): boolean {
    const sa = this.saFor(A_TRANSFORM);
    if (!sa) return true;
    const text = this.text;
    while (p < e && isBlank(text.charCodeAt(p))) p++;
    const last = this.transformsText;
    if (last.length !== e - p || !startsAt(text, p, last)) {
      this.transformsText = text.slice(p, e);
      this.transforms = parseTransforms(this.transformsText);
      this.compression = null;
      // ASA appends its compression setting to the transforms: `esp-aes-256 esp-sha-hmac no compression`.
      const n = this.transforms.length;
      if (n >= 2 && this.transforms[n - 2] === 'no' && this.transforms[n - 1] === 'compression') {
        this.transforms.length = n - 2;
        this.compression = false;
      }
    }
    sa.transforms = this.transforms.slice();
    sa.compression = this.compression;
    return true;
  }

  /** `in use settings ={Tunnel UDP-Encaps, }`, ASA `{L2L, Tunnel, PFS Group 2, IKEv1, Rekeyed}` */
  private saSettings(s: number, e: number): boolean {
    const sa = this.saFor(A_SETTINGS);
    if (!sa) return true;
    const text = this.text;
    const open = text.indexOf('{', s);
    const close = text.lastIndexOf('}', e - 1);
    if (open < 0 || open >= e || close < open) {
      this.warn('unreadable in use settings');
      return true;
    }
    const last = this.settingsText;
    if (last.length !== close - open - 1 || !startsAt(text, open + 1, last)) {
      this.settingsText = text.slice(open + 1, close);
      this.settings = splitSegments(this.settingsText);
      this.settingsMode = null;
      for (const setting of this.settings) {
        const first = setting.split(' ')[0]!.toLowerCase();
        if (first === 'tunnel' || first === 'transport') this.settingsMode = first;
      }
    }
    sa.settings = this.settings.slice();
    sa.mode = this.settingsMode;
    return true;
  }

  /** `conn id: 2076, flow_id: CSR:76, sibling_flags FFFF…, crypto map: M, initiator : True`; ASA `slot: 0, conn_id: N, crypto-map: M` */
  private saConn(s: number, e: number): boolean {
    const sa = this.saFor(A_CONN);
    if (sa && !this.connParts(sa, s, e)) this.warn('unknown part in the conn id line');
    return true;
  }

  /** Reads the `label: value` parts of a conn id line (or of its wrapped rest) in `[s, e)`; false if one is unknown. */
  private connParts(sa: IpsecSa, s: number, e: number): boolean {
    const text = this.text;
    // Collected first, so a line with an unknown part changes nothing.
    let connId = sa.connId;
    let flowId = sa.flowId;
    let siblingFlags = sa.siblingFlags;
    let cryptoMap = sa.cryptoMap;
    let slot = sa.slot;
    let initiator = sa.initiator;
    for (let a = s; a < e; ) {
      a = skipBlank(text, a, e);
      let b = text.indexOf(',', a);
      if (b < 0 || b > e) b = e;
      let y = b;
      while (y > a && isBlank(text.charCodeAt(y - 1))) y--;
      if (a < y) {
        const colon = text.indexOf(':', a);
        const v = colon < 0 || colon > y ? a : colon + 1;
        const c = text.charCodeAt(a);
        if (c === 99 && (startsAt(text, a, 'conn id') || startsAt(text, a, 'conn_id'))) {
          connId = readInt(text, skipBlank(text, v, y), y);
        } else if (c === 102 && startsAt(text, a, 'flow_id'))
          flowId = this.intern(SLOT_FLOW_ID, skipBlank(text, v, y), y) || null;
        else if (c === 115 && startsAt(text, a, 'sibling_flags'))
          siblingFlags = this.intern(SLOT_SIBLING, skipBlank(text, a + 13, y), y) || null;
        else if (c === 99 && (startsAt(text, a, 'crypto map') || startsAt(text, a, 'crypto-map'))) {
          cryptoMap = noneToNull(this.intern(SLOT_MAP, skipBlank(text, v, y), y));
        } else if (c === 115 && startsAt(text, a, 'slot')) slot = readInt(text, skipBlank(text, v, y), y);
        else if (c === 105 && startsAt(text, a, 'initiator')) initiator = yesNo(text.slice(v, y));
        else return false;
      }
      a = b + 1;
    }
    if (initiator !== sa.initiator) this.saSeen |= A_INITIATOR;
    sa.connId = connId;
    sa.flowId = flowId;
    sa.siblingFlags = siblingFlags;
    sa.cryptoMap = cryptoMap;
    sa.slot = slot;
    sa.initiator = initiator;
    if (text.charCodeAt(e - 1) === 44)
      this.wrapped = (ws, we) => this.sa === sa && this.connParts(sa, ws, we);
    return true;
  }

  /** `initiator : True` on its own line (a wrapped conn id line). */
  private saInitiator(t: string): boolean {
    if (!/^initiator\s*:/.test(t)) return false;
    const sa = this.saFor(A_INITIATOR);
    if (sa) sa.initiator = yesNo(valueAfter(t, 'initiator'));
    return true;
  }

  private saTiming(s: number, e: number): boolean {
    const text = this.text;
    let timing: [number | null, number | null] | null = null;
    // The usual shape, read in place: `sa timing: remaining key lifetime (k/sec): (4332650/3205)`.
    const open = text.indexOf('/sec): (', s);
    const slash = open < 0 ? -1 : text.indexOf('/', open + 8);
    if (open > 0 && open < e && slash > 0 && slash < e && text.charCodeAt(e - 1) === 41) {
      const kb = readInt(text, open + 8, slash);
      const sec = readInt(text, slash + 1, e - 1);
      if (kb !== null && sec !== null) timing = [kb, sec];
    }
    timing ??= parseTiming(text.slice(s, e));
    if (!timing) {
      if (this.sa) this.warn('unreadable remaining key lifetime');
      else this.requireSa();
      return true;
    }
    const sa = this.saFor(A_TIMING);
    if (sa) {
      sa.remainingKilobytes = timing[0];
      sa.remainingSeconds = timing[1];
    }
    return true;
  }

  private saKbDisabled(): boolean {
    const sa = this.saFor(A_KB_DISABLED);
    if (sa) sa.kilobyteRekeyDisabled = true;
    return true;
  }

  /** `IV size: 16 bytes`; `p` is after `IV size:`. */
  private saIvSize(p: number, e: number): boolean {
    const sa = this.saFor(A_IV);
    if (!sa) return true;
    const text = this.text;
    p = skipBlank(text, p, e);
    let q = p;
    while (q < e && isDigit(text.charCodeAt(q))) q++;
    sa.ivSize = startsAt(text, q, ' byte') || q === e ? readInt(text, p, q) : null;
    return true;
  }

  /** `replay detection support: Y`, `… : N`, `… : Y  replay window size: 1024`; `p` is after `support`. */
  private saReplay(p: number, e: number): boolean {
    const sa = this.saFor(A_REPLAY);
    if (!sa) return true;
    const text = this.text;
    p = skipBlank(text, p, e);
    const yn = text.charCodeAt(p + 1 < e ? skipBlank(text, p + 1, e) : e);
    let q = text.charCodeAt(p) === 58 ? skipBlank(text, p + 1, e) : -1;
    const flag = q >= 0 ? text.charCodeAt(q) : 0;
    if (yn !== flag || (flag !== 89 && flag !== 78)) {
      this.warn('unreadable replay detection line');
      return true;
    }
    q++;
    let window: number | null = null;
    while (q < e && (isBlank(text.charCodeAt(q)) || text.charCodeAt(q) === 44)) q++;
    if (q < e) {
      const size = startsAt(text, q, 'replay window size') ? skipBlank(text, q + 18, e) : -1;
      const digits = size >= 0 && text.charCodeAt(size) === 58 ? skipBlank(text, size + 1, e) : size;
      window = digits >= 0 ? readInt(text, digits, e) : null;
      if (window === null) {
        this.warn('unreadable replay detection line');
        return true;
      }
    }
    sa.replayDetection = flag === 89;
    sa.replayWindow = window;
    return true;
  }

  /** `Status: ACTIVE(ACTIVE)`, ASA `SA State: active`; `p` is after the label. */
  private saStatus(p: number, e: number): boolean {
    const sa = this.saFor(A_STATUS);
    if (sa) sa.status = this.intern(SLOT_STATUS, skipBlank(this.text, p, e), e) || null;
    return true;
  }
}

export function parseCryptoIpsecSa(text: string, _opts?: ParseOptions): Parsed<IpsecSaOutput> {
  const parser = new IpsecSaParser();
  parser.parse(text);
  return { value: { interfaces: parser.interfaces }, warnings: parser.warnings.list };
}
