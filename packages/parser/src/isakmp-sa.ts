/**
 * `show crypto isakmp sa [detail]` (IOS, IOS-XE) and ASA `show crypto ikev1 sa [detail]` /
 * `show crypto isakmp sa [detail]` (FORMATS.md item 19). The ASA layout (`1   IKE Peer: …` blocks) is
 * recognised from the text.
 */
import { LineParser } from './line-parser.js';
import { noneToNull, parseHms, toInt, tokens, yesNo } from './lines.js';
import type { IsakmpSa, IsakmpSaOutput, Parsed, ParseOptions } from './types.js';

function emptySa(ipVersion: 4 | 6 | null): IsakmpSa {
  return {
    ipVersion,
    dst: null,
    src: null,
    localAddress: null,
    remoteAddress: null,
    state: null,
    connId: null,
    status: null,
    slot: null,
    encryption: null,
    hash: null,
    auth: null,
    dhGroup: null,
    lifetimeSeconds: null,
    configuredLifetimeSeconds: null,
    capabilities: null,
    engineId: null,
    ivrf: null,
    type: null,
    role: null,
    rekey: null,
  };
}

const LEGEND = /^(?:Codes?:\s*)?[A-Za-z]+ - [A-Za-z]/;
const ASA_PAIR = /([A-Za-z][A-Za-z ]*?)\s*:\s*(\S+)/g;

class IsakmpSaParser extends LineParser {
  readonly sas: IsakmpSa[] = [];
  private ipVersion: 4 | 6 | null = null;
  /** Which table the rows belong to: the summary (with or without slot) or the detail. */
  private table: 'summary' | 'summarySlot' | 'detail' | null = null;
  private asa: IsakmpSa | null = null;
  /** ASA `show crypto isakmp sa` also lists IKEv2 SAs; those belong to `show crypto ikev2 sa`. */
  private inIkev2 = false;
  /** A detail row wrapped at the terminal width (IPv6): its words so far, its line and text. */
  private wrappedRow: { words: string[]; index: number; text: string } | null = null;
  /** IOS prints IPv6 summary rows as `dst:` / `src:` / `state: … conn-id: … status: …` lines. */
  private v6: IsakmpSa | null = null;

  protected readLine(t: string): boolean {
    if (this.wrappedRow && this.continueRow(t)) return true;
    return this.dispatch(t);
  }

  protected override end(): void {
    this.endWrappedRow();
  }

  /** Adds a wrapped part to a pending detail row; false when the line is something else. */
  private continueRow(t: string): boolean {
    const row = this.wrappedRow!;
    if (t.includes('=') || /^[A-Za-z-]+:/.test(t) || !/^\S+(?:\s+\S+)*$/.test(t)) {
      this.endWrappedRow();
      return false;
    }
    row.words.push(...tokens(t));
    if (this.lifetimeAt(row.words) >= 0) {
      this.wrappedRow = null;
      if (!this.detailWords(row.words)) this.warnings.add(row.index, row.text, 'unreadable SA row');
    }
    return true;
  }

  private endWrappedRow(): void {
    const row = this.wrappedRow;
    if (row) this.warnings.add(row.index, row.text, 'SA row ends before its lifetime');
    this.wrappedRow = null;
  }

  private dispatch(t: string): boolean {
    if (t === 'IPv4 Crypto ISAKMP SA' || t === 'IPv6 Crypto ISAKMP SA') {
      this.ipVersion = t.startsWith('IPv4') ? 4 : 6;
      this.table = null;
      return true;
    }
    if (t === 'IKEv1 SAs:') {
      this.inIkev2 = false;
      return true;
    }
    if (t === 'IKEv2 SAs:') {
      this.inIkev2 = true;
      this.asa = null;
      return true;
    }
    if (this.inIkev2) return true;
    if (t.startsWith('dst:') || t.startsWith('src:') || t.startsWith('state:')) return this.v6Line(t);
    if (t.startsWith('dst ')) return this.summaryHeader(t);
    if (t.startsWith('C-id ') || t.startsWith('conn-id ')) {
      this.table = 'detail';
      return true;
    }
    if (t === 'Cap.') return this.table === 'detail'; // the detail header wrapped at the terminal width
    if (t.startsWith('Engine-id:Conn-id')) return this.engineId(t);
    if (LEGEND.test(t)) return true;
    if (/^There are no (?:IKEv1|isakmp) SAs$/i.test(t)) return true;
    if (/^(?:Active SA|Rekey SA|Total IKE SA):/.test(t)) return true;
    const peer = /^\d+\s+IKE Peer:\s*(\S+)$/.exec(t);
    if (peer) {
      const sa = emptySa(peer[1]!.includes(':') ? 6 : 4);
      sa.dst = peer[1]!;
      sa.remoteAddress = peer[1]!;
      this.sas.push(sa);
      this.asa = sa;
      return true;
    }
    if (this.asa && /^[A-Z][A-Za-z ]*:/.test(t)) return this.asaPairs(t);
    if (this.table === 'detail') return this.detailRow(t);
    if (this.table !== null) return this.summaryRow(t);
    return false;
  }

  private summaryHeader(t: string): boolean {
    const cols = tokens(t);
    if (cols[1] !== 'src' || cols[2] !== 'state') return false;
    this.table = cols.includes('slot') ? 'summarySlot' : 'summary';
    return true;
  }

  /** `10.0.0.2  10.0.0.1  QM_IDLE  1001 [slot] ACTIVE (deleted)` */
  private summaryRow(t: string): boolean {
    const words = tokens(t);
    const slot = this.table === 'summarySlot';
    const statusAt = slot ? 5 : 4;
    const connId = toInt(words[3] ?? '');
    if (words.length <= statusAt || connId === null) return false;
    const sa = emptySa(this.ipVersion);
    sa.dst = words[0]!;
    sa.src = words[1]!;
    sa.state = words[2]!;
    sa.connId = connId;
    if (slot) sa.slot = toInt(words[4]!);
    sa.status = words.slice(statusAt).join(' ');
    this.sas.push(sa);
    return true;
  }

  /** The index of the `23:59:12` lifetime word of a detail row, or -1. */
  private lifetimeAt(words: string[]): number {
    for (let i = words.length - 1; i >= 3; i--) {
      if (/^\d+:\d\d:\d\d$/.test(words[i]!)) return i;
    }
    return -1;
  }

  private detailRow(t: string): boolean {
    const words = tokens(t);
    if (toInt(words[0] ?? '') === null) return false;
    if (this.lifetimeAt(words) < 0 && !t.includes('=')) {
      // Wrapped at the terminal width: the rest follows on the next lines.
      this.wrappedRow = { words, index: this.index, text: t };
      return true;
    }
    return this.detailWords(words);
  }

  /**
   * `1001  10.0.0.1  10.0.0.2  [ivrf]  ACTIVE aes sha psk 14 23:59:12 [cap]`. Columns may be blank, so the
   * row is read from both ends, anchored on the lifetime.
   */
  private detailWords(words: string[]): boolean {
    const life = this.lifetimeAt(words);
    const connId = toInt(words[0] ?? '');
    let statusAt = life - 5;
    if (life < 0 || connId === null || statusAt < 3) return false;
    let status = words[statusAt]!;
    if (status.startsWith('(') && statusAt > 3) {
      statusAt--;
      status = `${words[statusAt]} ${status}`;
    }
    if (statusAt > 4) return false;
    const sa = emptySa(this.ipVersion);
    sa.connId = connId;
    sa.src = sa.localAddress = words[1]!;
    sa.dst = sa.remoteAddress = words[2]!;
    sa.ivrf = statusAt === 4 ? noneToNull(words[3]!) : null;
    sa.status = status;
    sa.encryption = words[life - 4]!;
    sa.hash = words[life - 3]!;
    sa.auth = words[life - 2]!;
    sa.dhGroup = toInt(words[life - 1]!);
    sa.lifetimeSeconds = parseHms(words[life]!);
    sa.capabilities = words.length > life + 1 ? words.slice(life + 1).join(' ') : null;
    this.sas.push(sa);
    return true;
  }

  /** IPv6 summary: `dst: A`, `src: B`, `state: QM_IDLE  conn-id: 1001 [slot: 0] status: ACTIVE`. */
  private v6Line(t: string): boolean {
    if (t.startsWith('dst:')) {
      const sa = emptySa(this.ipVersion);
      sa.dst = t.slice(4).trim() || null;
      this.v6 = sa;
      return true;
    }
    const sa = this.v6;
    if (!sa) {
      this.warn('SA line without its dst line');
      return true;
    }
    if (t.startsWith('src:')) {
      if (sa.src !== null) {
        this.warn('a second src line: the dst line of the next SA is missing');
        this.v6 = null;
      } else sa.src = t.slice(4).trim() || null;
      return true;
    }
    const m = /^state:\s*(\S+)\s+conn-id:\s*(\d+)(?:\s+slot:\s*(\d+))?\s+status:\s*(.+)$/.exec(t);
    if (!m) {
      this.warn('unreadable SA state line');
      return true;
    }
    sa.state = m[1]!;
    sa.connId = Number(m[2]);
    sa.slot = m[3] === undefined ? null : Number(m[3]);
    sa.status = m[4]!.trim();
    this.sas.push(sa);
    this.v6 = null;
    return true;
  }

  /** `Engine-id:Conn-id =  SW:12609` under the detail row it belongs to. */
  private engineId(t: string): boolean {
    const sa = this.sas[this.sas.length - 1];
    if (this.table !== 'detail' || !sa || sa.connId === null || sa.engineId !== null) {
      this.warn('engine id without its SA row');
      return true;
    }
    const value = t.slice(t.indexOf('=') + 1).trim();
    sa.engineId = value === '' || /^\?+$/.test(value) ? null : value;
    return true;
  }

  /** ASA `Type    : L2L             Role    : initiator`, `Lifetime Remaining: 84314`. */
  private asaPairs(t: string): boolean {
    const sa = this.asa!;
    let known = false;
    for (const m of t.matchAll(ASA_PAIR)) {
      const key = m[1]!;
      const value = m[2]!;
      known = true;
      switch (key) {
        case 'Type':
          sa.type = value;
          break;
        case 'Role':
          sa.role = value;
          break;
        case 'Rekey':
          sa.rekey = yesNo(value);
          break;
        case 'State':
          sa.state = value;
          break;
        case 'Encrypt':
          sa.encryption = value;
          break;
        case 'Hash':
          sa.hash = value;
          break;
        case 'Auth':
          sa.auth = value;
          break;
        case 'Lifetime':
          sa.configuredLifetimeSeconds = toInt(value);
          break;
        case 'Lifetime Remaining':
          sa.lifetimeSeconds = toInt(value);
          break;
        default:
          this.warn(`unknown field "${key}"`);
      }
    }
    if (!known) return false;
    return true;
  }
}

export function parseCryptoIsakmpSa(text: string, _opts?: ParseOptions): Parsed<IsakmpSaOutput> {
  const parser = new IsakmpSaParser();
  parser.parse(text);
  return { value: { sas: parser.sas }, warnings: parser.warnings.list };
}
