import { parseNetwork } from '../addresses.js';
import type { FlowTruth, SaTruth, TunnelTruth } from '../types.js';
import { formatIdent, formatSpi, groupBy } from './format.js';

/**
 * `show crypto ipsec sa [detail]` as ASA prints it: a `Crypto map tag: X, seq num: N, local addr: A` block per
 * map entry, an access-list line, `current_peer:` without a port, more counters, SA State lines and no Status.
 * ASA lists only tunnels that have SAs.
 */
export function renderIpsecSaAsa(tunnels: TunnelTruth[]): string[] {
  const up = tunnels.filter((tunnel) => tunnel.state === 'up');
  if (up.length === 0) return ['', 'There are no ipsec sas', ''];
  const lines: string[] = [];
  for (const [name, group] of groupBy(up, (tunnel) => tunnel.interface)) {
    lines.push(`interface: ${name}`);
    for (const tunnel of group) {
      lines.push(
        `    Crypto map tag: ${tunnel.cryptoMap}, seq num: ${tunnel.sequence}, local addr: ${tunnel.localAddress}`,
        '',
      );
      for (const flow of tunnel.flows) lines.push(...renderFlow(tunnel, flow));
    }
  }
  return lines;
}

function aclText(tunnel: TunnelTruth, flow: FlowTruth): string {
  const side = (cidr: string) => {
    const network = parseNetwork(cidr);
    if (network.ipv6) return `${network.address}/${network.prefixLength}`;
    return network.prefixLength === 32 ? `host ${network.address}` : `${network.address} ${network.mask}`;
  };
  const protocol = flow.protocol === 0 ? 'ip' : String(flow.protocol);
  return `access-list ${tunnel.cryptoMap}-ACL-${tunnel.sequence} extended permit ${protocol} ${side(flow.local)} ${side(flow.remote)} `;
}

function renderFlow(tunnel: TunnelTruth, flow: FlowTruth): string[] {
  const c = flow.counters;
  const outbound = flow.sas.filter((sa) => sa.direction === 'outbound').at(-1);
  const inbound = flow.sas.filter((sa) => sa.direction === 'inbound').at(-1);
  const hex = (sa: SaTruth | undefined) =>
    sa ? sa.spi.toString(16).toUpperCase().padStart(8, '0') : '00000000';
  const lines = [
    `      ${aclText(tunnel, flow)}`,
    `      local ident (addr/mask/prot/port): ${formatIdent(flow.local, flow.protocol)}`,
    `      remote ident (addr/mask/prot/port): ${formatIdent(flow.remote, flow.protocol)}`,
    `      current_peer: ${tunnel.peer}`,
    '',
    '',
    `      #pkts encaps: ${c.encaps}, #pkts encrypt: ${c.encrypt}, #pkts digest: ${c.digest}`,
    `      #pkts decaps: ${c.decaps}, #pkts decrypt: ${c.decrypt}, #pkts verify: ${c.verify}`,
    '      #pkts compressed: 0, #pkts decompressed: 0',
    `      #pkts not compressed: ${c.encaps}, #pkts comp failed: 0, #pkts decomp failed: 0`,
    '      #pre-frag successes: 0, #pre-frag failures: 0, #fragments created: 0',
    '      #PMTUs sent: 0, #PMTUs rcvd: 0, #decapsulated frgs needing reassembly: 0',
    '      #TFC rcvd: 0, #TFC sent: 0',
    '      #Valid ICMP Errors rcvd: 0, #Invalid ICMP Errors rcvd: 0',
    `      #send errors: ${c.sendErrors}, #recv errors: ${c.recvErrors}`,
    '',
    `      local crypto endpt.: ${tunnel.localAddress}/500, remote crypto endpt.: ${tunnel.peer}/500`,
    '      path mtu 1500, ipsec overhead 74(44), media mtu 1500',
    '      PMTU time remaining (sec): 0, DF policy: copy-df',
    '      ICMP error validation: disabled, TFC packets: disabled',
    `      current outbound spi: ${hex(outbound)}`,
    `      current inbound spi : ${hex(inbound)}`,
    '',
  ];
  for (const direction of ['inbound', 'outbound'] as const) {
    lines.push(`    ${direction} esp sas:`);
    for (const sa of flow.sas.filter((candidate) => candidate.direction === direction)) {
      const settings = [
        'L2L',
        sa.mode === 'tunnel' ? 'Tunnel' : 'Transport',
        ...(tunnel.pfs ? [`PFS Group ${tunnel.pfs.replace('group', '')}`] : []),
        `IKEv${tunnel.ikeVersion}`,
        ...(sa.generation > 0 ? ['Rekeyed'] : []),
      ];
      lines.push(
        `      spi: ${formatSpi(sa.spi, true)}`,
        '         SA State: active',
        `         transform: ${sa.transforms.join(' ')} no compression `,
        `         in use settings ={${settings.join(', ')}, }`,
        `         slot: 0, conn_id: ${sa.connId}, crypto-map: ${tunnel.cryptoMap}`,
        `         sa timing: remaining key lifetime (kB/sec): (${sa.remainingKilobytes}/${sa.remainingSeconds})`,
        '         IV size: 16 bytes',
        '         replay detection support: Y',
      );
      if (direction === 'inbound')
        lines.push('         Anti replay bitmap: ', '          0x00000000 0x00000001');
    }
  }
  lines.push('');
  return lines;
}
