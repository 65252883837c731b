import type { TunnelTruth } from '../types.js';
import { formatHms, listedTunnels } from './format.js';

/** `show crypto isakmp sa [detail]` (IOS / IOS-XE): IKEv1 SAs, IPv4 and IPv6 sections. */
export function renderIsakmpSaIos(tunnels: TunnelTruth[], detail: boolean, headerWrapped = false): string[] {
  const withIke = listedTunnels(tunnels).filter((tunnel) => tunnel.ikeVersion === 1 && tunnel.ike);
  const v4 = withIke.filter((tunnel) => !tunnel.peer.includes(':'));
  const v6 = withIke.filter((tunnel) => tunnel.peer.includes(':'));
  const lines: string[] = [];
  if (detail) {
    lines.push(
      'Codes: C - IKE configuration mode, D - Dead Peer Detection',
      '       K - Keepalives, N - NAT-traversal',
      '       T - cTCP encapsulation, X - IKE Extended Authentication',
      '       psk - Preshared key, rsig - RSA signature',
      '       renc - RSA encryption',
    );
  }
  const columns = 'C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime';
  // On a narrow terminal IOS wraps the header: `Cap.` stands on a line of its own.
  const detailHeader = headerWrapped ? ['', columns, 'Cap.', ''] : ['', `${columns} Cap.`, ''];
  lines.push('IPv4 Crypto ISAKMP SA');
  if (detail) {
    lines.push(...detailHeader);
    for (const tunnel of v4) {
      const ike = tunnel.ike!;
      lines.push(
        `${String(ike.connId).padEnd(6)}${tunnel.localAddress.padEnd(16)}${tunnel.peer.padEnd(16)}${detailTail(tunnel)}`,
        `       Engine-id:Conn-id =  SW:${ike.connId - 1000}`,
        '',
      );
    }
  } else {
    lines.push('dst             src             state          conn-id status');
    for (const tunnel of v4) {
      const ike = tunnel.ike!;
      lines.push(
        `${tunnel.peer.padEnd(16)}${tunnel.localAddress.padEnd(16)}${ike.state.padEnd(15)}${String(ike.connId).padStart(7)} ACTIVE`,
      );
    }
  }
  lines.push('', 'IPv6 Crypto ISAKMP SA', '');
  if (detail && v6.length > 0) lines.push(...detailHeader.slice(1));
  for (const tunnel of v6) {
    const ike = tunnel.ike!;
    if (detail) {
      // IPv6 addresses overflow the columns: IOS wraps the row after each address.
      lines.push(
        `${String(ike.connId).padEnd(6)}${tunnel.localAddress}`,
        `      ${tunnel.peer}`,
        `${''.padEnd(38)}${detailTail(tunnel)}`,
        `       Engine-id:Conn-id =  SW:${ike.connId - 1000}`,
        '',
      );
    } else {
      lines.push(
        ` dst: ${tunnel.peer}`,
        ` src: ${tunnel.localAddress}`,
        ` state: ${ike.state.padEnd(16)}conn-id: ${String(ike.connId).padStart(6)} status: ACTIVE`,
        '',
      );
    }
  }
  return lines;
}

/** The detail row from the I-VRF column on: `ACTIVE aes  sha    psk  14 23:59:12`. */
function detailTail(tunnel: TunnelTruth): string {
  return `${(tunnel.ivrf || '').padEnd(7)}ACTIVE aes  sha    psk  14 ${formatHms(tunnel.ike!.remainingSeconds)}          `;
}
