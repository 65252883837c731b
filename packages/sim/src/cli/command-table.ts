import type { Platform } from '../types.js';

/**
 * The commands a simulated router understands, as IOS-style token patterns, and the matcher that accepts
 * unique abbreviations (`sh cry ips sa`) and reports errors the way IOS does.
 */

/** What a matched command does; the shell and the renderer switch on it. */
export type CommandId =
  | 'enable'
  | 'disable'
  | 'exit'
  | 'terminal-length'
  | 'terminal-width'
  | 'terminal-pager'
  | 'show-version'
  | 'show-ipsec-sa'
  | 'show-isakmp-sa'
  | 'show-ikev1-sa'
  | 'show-ikev2-sa'
  | 'show-crypto-map'
  | 'show-crypto-session'
  | 'clear-crypto-sa'
  | 'clear-crypto-isakmp';

/** `<number>`, `<address>` and `<name>` stand for one argument token. */
type Pattern = { id: CommandId; words: string[]; privileged: boolean; platforms: readonly Platform[] };

const IOS: readonly Platform[] = ['ios', 'iosxe'];
const ALL: readonly Platform[] = ['ios', 'iosxe', 'asa'];
const ASA: readonly Platform[] = ['asa'];

function pattern(id: CommandId, text: string, privileged: boolean, platforms = ALL): Pattern {
  return { id, words: text.split(' '), privileged, platforms };
}

const PATTERNS: Pattern[] = [
  pattern('enable', 'enable', false),
  pattern('disable', 'disable', true),
  pattern('exit', 'exit', false),
  pattern('exit', 'logout', false),
  pattern('exit', 'quit', false),
  pattern('terminal-length', 'terminal length <number>', false, IOS),
  pattern('terminal-width', 'terminal width <number>', false),
  pattern('terminal-pager', 'terminal pager <number>', false, ASA),
  pattern('terminal-pager', 'terminal pager lines <number>', false, ASA),
  pattern('show-version', 'show version', false),
  ...['', ' detail'].flatMap((detail) => [
    pattern('show-ipsec-sa', `show crypto ipsec sa${detail}`, true),
    pattern('show-isakmp-sa', `show crypto isakmp sa${detail}`, true),
    pattern('show-ikev1-sa', `show crypto ikev1 sa${detail}`, true, ASA),
    pattern('show-ikev2-sa', `show crypto ikev2 sa${detail}`, true),
    pattern('show-crypto-session', `show crypto session${detail}`, true, IOS),
  ]),
  pattern('show-ipsec-sa', 'show crypto ipsec sa peer <address>', true),
  pattern('show-ipsec-sa', 'show crypto ipsec sa peer <address> detail', true),
  pattern('show-ipsec-sa', 'show crypto ipsec sa interface <name>', true, IOS),
  pattern('show-crypto-map', 'show crypto map', true),
  pattern('clear-crypto-sa', 'clear crypto sa', true, IOS),
  pattern('clear-crypto-sa', 'clear crypto sa peer <address>', true, IOS),
  pattern('clear-crypto-sa', 'clear crypto sa peer vrf <name> <address>', true, IOS),
  pattern('clear-crypto-sa', 'clear crypto ipsec sa', true, ASA),
  pattern('clear-crypto-sa', 'clear crypto ipsec sa peer <address>', true, ASA),
  pattern('clear-crypto-isakmp', 'clear crypto isakmp', true, IOS),
  pattern('clear-crypto-isakmp', 'clear crypto ikev1 sa', true, ASA),
];

export type MatchResult =
  | { kind: 'command'; id: CommandId; detail: boolean; args: Record<string, string> }
  | { kind: 'empty' }
  /** `offset`: character position in the input line of the token the caret points at. */
  | { kind: 'invalid'; offset: number }
  | { kind: 'ambiguous' }
  | { kind: 'incomplete' };

/** Matches one input line against the commands available on `platform` at this privilege level. */
export function matchCommand(line: string, platform: Platform, privileged: boolean): MatchResult {
  const tokens = [...line.matchAll(/\S+/g)].map((match) => ({ text: match[0], offset: match.index }));
  if (tokens.length === 0) return { kind: 'empty' };
  let candidates = PATTERNS.filter(
    (candidate) => candidate.platforms.includes(platform) && (privileged || !candidate.privileged),
  );
  for (const [position, token] of tokens.entries()) {
    const word = token.text.toLowerCase();
    const matching = candidates.filter((candidate) => {
      const expected = candidate.words[position];
      if (expected === undefined) return false;
      if (expected === '<number>') return /^\d+$/.test(word);
      if (expected.startsWith('<')) return true;
      return expected.startsWith(word);
    });
    if (matching.length === 0) return { kind: 'invalid', offset: token.offset };
    const keywords = new Set(
      matching.map((candidate) => candidate.words[position]!).filter((expected) => !expected.startsWith('<')),
    );
    if (keywords.size > 1 && !keywords.has(word)) return { kind: 'ambiguous' };
    // An exact keyword wins over longer keywords it abbreviates.
    candidates = keywords.has(word)
      ? matching.filter(
          (candidate) => candidate.words[position] === word || candidate.words[position]!.startsWith('<'),
        )
      : matching;
  }
  const complete = candidates.find((candidate) => candidate.words.length === tokens.length);
  if (!complete) return { kind: 'incomplete' };
  const args: Record<string, string> = {};
  complete.words.forEach((expected, index) => {
    if (expected.startsWith('<')) args[expected.slice(1, -1)] = tokens[index]!.text;
  });
  return { kind: 'command', id: complete.id, detail: complete.words.includes('detail'), args };
}
