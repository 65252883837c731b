import { describe, expect, it } from 'vitest';
import { parse, resolveCommand } from '../src/index.js';

describe('resolveCommand', () => {
  it.each([
    ['show crypto ipsec sa', 'ipsecSa'],
    ['sh cry ips sa det', 'ipsecSa'],
    ['SHOW CRYPTO IPSEC SA PEER 10.0.0.2', 'ipsecSa'],
    ['show crypto ipsec sa interface Tunnel0', 'ipsecSa'],
    ['sh crypto isakmp sa detail', 'isakmpSa'],
    ['show crypto ikev1 sa', 'isakmpSa'],
    ['sh cry ikev1 sa det', 'isakmpSa'],
    ['show crypto ikev2 sa detailed', null],
    ['show crypto ikev2 sa detail', 'ikev2Sa'],
    ['sh cry ikev2 sa', 'ikev2Sa'],
    ['show crypto map', 'cryptoMap'],
    ['sh cry ma', 'cryptoMap'],
    ['show crypto map interface Gi0/1', 'cryptoMap'],
    ['show crypto session', 'cryptoSession'],
    ['sh cry sess det', 'cryptoSession'],
  ] as const)('%s → %s', (command, kind) => {
    expect(resolveCommand(command)).toBe(kind);
  });

  it.each([
    'show crypto ipsec sa count',
    'show crypto session brief',
    'show crypto ipsec sa summary',
    'show crypto i sa', // ambiguous: ipsec, isakmp, ikev1, ikev2, identity
    'show crypto ike sa', // ambiguous: ikev1, ikev2
    'show ip route',
    'show crypto',
    'crypto ipsec sa',
    '',
  ])('%s is not a command the parser reads', (command) => {
    expect(resolveCommand(command)).toBeNull();
    expect(parse(command, 'No SAs found')).toBeNull();
  });

  it('parse() tags the result with the command kind', () => {
    const result = parse('sh cry ips sa', 'No SAs found\n');
    expect(result).toEqual({ kind: 'ipsecSa', value: { interfaces: [] }, warnings: [] });
  });
});
