import { parseNetwork } from '../addresses.js';
import type { TunnelTruth } from '../types.js';

/** `0x1E8246FC(511854332)` (IOS) or `0x1E8246FC (511854332)` (ASA prints a space). */
export function formatSpi(spi: number, space = false): string {
  return `0x${spi.toString(16).toUpperCase().padStart(8, '0')}${space ? ' ' : ''}(${spi})`;
}

/** An ident as `show crypto ipsec sa` prints it: `(10.1.0.0/255.255.255.0/0/0)` or `(2001:db8::/64/0/0)`. */
export function formatIdent(cidr: string, protocol: number): string {
  const network = parseNetwork(cidr);
  return `(${network.address}/${network.mask ?? network.prefixLength}/${protocol}/0)`;
}

/** `hh:mm:ss`, hours unbounded (IOS prints `23:59:12` lifetimes and uptimes this way). */
export function formatHms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Tunnels that `show crypto` still lists: dynamic peers vanish when down, configured ones stay. */
export function listedTunnels(tunnels: TunnelTruth[]): TunnelTruth[] {
  return tunnels.filter((tunnel) => tunnel.state === 'up' || tunnel.kind !== 'dynamic');
}

/** Groups items by a key, keeping first-seen order. */
export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function vrfName(vrf: string): string {
  return vrf === '' ? '(none)' : vrf;
}
