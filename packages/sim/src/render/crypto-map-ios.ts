import { parseNetwork, prefixToWildcard } from '../addresses.js';
import type { RouterConfig, TunnelConfig } from '../router-config.js';
import type { TunnelTruth } from '../types.js';
import { groupBy } from './format.js';

/**
 * `show crypto map` (IOS / IOS-XE): configuration, so every configured entry is listed whatever its state.
 * Dynamic peers are not configured: their map shows one `ipsec-isakmp dynamic` entry.
 */
export function renderCryptoMapIos(config: RouterConfig, tunnels: TunnelTruth[]): string[] {
  const lines: string[] = [];
  const byMap = groupBy(config.tunnels, (tunnel) => tunnel.cryptoMap);
  for (const [name, entries] of byMap) {
    const staticEntries = entries.filter((entry) => entry.kind !== 'dynamic');
    const dynamic = entries.find((entry) => entry.kind === 'dynamic');
    const profile = entries[0]!.kind === 'profile' ? entries[0]! : null;
    if (profile) lines.push(...profileHead(name, profile));
    for (const entry of staticEntries) lines.push(...staticEntry(name, entry, tunnels[entry.index]!));
    if (dynamic) {
      lines.push(
        `Crypto Map IPv4 "${name}" ${dynamic.sequence} ipsec-isakmp dynamic`,
        '\tDynamic map template tag: DYN-MAP',
        '',
      );
    }
    lines.push(`\tInterfaces using crypto map ${name}:`);
    for (const interfaceName of new Set(entries.map((entry) => entry.interface)))
      lines.push(`\t\t${interfaceName}`);
    lines.push('');
  }
  return lines;
}

function profileHead(name: string, tunnel: TunnelConfig): string[] {
  return [
    `Crypto Map IPv4 "${name}" 65536 ipsec-isakmp`,
    '\tProfile name: IPSEC-PROFILE',
    ...lifetimeAndTransforms(tunnel),
    '',
  ];
}

function staticEntry(name: string, tunnel: TunnelConfig, truth: TunnelTruth): string[] {
  const family = tunnel.ipv6 ? 'IPv6' : 'IPv4';
  const acl = tunnel.kind === 'profile' ? '' : `${name}-ACL-${tunnel.sequence}`;
  const lines = [`Crypto Map ${family} "${name}" ${tunnel.sequence} ipsec-isakmp`];
  if (tunnel.kind === 'profile') lines.push('\tMap is a PROFILE INSTANCE.');
  lines.push(`\tPeer = ${tunnel.peer}`);
  if (tunnel.ikeVersion === 2) lines.push('\tIKEv2 Profile: IKEV2-PROFILE');
  lines.push(tunnel.ipv6 ? `\tIPv6 access list ${acl}` : `\tExtended IP access list ${acl}`);
  for (const flow of tunnel.flows) {
    lines.push(
      `\t    ${tunnel.ipv6 ? ipv6AclLine(flow.local, flow.remote) : aclLine(acl, flow.local, flow.remote, flow.protocol)}`,
    );
  }
  if (truth.state === 'up') lines.push(`\tCurrent peer: ${tunnel.peer}`);
  lines.push(...lifetimeAndTransforms(tunnel), '');
  return lines;
}

function lifetimeAndTransforms(tunnel: TunnelConfig): string[] {
  return [
    `\tSecurity association lifetime: ${tunnel.lifetimeKilobytes} kilobytes/${tunnel.lifetimeSeconds} seconds`,
    '\tResponder-Only (Y/N): N',
    `\tPFS (Y/N): ${tunnel.pfs ? 'Y' : 'N'}`,
    ...(tunnel.pfs ? [`\tDH group:  ${tunnel.pfs}`] : []),
    '\tMixed-mode : Disabled',
    '\tTransform sets={ ',
    `\t\t${tunnel.transformSet}:  { ${tunnel.transforms.join(' ')}  } , `,
    '\t}',
  ];
}

function aclLine(acl: string, local: string, remote: string, protocol: number): string {
  const proto = protocol === 47 ? 'gre' : protocol === 0 ? 'ip' : String(protocol);
  return `access-list ${acl} permit ${proto} ${aclAddress(local)} ${aclAddress(remote)}`;
}

/** IPv6 access lists print their entries without the `access-list NAME` prefix. */
function ipv6AclLine(local: string, remote: string): string {
  return `permit ipv6 ${aclAddress(local)} ${aclAddress(remote)}`;
}

function aclAddress(cidr: string): string {
  const network = parseNetwork(cidr);
  if (network.ipv6) return `${network.address}/${network.prefixLength}`;
  if (network.prefixLength === 32) return `host ${network.address}`;
  return `${network.address} ${prefixToWildcard(network.prefixLength)}`;
}
