import { parseNetwork } from '../addresses.js';
import type { RouterConfig, TunnelConfig } from '../router-config.js';
import { groupBy } from './format.js';

/** ASA `show crypto map`: per map an `interfaces:` header, then one entry per sequence. */
export function renderCryptoMapAsa(config: RouterConfig): string[] {
  const lines: string[] = [];
  for (const [name, entries] of groupBy(config.tunnels, (tunnel) => tunnel.cryptoMap)) {
    const interfaces = [...new Set(entries.map((entry) => entry.interface))];
    lines.push(`Crypto Map: "${name}" interfaces: { ${interfaces.join(', ')} }`);
    for (const entry of entries.filter((candidate) => candidate.kind === 'static'))
      lines.push(...staticEntry(name, entry));
    const dynamic = entries.find((entry) => entry.kind === 'dynamic');
    if (dynamic) lines.push(`\tCrypto Map "${name}" ${dynamic.sequence} ipsec-isakmp dynamic DYN-MAP`, '');
  }
  return lines;
}

function staticEntry(name: string, tunnel: TunnelConfig): string[] {
  const acl = `${name}-ACL-${tunnel.sequence}`;
  const side = (cidr: string) => {
    const network = parseNetwork(cidr);
    if (network.ipv6) return `${network.address}/${network.prefixLength}`;
    return network.prefixLength === 32 ? `host ${network.address}` : `${network.address} ${network.mask}`;
  };
  return [
    `\tCrypto Map "${name}" ${tunnel.sequence} match address ${acl}`,
    ...tunnel.flows.map(
      (flow) =>
        `\t\taccess-list ${acl} extended permit ${flow.protocol === 0 ? 'ip' : flow.protocol} ${side(flow.local)} ${side(flow.remote)} `,
    ),
    `\t\tPeer = ${tunnel.peer}`,
    `\t\tSecurity association lifetime: ${tunnel.lifetimeKilobytes} kilobytes/${tunnel.lifetimeSeconds} seconds`,
    `\t\tPFS (Y/N): ${tunnel.pfs ? 'Y' : 'N'}`,
    ...(tunnel.pfs ? [`\t\tDH group: ${tunnel.pfs}`] : []),
    `\t\tIKEv${tunnel.ikeVersion} transform sets={ ${tunnel.transformSet}:  { ${tunnel.transforms.join(' ')}  } , }`,
    '\t\tReverse Route Injection Enabled: N',
    '\t\tInfinite lifetime Enabled: N',
    '',
  ];
}
