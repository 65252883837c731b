import { parseNetwork } from '../addresses.js';
import type { FlowTruth, TunnelTruth } from '../types.js';
import { formatHms, listedTunnels, vrfName } from './format.js';

/** `show crypto session [detail]` (IOS / IOS-XE): one `Peer:` block per tunnel, under its interface. */
export function renderCryptoSessionIos(tunnels: TunnelTruth[], detail: boolean): string[] {
  const lines = ['Crypto session current status', ''];
  if (detail) {
    lines.push(
      'Code: C - IKE Configuration mode, D - Dead Peer Detection     ',
      'K - Keepalives, N - NAT-traversal, T - cTCP encapsulation     ',
      'X - IKE Extended Authentication, F - IKE Fragmentation',
      'R - IKE Auto Reconnect, U - IKE Dynamic Route Update',
      'S - SIP VPN',
      '',
    );
  }
  for (const tunnel of listedTunnels(tunnels)) {
    const up = tunnel.state === 'up';
    lines.push(`Interface: ${tunnel.interface}`);
    if (detail && up) lines.push(`Uptime: ${formatHms(tunnel.uptimeSeconds ?? 0)}`);
    lines.push(`Session status: ${up ? 'UP-ACTIVE' : 'DOWN'}     `);
    lines.push(
      detail
        ? `Peer: ${tunnel.peer} port 500 fvrf: ${vrfName(tunnel.fvrf)} ivrf: ${vrfName(tunnel.ivrf)}`
        : `Peer: ${tunnel.peer} port 500 `,
    );
    if (detail) lines.push(`      Phase1_id: ${up ? tunnel.peer : '(none)'}`, '      Desc: (none)');
    if (tunnel.ike) {
      const ike = tunnel.ike;
      const label = `IKEv${tunnel.ikeVersion} SA`;
      const local = `local ${tunnel.localAddress}/500`;
      const remote = `remote ${tunnel.peer}/500 Active `;
      if (detail) lines.push(`  Session ID: ${ike.connId - 1000}  `);
      // With IPv6 addresses the remote half does not fit and IOS wraps it.
      if (tunnel.peer.includes(':')) lines.push(`  ${label}: ${local}`, `          ${remote}`);
      else lines.push(`  ${label}: ${local} ${remote}`);
      if (detail) {
        lines.push(
          `          Capabilities:(none) connid:${ike.connId} lifetime:${formatHms(ike.remainingSeconds)}`,
        );
      }
    }
    for (const flow of tunnel.flows) {
      lines.push(`  IPSEC FLOW: ${flowText(flow)} `);
      lines.push(`        Active SAs: ${flow.sas.length}, origin: crypto map`);
      if (detail) {
        const newest = (direction: 'inbound' | 'outbound') =>
          flow.sas.filter((sa) => sa.direction === direction).at(-1);
        const inbound = newest('inbound');
        const outbound = newest('outbound');
        const life = (sa: typeof inbound) => (sa ? `${sa.remainingKilobytes}/${sa.remainingSeconds}` : '0/0');
        lines.push(
          `        Inbound:  #pkts dec'ed ${flow.counters.decaps} drop 0 life (KB/Sec) ${life(inbound)}`,
          `        Outbound: #pkts enc'ed ${flow.counters.encaps} drop 0 life (KB/Sec) ${life(outbound)}`,
        );
      }
    }
    lines.push('');
  }
  return lines;
}

function flowText(flow: FlowTruth): string {
  const local = parseNetwork(flow.local);
  const remote = parseNetwork(flow.remote);
  const side = (network: typeof local) =>
    network.ipv6
      ? `${network.address}/${network.prefixLength}`
      : network.prefixLength === 32
        ? `host ${network.address}`
        : `${network.address}/${network.mask}`;
  const protocol = flow.protocol === 0 ? (local.ipv6 ? 'ipv6' : 'ip') : String(flow.protocol);
  return `permit ${protocol} ${side(local)} ${side(remote)}`;
}
