import { parseNetwork } from '../addresses.js';
import type { RouterConfig, TunnelConfig } from '../router-config.js';
import type { TunnelTruth } from '../types.js';
import { groupBy } from './format.js';

/**
 * ASA `show crypto map`: an `interfaces:` header per map, then IOS-like entries with `extended` access-list
 * lines and ASA-only trailers (`Reverse Route Injection Enabled`).
 */
export function renderCryptoMapAsa(config: RouterConfig, tunnels: TunnelTruth[]): string[] {
  const lines: string[] = [];
  for (const [name, entries] of groupBy(config.tunnels, (tunnel) => tunnel.cryptoMap)) {
    const interfaces = [...new Set(entries.map((entry) => entry.interface))];
    lines.push(`Crypto Map: "${name}" interfaces: { ${interfaces.join(', ')} }`, '');
    for (const entry of entries.filter((candidate) => candidate.kind === 'static')) {
      lines.push(...staticEntry(name, entry, tunnels[entry.index]!));
    }
    const dynamic = entries.find((entry) => entry.kind === 'dynamic');
    if (dynamic) {
      lines.push(`Crypto Map "${name}" ${dynamic.sequence} ipsec-isakmp dynamic DYN-MAP`, '');
    }
  }
  return lines;
}

function staticEntry(name: string, tunnel: TunnelConfig, truth: TunnelTruth): string[] {
  const acl = `${name}-ACL-${tunnel.sequence}`;
  const side = (cidr: string) => {
    const network = parseNetwork(cidr);
    if (network.ipv6) return `${network.address}/${network.prefixLength}`;
    return network.prefixLength === 32 ? `host ${network.address}` : `${network.address} ${network.mask}`;
  };
  return [
    `Crypto Map "${name}" ${tunnel.sequence} ipsec-isakmp`,
    `\tPeer = ${tunnel.peer}`,
    ...tunnel.flows.map(
      (flow) =>
        `\taccess-list ${acl} extended permit ${flow.protocol === 0 ? 'ip' : flow.protocol} ${side(flow.local)} ${side(flow.remote)} `,
    ),
    ...(truth.state === 'up' ? [`\tCurrent peer: ${tunnel.peer}`] : []),
    `\tSecurity association lifetime: ${tunnel.lifetimeKilobytes} kilobytes/${tunnel.lifetimeSeconds} seconds`,
    `\tPFS (Y/N): ${tunnel.pfs ? 'Y' : 'N'}`,
    ...(tunnel.pfs ? [`\tDH group: ${tunnel.pfs}`] : []),
    '\tTransform sets={ ',
    `\t\t${tunnel.transformSet}:  { ${tunnel.transforms.join(' ')}  } , `,
    '\t}',
    '\tReverse Route Injection Enabled: N',
    '',
  ];
}
