import { isIP } from 'node:net';
import type { Ident } from '@tunnelwatch/parser';

/**
 * One spelling per address, so that the same peer printed by two commands (`2001:DB8::1` in one,
 * `2001:db8:0::1` in another) is one tunnel: IPv6 in RFC 5952 form (lower case, longest zero run
 * compressed), IPv4 and ASA object names as printed (trimmed).
 */
export function canonicalAddress(text: string): string {
  const address = text.trim();
  if (isIP(address) !== 6) return address;
  // A link-local zone (`fe80::1%Gi0`) is not URL syntax: canonicalize the address, keep the zone.
  const zoneAt = address.indexOf('%');
  const bare = zoneAt < 0 ? address : address.slice(0, zoneAt);
  const zone = zoneAt < 0 ? '' : address.slice(zoneAt);
  try {
    return new URL(`http://[${bare}]`).hostname.slice(1, -1) + zone;
  } catch {
    return address.toLowerCase();
  }
}

/**
 * An ident as CIDR text (types.ts `FlowSnapshot.localIdent`): `10.1.0.0/24`, `2001:db8::/64`, with
 * `/protocol/port` appended when either is not 0 (`10.0.0.1/32/47/0`). A non-contiguous IPv4 mask, which has
 * no prefix length, is kept as a mask (`10.0.0.0/255.0.255.0`).
 */
export function identText(ident: Ident | null): string {
  if (ident === null) return 'unknown';
  const address = canonicalAddress(ident.address);
  const length = ident.prefixLength ?? ident.mask;
  const base = length === null ? address : `${address}/${length}`;
  const protocol = ident.protocol ?? 0;
  const port = ident.port ?? 0;
  return protocol === 0 && port === 0 ? base : `${base}/${protocol}/${port}`;
}
