/**
 * Maps a command line as typed on the router (`sh cry ips sa det`, `show crypto ikev1 sa`) to the parser
 * that reads its output. Words may be abbreviated as on IOS: any unambiguous prefix of the keyword.
 */
import type { CommandKind } from './types.js';

type Shape = { kind: CommandKind; words: string[]; options: string[] };

/** The options a command may carry after its fixed words: they filter the output but keep its layout. */
const SHAPES: Shape[] = [
  {
    kind: 'ipsecSa',
    words: ['ipsec', 'sa'],
    options: ['detail', 'peer', 'interface', 'address', 'vrf', 'map', 'ipv6', 'ipv4'],
  },
  { kind: 'isakmpSa', words: ['isakmp', 'sa'], options: ['detail', 'active', 'standby', 'nat', 'vrf'] },
  { kind: 'isakmpSa', words: ['ikev1', 'sa'], options: ['detail'] },
  { kind: 'ikev2Sa', words: ['ikev2', 'sa'], options: ['detail', 'local', 'remote', 'fvrf', 'ivrf', 'psh'] },
  { kind: 'cryptoMap', words: ['map'], options: ['interface', 'tag', 'ipv6', 'ipv4', 'gdoi'] },
  {
    kind: 'cryptoSession',
    words: ['session'],
    options: [
      'detail',
      'local',
      'remote',
      'interface',
      'isakmp',
      'ikev2',
      'fvrf',
      'ivrf',
      'username',
      'group',
      'active',
    ],
  },
];

/** The keywords available after `show crypto`, to decide whether an abbreviation is ambiguous. */
const CRYPTO_WORDS = [
  'ipsec',
  'isakmp',
  'ikev1',
  'ikev2',
  'map',
  'session',
  'identity',
  'key',
  'pki',
  'ca',
  'engine',
  'eli',
  'gdoi',
  'ruleset',
  'socket',
  'dynamic-map',
  'mib',
  'call',
  'ha',
  'route',
  'ssl',
  'tls-proxy',
  'ctcp',
];
/** Options that change the layout (`brief`, `summary`, `count`) are deliberately not accepted. */
const SA_WORDS = [
  'sa',
  'profile',
  'policy',
  'client',
  'default',
  'security-association',
  'spi-lookup',
  'transform-set',
  'peer',
  'key',
  'diagnose',
  'stats',
  'proposal',
  'session',
];

function matches(word: string, keyword: string, candidates: string[]): boolean {
  if (word === keyword) return true;
  if (!keyword.startsWith(word)) return false;
  return candidates.filter((c) => c.startsWith(word)).length === 1;
}

/** The parser for a command, or null when it is not one of the `show crypto` commands tunnelwatch reads. */
export function resolveCommand(command: string): CommandKind | null {
  const words = command.trim().toLowerCase().split(/\s+/);
  if (words.length < 3 || words[0]!.length < 2 || !'show'.startsWith(words[0]!)) return null;
  if (words[1]!.length < 2 || !'crypto'.startsWith(words[1]!)) return null;
  for (const shape of SHAPES) {
    const [first, second] = shape.words as [string, string | undefined];
    if (!matches(words[2]!, first, CRYPTO_WORDS)) continue;
    let next = 3;
    if (second !== undefined) {
      if (words[3] === undefined || !matches(words[3], second, SA_WORDS)) continue;
      next = 4;
    }
    const option = words[next];
    if (option === undefined) return shape.kind;
    if (shape.options.some((o) => matches(option, o, shape.options))) return shape.kind;
    return null;
  }
  return null;
}
