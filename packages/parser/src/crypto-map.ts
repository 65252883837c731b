/**
 * `show crypto map` (FORMATS.md item 22): one entry per `Crypto Map … "name" seq type` header, including the
 * tunnel-protection profile instances (`Tunnel0-head-0 65537`). The `Interfaces using crypto map X:` list
 * applies to every entry of map X.
 */
import { LineParser } from './line-parser.js';
import { isPromptOrEcho, noneToNull, parseTransforms, toInt, valueAfter, yesNo } from './lines.js';
import type { CryptoMapEntry, CryptoMapOutput, Parsed, ParseOptions } from './types.js';

// Regexes are module constants: a literal in a function is a new RegExp object each time the line runs.
const INTERFACE_NAME = /^[A-Za-z][\w\-./:]*$/;
const ACE = /^(?:access-list|permit|deny)\s/;
const BRACES = /[{}]/g;
const SEPARATORS = /[\s,]+/;
const NOT_A_NAME = /[{}:=]/;
const HEADER = /^Crypto Map(?:\s+(IPv4|IPv6))?\s+"([^"]*)"\s+(\d+)(?:\s+(.*))?$/;
const ASA_INTERFACES = /^Crypto Map:?\s+"([^"]*)"\s+interfaces:\s*\{([^}]*)\}$/;
const LIFETIME = /^Security association lifetime:\s*(\d+)\s+kilobytes\s*\/\s*(\d+)\s+seconds\b/;
const INTERFACES_USING = /^Interfaces using crypto map (.+):$/;
const TRANSFORM_SET = /^([^\s:{}]+):\s*((?:\{[^}]*\}\s*,?\s*)+)$/;
/** ASA: `Extended access-list outside_cryptomap_10; 1 ACE`, then the ACEs indented below. */
const ASA_ACCESS_LIST = /^\w+ access-list ([^\s;]+);\s*\d+ ACEs?$/;
/** IKEv1 `Transform sets={`; ASA IKEv2 `IKEv2 IPsec proposals={` (listed in transformSets too). */
const TRANSFORM_BLOCK = /^(?:Transform sets|IKEv2 IPsec proposals)\s*=\s*\{/i;

/** Entry lines that carry nothing the contract needs. */
const IGNORED = [
  'Mixed-mode',
  'Reverse Route Injection',
  'QOS pre-classification',
  'Description:',
  '(missing peer or access-list definition)',
];

function newEntry(name: string, sequence: number | null, ipVersion: 4 | 6 | null): CryptoMapEntry {
  return {
    name,
    sequence,
    type: null,
    dynamic: false,
    dynamicMapTemplate: null,
    ipVersion,
    profileInstance: false,
    profileName: null,
    isakmpProfile: null,
    ikev2Profile: null,
    peers: [],
    accessList: null,
    accessListEntries: [],
    currentPeer: null,
    lifetimeKilobytes: null,
    lifetimeSeconds: null,
    responderOnly: null,
    pfs: null,
    dhGroup: null,
    transformSets: [],
    interfaces: [],
    incomplete: false,
  };
}

class CryptoMapParser extends LineParser {
  readonly maps: CryptoMapEntry[] = [];
  private readonly interfacesByMap = new Map<string, string[]>();
  private entry: CryptoMapEntry | null = null;
  /** What the indented lines below the current line are: ACL entries, transform sets or interfaces. */
  private block: 'acl' | 'transforms' | 'interfaces' | null = null;
  private interfacesOf = '';

  protected override end(): void {
    for (const entry of this.maps) entry.interfaces = this.interfacesByMap.get(entry.name) ?? [];
  }

  protected readLine(t: string): boolean {
    // The regexes of the map-level lines only run on lines that start like them (most lines are entry lines).
    const mapLine = t.startsWith('Crypto Map');
    const header = mapLine ? HEADER.exec(t) : null;
    if (header) return this.header(header);
    const asaInterfaces = mapLine ? ASA_INTERFACES.exec(t) : null;
    if (asaInterfaces) {
      this.block = null;
      this.entry = null;
      for (const name of asaInterfaces[2]!.split(SEPARATORS))
        if (name) this.addInterface(asaInterfaces[1]!, name);
      return true;
    }
    const using = t.startsWith('Interfaces using crypto map ') ? INTERFACES_USING.exec(t) : null;
    if (using) {
      this.block = 'interfaces';
      this.interfacesOf = using[1]!;
      if (!this.interfacesByMap.has(this.interfacesOf)) this.interfacesByMap.set(this.interfacesOf, []);
      return true;
    }
    const block = this.block;
    if (block === 'interfaces' && INTERFACE_NAME.test(t) && !isPromptOrEcho(t)) {
      this.addInterface(this.interfacesOf, t);
      return true;
    }
    if (block === 'transforms' && this.transformLine(t)) return true;
    if (block === 'acl' && ACE.test(t)) {
      this.entry!.accessListEntries.push(t);
      return true;
    }
    this.block = null;
    if (!this.entry) return false;
    return this.entryLine(this.entry, t);
  }

  private addInterface(map: string, name: string): void {
    let list = this.interfacesByMap.get(map);
    if (!list) {
      list = [];
      this.interfacesByMap.set(map, list);
    }
    if (!list.includes(name)) list.push(name);
  }

  /** `Crypto Map IPv4 "CMAP" 10 ipsec-isakmp [dynamic DYN]`, older `Crypto Map "CMAP" 10 ipsec-manual`. */
  private header(m: RegExpExecArray): boolean {
    const ipVersion = m[1] === 'IPv4' ? 4 : m[1] === 'IPv6' ? 6 : null;
    const entry = newEntry(m[2]!, toInt(m[3]!), ipVersion);
    const rest = (m[4] ?? '').trim();
    const matchAddress = /^match address:\s*(\S+)$/.exec(rest);
    if (matchAddress) {
      entry.accessList = matchAddress[1]!; // ASA
    } else if (rest !== '') {
      const words = rest.split(/\s+/);
      entry.type = words[0]!;
      if (words[1] === 'dynamic') {
        entry.dynamic = true;
        entry.dynamicMapTemplate = words[2] ?? null;
      } else if (words.length > 1) {
        this.warn(`unknown words "${words.slice(1).join(' ')}" after the map type`);
      }
    }
    this.maps.push(entry);
    this.entry = entry;
    this.block = null;
    return true;
  }

  private entryLine(entry: CryptoMapEntry, t: string): boolean {
    // Each label is tried only when the first character matches: the chain runs for every entry line.
    const c0 = t.charCodeAt(0);
    if (c0 === 80 && t.startsWith('Peer =')) {
      const peer = valueAfter(t, 'Peer =');
      if (peer && !entry.peers.includes(peer)) entry.peers.push(peer);
      return true;
    }
    if (
      (c0 === 69 && t.startsWith('Extended IP access list')) ||
      (c0 === 73 && t.startsWith('IPv6 access list'))
    ) {
      entry.accessList = t.replace(/^(?:Extended IP|IPv6) access list/, '').trim() || null;
      this.block = 'acl';
      return true;
    }
    const asaAccessList = t.includes(' access-list ') ? ASA_ACCESS_LIST.exec(t) : null;
    if (asaAccessList) {
      entry.accessList = asaAccessList[1]!;
      this.block = 'acl';
      return true;
    }
    if (c0 === 97 && t.startsWith('access-list ')) {
      entry.accessListEntries.push(t); // ASA prints the ACL lines right below the header
      this.block = 'acl';
      return true;
    }
    if (t === 'No matching address list set.') return true;
    if (c0 === 67 && t.startsWith('Current peer:')) {
      entry.currentPeer = noneToNull(valueAfter(t, 'Current peer'));
      return true;
    }
    if (c0 === 83 && t.startsWith('Security association lifetime:')) {
      const m = LIFETIME.exec(t);
      if (!m) return false;
      entry.lifetimeKilobytes = Number(m[1]);
      entry.lifetimeSeconds = Number(m[2]);
      return true;
    }
    if (c0 === 82 && t.startsWith('Responder-Only (Y/N):')) {
      entry.responderOnly = yesNo(valueAfter(t, 'Responder-Only (Y/N)'));
      return true;
    }
    if (c0 === 80 && t.startsWith('PFS (Y/N):')) {
      entry.pfs = yesNo(valueAfter(t, 'PFS (Y/N)'));
      return true;
    }
    if (c0 === 68 && t.startsWith('DH group:')) {
      entry.dhGroup = noneToNull(valueAfter(t, 'DH group'));
      return true;
    }
    if (c0 === 73 && t.startsWith('ISAKMP Profile:')) {
      entry.isakmpProfile = noneToNull(valueAfter(t, 'ISAKMP Profile'));
      return true;
    }
    if (c0 === 73 && t.startsWith('IKEv2 Profile:')) {
      entry.ikev2Profile = noneToNull(valueAfter(t, 'IKEv2 Profile'));
      return true;
    }
    if (c0 === 80 && t.startsWith('Profile name:')) {
      entry.profileName = noneToNull(valueAfter(t, 'Profile name'));
      return true;
    }
    if (t === 'Map is a PROFILE INSTANCE.') {
      entry.profileInstance = true;
      return true;
    }
    if (c0 === 68 && t.startsWith('Dynamic map template tag:')) {
      entry.dynamic = true;
      entry.dynamicMapTemplate = valueAfter(t, 'Dynamic map template tag') || null;
      return true;
    }
    if (c0 === 87 && t.startsWith('WARNING: This crypto map is in an incomplete state')) {
      entry.incomplete = true;
      return true;
    }
    if (TRANSFORM_BLOCK.test(t)) {
      this.block = 'transforms';
      const rest = t.slice(t.indexOf('{') + 1).trim();
      return rest === '' || this.transformLine(rest);
    }
    for (const prefix of IGNORED) {
      if (prefix.charCodeAt(0) === c0 && t.startsWith(prefix)) return true;
    }
    return false;
  }

  /** `TS1:  { esp-256-aes esp-sha-hmac  } ,` lines up to the closing `}`; ASA `{ NAME, NAME2, }` on one line. */
  private transformLine(t: string): boolean {
    let rest = t;
    if (rest === '}') {
      this.block = null;
      return true;
    }
    if (rest.endsWith('}') && !rest.endsWith('} ,') && !TRANSFORM_SET.test(rest)) {
      // The set list closes on this line: `TS1:  { esp-aes  } , }` or ASA `ESP-AES-256-SHA, }`.
      this.block = null;
      rest = rest.slice(0, -1).trim();
    }
    if (rest === '') return true;
    const m = TRANSFORM_SET.exec(rest);
    if (m) {
      const transforms = parseTransforms(m[2]!.replace(BRACES, ' '));
      this.entry!.transformSets.push({ name: m[1]!, transforms });
      return true;
    }
    // ASA lists set names only.
    const names = rest.split(SEPARATORS).filter((w) => w !== '');
    if (names.length === 0 || names.some((n) => NOT_A_NAME.test(n))) return false;
    for (const name of names) this.entry!.transformSets.push({ name, transforms: [] });
    return true;
  }
}

export function parseCryptoMap(text: string, _opts?: ParseOptions): Parsed<CryptoMapOutput> {
  const parser = new CryptoMapParser();
  parser.parse(text);
  return { value: { maps: parser.maps }, warnings: parser.warnings.list };
}
