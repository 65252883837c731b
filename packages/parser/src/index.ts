import { resolveCommand } from './command.js';
import { parseCryptoMap } from './crypto-map.js';
import { parseCryptoSession } from './crypto-session.js';
import { parseCryptoIkev2Sa } from './ikev2-sa.js';
import { parseCryptoIpsecSa } from './ipsec-sa.js';
import { parseCryptoIsakmpSa } from './isakmp-sa.js';
import type { ParsedCommand, ParseOptions } from './types.js';

export { resolveCommand } from './command.js';
export { parseCryptoMap } from './crypto-map.js';
export { parseCryptoSession } from './crypto-session.js';
export { parseCryptoIkev2Sa } from './ikev2-sa.js';
export { counterName, parseCryptoIpsecSa } from './ipsec-sa.js';
export { parseCryptoIsakmpSa } from './isakmp-sa.js';
export type * from './types.js';

/**
 * Parses the output of `command` (abbreviations accepted: `sh cry ips sa det`). Returns null when the command
 * is not one tunnelwatch reads; never throws on any text.
 */
export function parse(command: string, text: string, opts?: ParseOptions): ParsedCommand | null {
  switch (resolveCommand(command)) {
    case 'ipsecSa':
      return { kind: 'ipsecSa', ...parseCryptoIpsecSa(text, opts) };
    case 'isakmpSa':
      return { kind: 'isakmpSa', ...parseCryptoIsakmpSa(text, opts) };
    case 'ikev2Sa':
      return { kind: 'ikev2Sa', ...parseCryptoIkev2Sa(text, opts) };
    case 'cryptoMap':
      return { kind: 'cryptoMap', ...parseCryptoMap(text, opts) };
    case 'cryptoSession':
      return { kind: 'cryptoSession', ...parseCryptoSession(text, opts) };
    default:
      return null;
  }
}
