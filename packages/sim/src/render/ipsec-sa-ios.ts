import type { RouterConfig } from '../router-config.js';
import type { FlowTruth, SaTruth, TunnelTruth } from '../types.js';
import { formatIdent, formatSpi, groupBy, listedTunnels, vrfName } from './format.js';

/** `show crypto ipsec sa [detail]` as IOS and IOS-XE print it. */
export function renderIpsecSaIos(config: RouterConfig, tunnels: TunnelTruth[]): string[] {
  const listed = listedTunnels(tunnels);
  if (listed.length === 0) return ['', 'No SAs found', ''];
  const lines: string[] = [];
  for (const [name, group] of groupBy(listed, (tunnel) => tunnel.interface)) {
    const first = group[0]!;
    lines.push(
      '',
      `interface: ${name}`,
      `    Crypto map tag: ${first.cryptoMap}, local addr ${first.localAddress}`,
    );
    for (const tunnel of group) {
      for (const flow of tunnel.flows) lines.push(...renderFlow(config, tunnel, flow));
    }
  }
  lines.push('');
  return lines;
}

function renderFlow(config: RouterConfig, tunnel: TunnelTruth, flow: FlowTruth): string[] {
  const c = flow.counters;
  const ipv6 = tunnel.peer.includes(':');
  const newestOutbound = flow.sas.filter((sa) => sa.direction === 'outbound').at(-1);
  const lines = [
    '',
    `   protected vrf: ${vrfName(tunnel.ivrf)}`,
    `   local  ident (addr/mask/prot/port): ${formatIdent(flow.local, flow.protocol)}`,
    `   remote ident (addr/mask/prot/port): ${formatIdent(flow.remote, flow.protocol)}`,
    `   current_peer ${tunnel.peer} port 500`,
    `     PERMIT, flags={origin_is_acl,}`,
    `    #pkts encaps: ${c.encaps}, #pkts encrypt: ${c.encrypt}, #pkts digest: ${c.digest}`,
    `    #pkts decaps: ${c.decaps}, #pkts decrypt: ${c.decrypt}, #pkts verify: ${c.verify}`,
    '    #pkts compressed: 0, #pkts decompressed: 0',
    '    #pkts not compressed: 0, #pkts compr. failed: 0',
    '    #pkts not decompressed: 0, #pkts decompress failed: 0',
  ];
  if (config.render.counterBlock === 'short') {
    lines.push(`    #send errors ${c.sendErrors}, #recv errors ${c.recvErrors}`);
  } else {
    lines.push(
      `    #pkts no sa (send) ${c.sendErrors}, #pkts invalid sa (rcv) ${c.recvErrors}`,
      '    #pkts encaps failed (send) 0, #pkts decaps failed (rcv) 0',
      '    #pkts invalid prot (recv) 0, #pkts verify failed: 0',
      '    #pkts invalid identity (recv) 0, #pkts invalid len (rcv) 0',
      '    #pkts replay rollover (send): 0, #pkts replay rollover (rcv) 0',
      '    ##pkts replay failed (rcv): 0',
      '    #pkts tagged (send): 0, #pkts untagged (rcv): 0',
      '    #pkts not tagged (send): 0, #pkts not untagged (rcv): 0',
      '    #pkts internal err (send): 0, #pkts internal err (recv) 0',
    );
  }
  const peer = tunnel.peer;
  lines.push('');
  if (ipv6) {
    lines.push(`     local crypto endpt.: ${tunnel.localAddress},`, `     remote crypto endpt.: ${peer}`);
    lines.push(`     plaintext mtu 1422, path mtu 1500, ipv6 mtu 1500, ipv6 mtu idb ${tunnel.interface}`);
  } else {
    lines.push(`     local crypto endpt.: ${tunnel.localAddress}, remote crypto endpt.: ${peer}`);
    lines.push(`     plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb ${tunnel.interface}`);
  }
  lines.push(`     current outbound spi: ${newestOutbound ? formatSpi(newestOutbound.spi) : '0x0(0)'}`);
  lines.push(`     PFS (Y/N): ${tunnel.pfs ? 'Y' : 'N'}, DH group: ${tunnel.pfs ?? 'none'}`);
  for (const direction of ['inbound', 'outbound'] as const) {
    lines.push('', `     ${direction} esp sas:`);
    for (const sa of flow.sas.filter((candidate) => candidate.direction === direction)) {
      lines.push(...renderSa(config, tunnel, sa));
    }
    lines.push('', `     ${direction} ah sas:`, '', `     ${direction} pcp sas:`);
  }
  return lines;
}

function renderSa(config: RouterConfig, tunnel: TunnelTruth, sa: SaTruth): string[] {
  const { render } = config;
  const lines = [
    `      spi: ${formatSpi(sa.spi)}`,
    `        transform: ${sa.transforms.join(' ')} ,`,
    `        in use settings ={${sa.mode === 'tunnel' ? 'Tunnel' : 'Transport'}, }`,
    `        conn id: ${sa.connId}, flow_id: ${sa.flowId}, sibling_flags 80000040, crypto map: ${tunnel.cryptoMap}`,
    `        sa timing: ${lifetimeText(render.lifetimeStyle, sa)}`,
  ];
  if (render.kilobyteRekeyDisabled) lines.push('        Kilobyte Volume Rekey has been disabled');
  lines.push('        IV size: 16 bytes', '        replay detection support: Y');
  if (render.statusLines) lines.push('        Status: ACTIVE(ACTIVE)');
  return lines;
}

function lifetimeText(style: RouterConfig['render']['lifetimeStyle'], sa: SaTruth): string {
  switch (style) {
    case 'k/sec':
      return `remaining key lifetime (k/sec): (${sa.remainingKilobytes}/${sa.remainingSeconds})`;
    case 'sec':
      return `remaining key lifetime (sec): ${sa.remainingSeconds}`;
    case 'hours':
      return `remaining key lifetime ${Math.floor(sa.remainingSeconds / 3600)} hours, ${Math.floor((sa.remainingSeconds % 3600) / 60)} mins`;
  }
}
