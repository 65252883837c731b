import { isIPv6 } from 'node:net';

/** A protected network: address plus prefix length, with the IPv4 mask where there is one. */
export type Network = { address: string; prefixLength: number; mask: string | null; ipv6: boolean };

/** Parses `10.1.0.0/24`, `2001:db8::/64` or a bare host address. Throws on anything else. */
export function parseNetwork(cidr: string): Network {
  const [address = '', length] = cidr.split('/');
  const ipv6 = isIPv6(address);
  const max = ipv6 ? 128 : 32;
  const prefixLength = length === undefined ? max : Number(length);
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > max || address === '') {
    throw new Error(`not a network: ${cidr}`);
  }
  return { address, prefixLength, mask: ipv6 ? null : prefixToMask(prefixLength), ipv6 };
}

export function prefixToMask(prefixLength: number): string {
  const bits = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 255).join('.');
}

/** IOS access-list wildcard (inverse mask). */
export function prefixToWildcard(prefixLength: number): string {
  return prefixToMask(prefixLength)
    .split('.')
    .map((octet) => 255 - Number(octet))
    .join('.');
}

/** `10.0.0.1` → the IPv4 number; used to derive addresses for generated fleets. */
export function ipv4FromNumber(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}
