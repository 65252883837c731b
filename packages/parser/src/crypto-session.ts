/**
 * `show crypto session [detail]` (FORMATS.md items 15–18). Every `Peer:` line opens its own session, even
 * under one `Interface:` header (DMVPN hubs). The session-level lines (`Session status:`, `Uptime:`,
 * `Username:` …) are printed *above* the `Peer:` line they describe, so they are held until that line comes;
 * once they appear, the previous peer is closed and nothing below can land under it.
 */
import { LineParser } from './line-parser.js';
import { noneToNull, parseAddressPort, parseHms, toInt, tokens, valueAfter } from './lines.js';
import type {
  CryptoSession,
  CryptoSessionOutput,
  Parsed,
  ParseOptions,
  SessionFlow,
  SessionFlowDirection,
  SessionIkeSa,
} from './types.js';

type Pending = Pick<
  CryptoSession,
  'username' | 'profile' | 'group' | 'assignedAddress' | 'uptime' | 'status'
>;

const PENDING_LABELS: [string, keyof Pending][] = [
  ['Username:', 'username'],
  ['Profile:', 'profile'],
  ['Group:', 'group'],
  ['Assigned address:', 'assignedAddress'],
  ['Uptime:', 'uptime'],
  ['Session status:', 'status'],
];

// Regexes are module constants: a literal in a function is a new RegExp object each time the line runs.
/** The `Code: C - IKE Configuration mode, …` legend. */
const LEGEND = /^(?:Code:\s*)?[A-Za-z]+ - [A-Za-z]/;
const CAPABILITIES = /^Capabilities:\s*(\S*)\s+connid:\s*(\d+)\s+lifetime:\s*(\S+)$/;
const ACTIVE_SAS = /^Active SAs:\s*(\d+)(?:,\s*origin:\s*(.+))?$/;
const BLANKS = /\s+/;
const IKE_LINE = /^(IKE|IKEv1|IKEv2) SA:\s*local\s+(\S+)(?:\s+remote\s+(\S+)(?:\s+(\S+))?)?$/;
const DIRECTION_LINE =
  /^(Inbound|Outbound):\s*#pkts (?:dec|enc)'ed\s+(\d+)\s+drop\s+(\d+)\s+life \(KB\/Sec\)\s+(?:(\d+)|(KB Vol Rekey Disabled))\/(\d+)$/;

/** False when `t` cannot match LEGEND: it starts with neither `Code:` nor letters followed by ` - `. */
function mayBeLegend(t: string): boolean {
  let i = 0;
  for (let c = t.charCodeAt(0); (c >= 65 && c <= 90) || (c >= 97 && c <= 122); c = t.charCodeAt(++i));
  return (i > 0 && t.charCodeAt(i) === 32 && t.charCodeAt(i + 1) === 45) || t.startsWith('Code:');
}

function emptyPending(): Pending {
  return { username: null, profile: null, group: null, assignedAddress: null, uptime: null, status: null };
}

class CryptoSessionParser extends LineParser {
  readonly sessions: CryptoSession[] = [];
  private iface: string | null = null;
  private pending = emptyPending();
  private session: CryptoSession | null = null;
  private sessionId: number | null = null;
  private sessionIdSeen = false;
  private ike: SessionIkeSa | null = null;
  /** The IKE SA whose `remote …` half wrapped onto the next line (IPv6). */
  private ikeWrapped: SessionIkeSa | null = null;
  private flow: SessionFlow | null = null;

  protected readLine(t: string): boolean {
    const wrapped = this.ikeWrapped;
    this.ikeWrapped = null;
    if (wrapped && t.startsWith('remote ')) {
      this.ikeRemote(wrapped, t.slice(7).trim());
      return true;
    }
    return this.dispatch(t);
  }

  private dispatch(t: string): boolean {
    // Each label is tried only when the first character matches: the chain is long and runs for every line.
    const c0 = t.charCodeAt(0);
    if (c0 === 73 && t.startsWith('Interface:')) {
      this.closeSession();
      this.pending = emptyPending();
      const name = valueAfter(t, 'Interface');
      this.iface = name === '(unknown)' ? null : noneToNull(name);
      return true;
    }
    for (let i = 0; i < PENDING_LABELS.length; i++) {
      const [label, key] = PENDING_LABELS[i]!;
      if (label.charCodeAt(0) === c0 && t.startsWith(label)) {
        // These describe the next Peer: the previous session is complete.
        this.closeSession();
        this.pending[key] = noneToNull(valueAfter(t, label.slice(0, -1)));
        return true;
      }
    }
    if (c0 === 80 && t.startsWith('Peer:')) return this.peer(t);
    if (t === 'Crypto session current status') return true;
    if (mayBeLegend(t) && LEGEND.test(t)) return true;
    if (c0 === 80 && t.startsWith('Phase1_id:'))
      return this.sessionField('phase1Id', valueAfter(t, 'Phase1_id'));
    if (c0 === 68 && t.startsWith('Desc:')) return this.sessionField('description', valueAfter(t, 'Desc'));
    if (c0 === 83 && t.startsWith('Session ID:')) {
      if (!this.requireSession()) return true;
      if (this.sessionIdSeen) {
        this.warn('a second Session ID for one peer: its Peer line is missing');
        this.closeSession();
        return true;
      }
      this.sessionIdSeen = true;
      this.sessionId = toInt(valueAfter(t, 'Session ID'));
      return true;
    }
    if (c0 === 73 && t.startsWith('IKE')) return this.ikeLine(t);
    if (c0 === 67 && t.startsWith('Capabilities:')) return this.capabilities(t);
    if (c0 === 73 && t.startsWith('IPSEC FLOW:')) return this.flowLine(t);
    if (c0 === 65 && t.startsWith('Active SAs:')) return this.activeSas(t);
    if ((c0 === 73 && t.startsWith('Inbound:')) || (c0 === 79 && t.startsWith('Outbound:')))
      return this.direction(t);
    return false;
  }

  private closeSession(): void {
    this.session = null;
    this.sessionId = null;
    this.sessionIdSeen = false;
    this.ike = null;
    this.flow = null;
  }

  private requireSession(): CryptoSession | null {
    if (!this.session) this.warn('session detail without its Peer line');
    return this.session;
  }

  /** `Peer: 10.1.1.2 port 500`, `Peer: 1.1.1.1 port 500 fvrf: myf-vrf ivrf: myi-vrf` */
  private peer(t: string): boolean {
    this.closeSession();
    const words = tokens(valueAfter(t, 'Peer'));
    const address = words[0];
    if (!address) {
      this.warn('Peer line without an address');
      return true;
    }
    const session: CryptoSession = {
      interface: this.iface,
      ...this.pending,
      peer: { address, port: null },
      fvrf: null,
      ivrf: null,
      phase1Id: null,
      description: null,
      ikeSas: [],
      flows: [],
    };
    for (let i = 1; i < words.length; i += 2) {
      const key = words[i]!;
      const value = words[i + 1] ?? '';
      if (key === 'port') session.peer!.port = toInt(value);
      else if (key === 'fvrf:') session.fvrf = noneToNull(value);
      else if (key === 'ivrf:') session.ivrf = noneToNull(value);
      else this.warn(`unknown part "${key}" in the Peer line`);
    }
    this.pending = emptyPending();
    this.sessions.push(session);
    this.session = session;
    return true;
  }

  private sessionField(key: 'phase1Id' | 'description', value: string): boolean {
    const session = this.requireSession();
    if (!session) return true;
    if (session[key] !== null) {
      this.warn('printed twice for one peer: a Peer line is missing');
      this.closeSession();
      return true;
    }
    session[key] = noneToNull(value);
    return true;
  }

  /** `IKEv2 SA: local 10.0.0.1/500 remote 10.0.0.2/500 Active` (IPv6: `remote …` on the next line). */
  private ikeLine(t: string): boolean {
    const m = IKE_LINE.exec(t);
    if (!m) return false;
    const session = this.requireSession();
    if (!session) return true;
    const local = parseAddressPort(m[2]!);
    const ike: SessionIkeSa = {
      version: m[1] === 'IKEv1' ? 'ikev1' : m[1] === 'IKEv2' ? 'ikev2' : null,
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: null,
      remotePort: null,
      status: null,
      capabilities: null,
      connId: null,
      sessionId: this.sessionId,
      lifetimeSeconds: null,
    };
    session.ikeSas.push(ike);
    this.ike = ike;
    this.flow = null;
    if (m[3] === undefined) this.ikeWrapped = ike;
    else this.ikeRemote(ike, `${m[3]}${m[4] === undefined ? '' : ` ${m[4]}`}`);
    return true;
  }

  private ikeRemote(ike: SessionIkeSa, rest: string): void {
    const [address = '', status] = rest.split(BLANKS);
    const remote = parseAddressPort(address);
    ike.remoteAddress = remote.address || null;
    ike.remotePort = remote.port;
    ike.status = status ?? null;
    const peer = this.session?.peer?.address;
    if (peer && remote.address && peer.toLowerCase() !== remote.address.toLowerCase()) {
      // An IKE SA to another address than the Peer line: its own Peer line is missing. Keep it off this peer.
      this.warn('IKE SA remote address differs from the session peer');
      this.session!.ikeSas.pop();
      this.closeSession();
    }
  }

  /** `Capabilities:D connid:1001 lifetime:23:10:01` */
  private capabilities(t: string): boolean {
    const ike = this.ike;
    if (!ike || ike.connId !== null || ike.capabilities !== null || ike.lifetimeSeconds !== null) {
      this.warn('capabilities without their IKE SA line');
      return true;
    }
    const m = CAPABILITIES.exec(t);
    if (!m) {
      this.warn('unreadable capabilities line');
      return true;
    }
    ike.capabilities = noneToNull(m[1]!);
    ike.connId = Number(m[2]);
    ike.lifetimeSeconds = parseHms(m[3]!);
    return true;
  }

  private flowLine(t: string): boolean {
    const session = this.requireSession();
    if (!session) return true;
    const flow: SessionFlow = {
      flow: valueAfter(t, 'IPSEC FLOW'),
      activeSas: null,
      origin: null,
      inbound: null,
      outbound: null,
    };
    session.flows.push(flow);
    this.flow = flow;
    this.ike = null;
    return true;
  }

  private flowFor(): SessionFlow | null {
    if (!this.flow) this.warn('flow detail without its IPSEC FLOW line');
    return this.flow;
  }

  /** `Active SAs: 2, origin: crypto map` */
  private activeSas(t: string): boolean {
    const flow = this.flowFor();
    if (!flow) return true;
    const m = ACTIVE_SAS.exec(t);
    if (!m || flow.activeSas !== null) {
      this.warn(
        m ? 'printed twice for one flow: an IPSEC FLOW line is missing' : 'unreadable Active SAs line',
      );
      if (m) this.flow = null;
      return true;
    }
    flow.activeSas = Number(m[1]);
    flow.origin = m[2]?.trim() ?? null;
    return true;
  }

  /** `Inbound:  #pkts dec'ed 449282 drop 0 life (KB/Sec) KB Vol Rekey Disabled/3060` */
  private direction(t: string): boolean {
    const flow = this.flowFor();
    if (!flow) return true;
    const m = DIRECTION_LINE.exec(t);
    if (!m) {
      this.warn('unreadable packet counters');
      return true;
    }
    const key = m[1] === 'Inbound' ? 'inbound' : 'outbound';
    if (flow[key] !== null) {
      this.warn('printed twice for one flow: an IPSEC FLOW line is missing');
      this.flow = null;
      return true;
    }
    const value: SessionFlowDirection = {
      packets: Number(m[2]),
      drops: Number(m[3]),
      lifeKilobytes: m[4] === undefined ? null : Number(m[4]),
      lifeSeconds: Number(m[6]),
      kilobyteRekeyDisabled: m[5] !== undefined,
    };
    flow[key] = value;
    return true;
  }
}

export function parseCryptoSession(text: string, _opts?: ParseOptions): Parsed<CryptoSessionOutput> {
  const parser = new CryptoSessionParser();
  parser.parse(text);
  return { value: { sessions: parser.sessions }, warnings: parser.warnings.list };
}
