/**
 * `show crypto ikev2 sa [detail]` for IOS / IOS-XE and ASA (FORMATS.md items 20–21). A table row may wrap
 * over several lines (IPv6); the lines below a row describe that row until the next one.
 */
import { LineParser } from './line-parser.js';
import {
  isDigit,
  noneToNull,
  parseAddressPort,
  parseSpi,
  splitSegments,
  toInt,
  tokens,
  valueAfter,
  yesNo,
} from './lines.js';
import type { Ikev2ChildSa, Ikev2Sa, Ikev2SaOutput, Parsed, ParseOptions } from './types.js';

// Field groups of one SA: a group printed twice means the next SA's row is missing.
const F_ENCR = 1;
const F_LIFE = 2;
const F_CE = 4;
const F_DESC = 8;
const F_SPI = 16;
const F_LOCAL_ID = 32;
const F_REMOTE_ID = 64;
const F_INITIATOR = 128;
const F_PQC = 256;

// Regexes are module constants: a literal in a function is a new RegExp object each time the line runs.
const TABLE_TITLE = /^IPv[46] Crypto IKEv2\s+SA$/;
const ROW_START = /^\d+\s/;
const LIFE = /^Life\/Active Time:\s*(\d+)\/(\d+) sec$/;
const SPIS = /^Local spi:\s*(\S+)\s+Remote spi:\s*(\S+)$/;
const CHILD_SA = /^Child sa:\s*local selector\s+(.+)$/;
const CHILD_IGNORED = /^(?:AH spi in\/out|CPI in\/out|Encr:|ah_hmac:|esp_hmac:)/;

/** Detail lines that describe protocol state, not the tunnel: recognised and left out. */
const IGNORED = [
  'Local req msg id',
  'Local next msg id',
  'Local req queued',
  'Local window',
  'Local req mess id',
  'Local next mess id',
  'DPD configured',
  'Fragmentation',
  'Dynamic Route Update',
  'Extended Authentication',
  'NAT-T is',
  'Cisco Trust Security',
  'PEER TYPE',
  'Quantum Resistance',
  'IPv6 Crypto IKEv2',
  'Remote subnets',
  'Local subnets',
  'Remote check point',
  'Local check point',
  'Remote VPN policy',
  'Pushed IP address',
  'Redirected From',
];

function emptySa(): Ikev2Sa {
  return {
    tunnelId: null,
    localAddress: null,
    localPort: null,
    remoteAddress: null,
    remotePort: null,
    fvrf: null,
    ivrf: null,
    status: null,
    encryption: null,
    keySize: null,
    prf: null,
    hash: null,
    dhGroup: null,
    authSign: null,
    authVerify: null,
    lifetimeSeconds: null,
    activeTimeSeconds: null,
    localSpi: null,
    remoteSpi: null,
    localId: null,
    remoteId: null,
    ceId: null,
    sessionId: null,
    statusDescription: null,
    initiator: null,
    pqc: null,
    role: null,
    sessionStatus: null,
    ikeCount: null,
    childCount: null,
    childSas: [],
  };
}

type AsaSession = {
  sessionId: number | null;
  status: string | null;
  ikeCount: number | null;
  childCount: number | null;
};

class Ikev2SaParser extends LineParser {
  readonly sas: Ikev2Sa[] = [];
  /** `fvrf/ivrf` (IOS) or `Role` (ASA) as the last column. */
  private layout: 'ios' | 'asa' | null = null;
  private row: string[] | null = null;
  private rowLine = 0;
  private rowText = '';
  private sa: Ikev2Sa | null = null;
  private seen = 0;
  private child: Ikev2ChildSa | null = null;
  private asaSession: AsaSession | null = null;

  protected override end(): void {
    if (this.row) this.incompleteRow();
  }

  protected readLine(t: string): boolean {
    if (this.row) {
      // The rest of a wrapped row: bare words, no `label:`.
      if (!t.includes(': ') && !t.endsWith(':') && !t.startsWith('Tunnel-id'))
        return this.rowWords(tokens(t));
      this.incompleteRow();
    }
    if (
      (t.startsWith('IPv') && TABLE_TITLE.test(t)) ||
      t === 'IKEv2 SAs:' ||
      t === 'There are no IKEv2 SAs'
    ) {
      this.close();
      return true;
    }
    if (t.startsWith('Tunnel-id ')) return this.header(t);
    if (t.startsWith('Session-id:')) return this.asaSessionLine(t);
    if (this.layout !== null && isDigit(t.charCodeAt(0)) && ROW_START.test(t)) {
      this.close();
      this.row = [];
      this.rowLine = this.index;
      this.rowText = t;
      return this.rowWords(tokens(t));
    }
    if (t.startsWith('Child sa:')) return this.childStart(t);
    if (this.child && this.childLine(t)) return true;
    return this.field(t);
  }

  private close(): void {
    this.sa = null;
    this.seen = 0;
    this.child = null;
  }

  private header(t: string): boolean {
    const cols = tokens(t);
    this.layout = cols.includes('fvrf/ivrf') ? 'ios' : cols.includes('Role') ? 'asa' : null;
    this.close();
    return this.layout !== null;
  }

  /** ASA `Session-id:1, Status:UP-ACTIVE, IKE count:1, CHILD count:2`, printed before its SA rows. */
  private asaSessionLine(t: string): boolean {
    this.close();
    const session: AsaSession = { sessionId: null, status: null, ikeCount: null, childCount: null };
    for (const seg of splitSegments(t)) {
      if (seg.startsWith('Session-id')) session.sessionId = toInt(valueAfter(seg, 'Session-id'));
      else if (seg.startsWith('Status')) session.status = valueAfter(seg, 'Status') || null;
      else if (seg.startsWith('IKE count')) session.ikeCount = toInt(valueAfter(seg, 'IKE count'));
      else if (seg.startsWith('CHILD count')) session.childCount = toInt(valueAfter(seg, 'CHILD count'));
      else this.warn(`unknown part "${seg}"`);
    }
    this.asaSession = session;
    return true;
  }

  private rowWords(words: string[]): boolean {
    const row = this.row!;
    row.push(...words);
    if (row.length < 5) return true;
    this.row = null;
    const tunnelId = toInt(row[0]!);
    if (row.length > 5 || tunnelId === null) {
      this.warnings.add(this.rowLine, this.rowText, 'unreadable SA row');
      return true;
    }
    const sa = emptySa();
    sa.tunnelId = tunnelId;
    const local = parseAddressPort(row[1]!);
    const remote = parseAddressPort(row[2]!);
    sa.localAddress = local.address;
    sa.localPort = local.port;
    sa.remoteAddress = remote.address;
    sa.remotePort = remote.port;
    if (this.layout === 'asa') {
      sa.status = row[3]!;
      sa.role = row[4]!;
      const session = this.asaSession;
      if (session) {
        sa.sessionId = session.sessionId;
        sa.sessionStatus = session.status;
        sa.ikeCount = session.ikeCount;
        sa.childCount = session.childCount;
      }
    } else {
      const [fvrf = '', ivrf = ''] = row[3]!.split('/');
      sa.fvrf = noneToNull(fvrf);
      sa.ivrf = noneToNull(ivrf);
      sa.status = row[4]!;
    }
    this.sas.push(sa);
    this.sa = sa;
    return true;
  }

  private incompleteRow(): void {
    this.warnings.add(this.rowLine, this.rowText, 'SA row ends before its last column');
    this.row = null;
  }

  /** The SA a field line belongs to, or null (with a warning) when its row is missing. */
  private saFor(bit: number): Ikev2Sa | null {
    if (!this.sa) {
      this.warn('SA detail without its SA row');
      return null;
    }
    if (this.seen & bit) {
      this.warn('SA detail printed twice: the next SA row is missing');
      this.close();
      return null;
    }
    this.seen |= bit;
    return this.sa;
  }

  private field(t: string): boolean {
    // Dispatched on the first character: most lines are ignored ones, which would otherwise try every label.
    switch (t.charCodeAt(0)) {
      case 69: // E
        if (t.startsWith('Encr:')) return this.encr(t);
        break;
      case 76: // L
        if (t.startsWith('Life/Active Time:')) return this.life(t);
        if (t.startsWith('Local spi:')) return this.spis(t);
        if (t.startsWith('Local id:')) {
          const sa = this.saFor(F_LOCAL_ID);
          if (sa) sa.localId = valueAfter(t, 'Local id') || null;
          return true;
        }
        break;
      case 67: // C
      case 83: // S
        if (t.startsWith('CE id:') || t.startsWith('Session-id:')) return this.ceId(t);
        if (t.startsWith('Status Description:')) {
          const sa = this.saFor(F_DESC);
          if (sa) sa.statusDescription = valueAfter(t, 'Status Description') || null;
          return true;
        }
        break;
      case 82: // R
        if (t.startsWith('Remote id:')) {
          const sa = this.saFor(F_REMOTE_ID);
          if (sa) sa.remoteId = valueAfter(t, 'Remote id') || null;
          return true;
        }
        break;
      case 73: // I
        if (t.startsWith('Initiator of SA')) {
          const sa = this.saFor(F_INITIATOR);
          if (sa) sa.initiator = yesNo(valueAfter(t, 'Initiator of SA'));
          return true;
        }
        break;
      case 81: // Q
        if (t.startsWith('Quantum-safe Encryption using PQC:')) {
          const sa = this.saFor(F_PQC);
          if (sa) sa.pqc = valueAfter(t, 'Quantum-safe Encryption using PQC') || null;
          return true;
        }
        break;
    }
    const c0 = t.charCodeAt(0);
    for (const prefix of IGNORED) {
      if (prefix.charCodeAt(0) === c0 && t.startsWith(prefix)) return true;
    }
    return false;
  }

  private life(t: string): boolean {
    const sa = this.saFor(F_LIFE);
    const m = LIFE.exec(t);
    if (sa && m) {
      sa.lifetimeSeconds = Number(m[1]);
      sa.activeTimeSeconds = Number(m[2]);
    } else if (sa) this.warn('unreadable lifetime');
    return true;
  }

  private ceId(t: string): boolean {
    const sa = this.saFor(F_CE);
    if (!sa) return true;
    for (const seg of splitSegments(t)) {
      if (seg.startsWith('CE id')) sa.ceId = toInt(valueAfter(seg, 'CE id'));
      else if (seg.startsWith('Session-id')) sa.sessionId = toInt(valueAfter(seg, 'Session-id'));
      else this.warn(`unknown part "${seg}"`);
    }
    return true;
  }

  private spis(t: string): boolean {
    const sa = this.saFor(F_SPI);
    const m = SPIS.exec(t);
    if (sa && m) {
      sa.localSpi = m[1]!;
      sa.remoteSpi = m[2]!;
    } else if (sa) this.warn('unreadable SPIs');
    return true;
  }

  /** `Encr: AES-CBC, keysize: 256, PRF: SHA512, Hash: SHA512, DH Grp:19, Auth sign: PSK, Auth verify: PSK` */
  private encr(t: string): boolean {
    const sa = this.saFor(F_ENCR);
    if (!sa) return true;
    for (const seg of splitSegments(t)) {
      if (seg.startsWith('Encr')) sa.encryption = valueAfter(seg, 'Encr') || null;
      else if (seg.startsWith('keysize')) sa.keySize = toInt(valueAfter(seg, 'keysize'));
      else if (seg.startsWith('PRF')) sa.prf = valueAfter(seg, 'PRF') || null;
      else if (seg.startsWith('Hash')) sa.hash = valueAfter(seg, 'Hash') || null;
      else if (seg.startsWith('DH Grp')) sa.dhGroup = toInt(valueAfter(seg, 'DH Grp'));
      else if (seg.startsWith('Auth sign')) sa.authSign = valueAfter(seg, 'Auth sign') || null;
      else if (seg.startsWith('Auth verify')) sa.authVerify = valueAfter(seg, 'Auth verify') || null;
      else this.warn(`unknown part "${seg}"`);
    }
    return true;
  }

  /** ASA `Child sa: local selector  10.1.0.0/0 - 10.1.255.255/65535` */
  private childStart(t: string): boolean {
    if (!this.sa) {
      this.warn('child SA without its IKE SA row');
      this.child = null;
      return true;
    }
    const child: Ikev2ChildSa = {
      localSelector: null,
      remoteSelector: null,
      espSpiIn: null,
      espSpiOut: null,
    };
    const m = CHILD_SA.exec(t);
    if (m) child.localSelector = m[1]!.trim();
    else this.warn('unreadable child SA selector');
    this.sa.childSas.push(child);
    this.child = child;
    return true;
  }

  /** Lines of an ASA child SA block; the `Encr:` etc. of a child describe the child, not the IKE SA. */
  private childLine(t: string): boolean {
    const child = this.child!;
    if (t.startsWith('remote selector')) {
      child.remoteSelector = t.slice(15).trim() || null;
      return true;
    }
    if (t.startsWith('ESP spi in/out:')) {
      const [spiIn = '', spiOut = ''] = valueAfter(t, 'ESP spi in/out').split('/');
      child.espSpiIn = parseSpi(spiIn);
      child.espSpiOut = parseSpi(spiOut);
      return true;
    }
    return CHILD_IGNORED.test(t);
  }
}

export function parseCryptoIkev2Sa(text: string, _opts?: ParseOptions): Parsed<Ikev2SaOutput> {
  const parser = new Ikev2SaParser();
  parser.parse(text);
  return { value: { sas: parser.sas }, warnings: parser.warnings.list };
}
