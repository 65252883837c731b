import { describe, expect, it } from 'vitest';
import { ident } from '../test/parsed-values.js';
import { canonicalAddress, identText } from './addresses.js';

describe('canonicalAddress', () => {
  it('writes IPv6 in RFC 5952 form and leaves IPv4 and ASA object names as printed', () => {
    expect(canonicalAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalAddress('4180::56:0:1')).toBe('4180::56:0:1');
    expect(canonicalAddress(' FE80::1 ')).toBe('fe80::1');
    expect(canonicalAddress('198.51.100.2')).toBe('198.51.100.2');
    expect(canonicalAddress('PEER-OBJ')).toBe('PEER-OBJ');
    expect(canonicalAddress('FE80:0::1%Gi0')).toBe('fe80::1%Gi0');
  });
});

describe('identText', () => {
  it('prints CIDR text, with /protocol/port only when one is not 0', () => {
    expect(identText(ident('10.1.0.0/24'))).toBe('10.1.0.0/24');
    expect(identText(ident('10.0.0.1/32', 47, 0))).toBe('10.0.0.1/32/47/0');
    expect(identText(ident('4180::56:0:1/128', 17, 12346))).toBe('4180::56:0:1/128/17/12346');
    expect(identText(ident('2001:DB8:10:0::/64'))).toBe('2001:db8:10::/64');
  });

  it('keeps a non-contiguous mask, and says unknown for a missing ident', () => {
    expect(
      identText({ address: '10.0.0.0', mask: '255.0.255.0', prefixLength: null, protocol: 0, port: 0 }),
    ).toBe('10.0.0.0/255.0.255.0');
    expect(identText(null)).toBe('unknown');
  });
});
