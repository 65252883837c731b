import { parseNetwork } from '../addresses.js';
import type { RouterConfig, TunnelConfig } from '../router-config.js';
import type { TunnelTruth } from '../types.js';
import { groupBy } from './format.js';

/**
 * ASA `show crypto map`: IOS-like entries with ASA's `Extended access-list NAME; N ACE` header over numbered
 * ACEs (`line 1 extended permit … (hitcnt=0) 0x…`), `IKEv2 IPsec proposals={` for IKEv2 peers, and one
 * `Interfaces using crypto map X:` list after the last entry of each map.
 */
export function renderCryptoMapAsa(config: RouterConfig, tunnels: TunnelTruth[]): string[] {
  const lines: string[] = [];
  for (const [name, entries] of groupBy(config.tunnels, (tunnel) => tunnel.cryptoMap)) {
    for (const entry of entries.filter((candidate) => candidate.kind === 'static')) {
      lines.push(...staticEntry(name, entry, tunnels[entry.index]!));
    }
    const dynamic = entries.find((entry) => entry.kind === 'dynamic');
    if (dynamic) {
      lines.push(`Crypto Map "${name}" ${dynamic.sequence} ipsec-isakmp dynamic DYN-MAP`);
    }
    const interfaces = [...new Set(entries.map((entry) => entry.interface))];
    lines.push(`\tInterfaces using crypto map ${name}:`, ...interfaces.map((iface) => `\t\t${iface}`), '');
  }
  return lines;
}

function staticEntry(name: string, tunnel: TunnelConfig, truth: TunnelTruth): string[] {
  const acl = `${name}-ACL-${tunnel.sequence}`; // the name `show crypto ipsec sa` prints too
  const side = (cidr: string) => {
    const network = parseNetwork(cidr);
    if (network.ipv6) return `${network.address}/${network.prefixLength}`;
    return network.prefixLength === 32 ? `host ${network.address}` : `${network.address} ${network.mask}`;
  };
  const aces = tunnel.flows.map((flow, i) => {
    const protocol = flow.protocol === 0 ? 'ip' : flow.protocol;
    return `\t\taccess-list ${acl} line ${i + 1} extended permit ${protocol} ${side(flow.local)} ${side(flow.remote)} (hitcnt=0) ${aceHash(`${acl} ${i}`)} `;
  });
  const transforms = `\t\t${tunnel.transformSet}:  { ${tunnel.transforms.join(' ')}  } , `;
  return [
    `Crypto Map "${name}" ${tunnel.sequence} ipsec-isakmp`,
    `\tPeer = ${tunnel.peer}`,
    `\tExtended access-list ${acl}; ${aces.length} ACE`,
    ...aces,
    ...(truth.state === 'up' ? [`\tCurrent peer: ${tunnel.peer}`] : []),
    `\tSecurity association lifetime: ${tunnel.lifetimeKilobytes} kilobytes/${tunnel.lifetimeSeconds} seconds`,
    '\tResponder-Only (Y/N): N',
    `\tPFS (Y/N): ${tunnel.pfs ? 'Y' : 'N'}`,
    ...(tunnel.pfs ? [`\tDH group: ${tunnel.pfs}`] : []),
    tunnel.ikeVersion === 2 ? '\tIKEv2 IPsec proposals={ ' : '\tTransform sets={ ',
    transforms,
    '\t}',
    '',
  ];
}

/** The ACE's hash as ASA prints it after the hit count: any stable 32-bit hex value of the ACE will do. */
function aceHash(key: string): string {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return `0x${(hash >>> 0).toString(16).padStart(8, '0')}`;
}
