import { parseNetwork } from '../addresses.js';
import type { TunnelTruth } from '../types.js';

/** ASA `show crypto ikev1 sa [detail]` (also what `show crypto isakmp sa` prints for IKEv1). */
export function renderIkev1SaAsa(tunnels: TunnelTruth[], detail: boolean): string[] {
  const sas = tunnels.filter((tunnel) => tunnel.ikeVersion === 1 && tunnel.ike);
  if (sas.length === 0) return ['', 'There are no IKEv1 SAs', ''];
  const lines = [
    '',
    'IKEv1 SAs:',
    '',
    `   Active SA: ${sas.length}`,
    '    Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)',
    `Total IKE SA: ${sas.length}`,
    '',
  ];
  sas.forEach((tunnel, index) => {
    const ike = tunnel.ike!;
    lines.push(
      `${String(index + 1).padEnd(4)}IKE Peer: ${tunnel.peer}`,
      '    Type    : L2L             Role    : initiator ',
      `    Rekey   : no              State   : ${ike.state.padEnd(10)}`,
    );
    if (detail) {
      lines.push(
        '    Encrypt : aes-256         Hash    : SHA       ',
        `    Auth    : preshared       Lifetime: ${ike.lifetimeSeconds}`,
        `    Lifetime Remaining: ${ike.remainingSeconds}`,
      );
    }
  });
  lines.push('');
  return lines;
}

/** ASA `show crypto ikev2 sa [detail]`: a session line per peer, then the IKE SA row and child SAs. */
export function renderIkev2SaAsa(tunnels: TunnelTruth[], detail: boolean): string[] {
  const sas = tunnels.filter((tunnel) => tunnel.ikeVersion === 2 && tunnel.ike);
  if (sas.length === 0) return ['', 'There are no IKEv2 SAs', ''];
  const lines = ['', 'IKEv2 SAs:', ''];
  sas.forEach((tunnel, index) => {
    const ike = tunnel.ike!;
    const children = tunnel.flows.filter((flow) => flow.sas.length > 0);
    lines.push(
      `Session-id:${index + 1}, Status:UP-ACTIVE, IKE count:1, CHILD count:${children.length}`,
      '',
      'Tunnel-id Local                                               Remote                                              Status         Role',
      `${String(ike.connId).padStart(9)} ${`${tunnel.localAddress}/500`.padEnd(52)}${`${tunnel.peer}/500`.padEnd(52)}READY    INITIATOR`,
      '      Encr: AES-CBC, keysize: 256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK',
      `      Life/Active Time: ${ike.lifetimeSeconds}/${ike.activeSeconds} sec`,
    );
    if (detail) {
      lines.push(
        '      Status Description: Negotiation done',
        `      Local spi: ${ike.localSpi}       Remote spi: ${ike.remoteSpi}`,
        `      Local id: ${tunnel.localAddress}`,
        `      Remote id: ${tunnel.peer}`,
        '      Local req mess id: 3              Remote req mess id: 0',
        '      Local next mess id: 3             Remote next mess id: 0',
        '      Local req queued: 3               Remote req queued: 0',
        '      Local window: 1                   Remote window: 1',
        '      DPD configured for 10 seconds, retry 2',
        '      NAT-T is not detected  ',
      );
    }
    for (const flow of children) {
      const inbound = flow.sas.filter((sa) => sa.direction === 'inbound').at(-1)!;
      const outbound = flow.sas.filter((sa) => sa.direction === 'outbound').at(-1)!;
      lines.push(
        `Child sa: local selector  ${selector(flow.local)}`,
        `          remote selector ${selector(flow.remote)}`,
        `          ESP spi in/out: 0x${inbound.spi.toString(16)}/0x${outbound.spi.toString(16)}  `,
      );
    }
    lines.push('');
  });
  return lines;
}

/** `10.0.0.0/0 - 10.0.0.255/65535`: the first and last address of the network, with the port range. */
function selector(cidr: string): string {
  const network = parseNetwork(cidr);
  if (network.ipv6) return `${network.address}/0 - ${network.address}/65535`;
  const start = network.address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  const end = start + 2 ** (32 - network.prefixLength) - 1;
  const text = (value: number) =>
    [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
  return `${text(start)}/0 - ${text(end)}/65535`;
}
