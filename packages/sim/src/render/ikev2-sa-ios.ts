import type { TunnelTruth } from '../types.js';
import { listedTunnels } from './format.js';

/** `show crypto ikev2 sa [detail]` (IOS / IOS-XE). */
export function renderIkev2SaIos(tunnels: TunnelTruth[], detail: boolean): string[] {
  const withIke = listedTunnels(tunnels).filter((tunnel) => tunnel.ikeVersion === 2 && tunnel.ike);
  const lines: string[] = [];
  for (const ipv6 of [false, true]) {
    lines.push(` IPv${ipv6 ? 6 : 4} Crypto IKEv2  SA `, '');
    const rows = withIke.filter((tunnel) => tunnel.peer.includes(':') === ipv6);
    if (rows.length > 0) {
      lines.push('Tunnel-id Local                 Remote                fvrf/ivrf            Status ');
    }
    for (const tunnel of rows) {
      const ike = tunnel.ike!;
      const id = String(ike.connId - 1000);
      const local = `${tunnel.localAddress}/500`;
      const remote = `${tunnel.peer}/500`;
      const vrfs = `${tunnel.fvrf || 'none'}/${tunnel.ivrf || 'none'}`;
      if (ipv6) {
        // IPv6 addresses do not fit the columns: IOS wraps the row over three lines.
        lines.push(
          `${id.padEnd(10)}${local}`,
          `${''.padEnd(32)}${remote}`,
          `${''.padEnd(54)}${vrfs.padEnd(21)}READY  `,
        );
      } else {
        lines.push(`${id.padEnd(10)}${local.padEnd(22)}${remote.padEnd(22)}${vrfs.padEnd(21)}READY  `);
      }
      lines.push(
        '      Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK',
        `      Life/Active Time: ${ike.lifetimeSeconds}/${ike.activeSeconds} sec`,
      );
      if (detail) {
        lines.push(
          `      CE id: ${ike.connId}, Session-id: ${id}`,
          '      Status Description: Negotiation done',
          `      Local spi: ${ike.localSpi}       Remote spi: ${ike.remoteSpi}`,
          `      Local id: ${tunnel.localAddress}`,
          `      Remote id: ${tunnel.peer}`,
          '      Local req msg id:  2              Remote req msg id:  0',
          '      Local next msg id: 2              Remote next msg id: 0',
          '      Local req queued:  2              Remote req queued:  0',
          '      Local window:      5              Remote window:      5',
          '      DPD configured for 0 seconds, retry 0',
          '      Fragmentation not  configured.',
          '      Extended Authentication not configured.',
          '      NAT-T is not detected  ',
          '      Cisco Trust Security SGT is disabled',
          '      Initiator of SA : Yes',
        );
      }
      lines.push('');
    }
    lines.push('');
  }
  return lines;
}
