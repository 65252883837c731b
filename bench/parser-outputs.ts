/**
 * Generates IOS-XE `show crypto …` outputs for N peers, for bench/parser.ts. Every peer gets its own
 * addresses, SPIs and counters so no two blocks are identical (as on a real DMVPN hub).
 */

function peerAddress(i: number): string {
  return `10.${(i >> 8) & 255}.${i & 255}.2`;
}

function hex(n: number): string {
  return n.toString(16).toUpperCase();
}

const LOCAL = '192.0.2.1';

function ipsecFlow(i: number): string {
  const peer = peerAddress(i);
  const spiIn = 0x10000000 + i * 7;
  const spiOut = 0x20000000 + i * 11;
  const n = 1000 + i;
  const sa = (spi: number, conn: number) => `      spi: 0x${hex(spi)}(${spi})
        transform: esp-256-aes esp-sha256-hmac ,
        in use settings ={Tunnel, }
        conn id: ${conn}, flow_id: CSR:${conn - 2000}, sibling_flags FFFFFFFF80000048, crypto map: Tunnel0-head-0
        sa timing: remaining key lifetime (k/sec): (${4608000 - i}/${3600 - (i % 3600)})
        IV size: 16 bytes
        replay detection support: Y  replay window size: 1024
        Status: ACTIVE(ACTIVE)
`;
  return `   protected vrf: (none)
   local  ident (addr/mask/prot/port): (${LOCAL}/255.255.255.255/47/0)
   remote ident (addr/mask/prot/port): (${peer}/255.255.255.255/47/0)
   current_peer ${peer} port 500
     PERMIT, flags={origin_is_acl,}
    #pkts encaps: ${n}, #pkts encrypt: ${n}, #pkts digest: ${n}
    #pkts decaps: ${n + 3}, #pkts decrypt: ${n + 3}, #pkts verify: ${n + 3}
    #pkts compressed: 0, #pkts decompressed: 0
    #pkts not compressed: 0, #pkts compr. failed: 0
    #pkts not decompressed: 0, #pkts decompress failed: 0
    #pkts no sa (send) 0, #pkts invalid sa (rcv) 0
    #pkts encaps failed (send) 0, #pkts decaps failed (rcv) 0
    #pkts invalid prot (recv) 0, #pkts verify failed: 0
    #pkts invalid identity (recv) 0, #pkts invalid len (rcv) 0
    #pkts replay rollover (send): 0, #pkts replay rollover (rcv) 0
    ##pkts replay failed (rcv): 0
    #pkts tagged (send): 0, #pkts untagged (rcv): 0
    #pkts not tagged (send): 0, #pkts not untagged (rcv): 0
    #pkts internal err (send): 0, #pkts internal err (recv) 0

     local crypto endpt.: ${LOCAL}, remote crypto endpt.: ${peer}
     plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb GigabitEthernet1
     current outbound spi: 0x${hex(spiOut)}(${spiOut})
     PFS (Y/N): N, DH group: none

     inbound esp sas:
${sa(spiIn, 2000 + 2 * i)}
     inbound ah sas:

     inbound pcp sas:

     outbound esp sas:
${sa(spiOut, 2001 + 2 * i)}
     outbound ah sas:

     outbound pcp sas:

`;
}

function ipsecSa(peers: number): string {
  const parts = [
    'hub#show crypto ipsec sa\n\ninterface: Tunnel0\n    Crypto map tag: Tunnel0-head-0, local addr 192.0.2.1\n\n',
  ];
  for (let i = 0; i < peers; i++) parts.push(ipsecFlow(i));
  parts.push('hub#');
  return parts.join('');
}

function isakmpSa(peers: number): string {
  const parts = [
    'hub#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\ndst             src             state          conn-id status\n',
  ];
  for (let i = 0; i < peers; i++) {
    parts.push(
      `${peerAddress(i).padEnd(16)}${LOCAL.padEnd(16)}QM_IDLE        ${String(1000 + i).padStart(7)} ACTIVE\n`,
    );
  }
  parts.push('\nIPv6 Crypto ISAKMP SA\n\nhub#');
  return parts.join('');
}

function ikev2Sa(peers: number): string {
  const parts = ['hub#show crypto ikev2 sa detail\n IPv4 Crypto IKEv2  SA\n\n'];
  parts.push('Tunnel-id Local                 Remote                fvrf/ivrf            Status\n');
  for (let i = 0; i < peers; i++) {
    const peer = peerAddress(i);
    parts.push(`${String(i + 1).padEnd(10)}${`${LOCAL}/500`.padEnd(22)}${`${peer}/500`.padEnd(22)}none/none            READY
      Encr: AES-CBC, keysize: 256, PRF: SHA512, Hash: SHA512, DH Grp:19, Auth sign: PSK, Auth verify: PSK
      Life/Active Time: 86400/${i % 86400} sec
      CE id: ${1000 + i}, Session-id: ${i + 1}
      Status Description: Negotiation done
      Local spi: ${hex(0x1000000000 + i).padStart(16, '0')}       Remote spi: ${hex(0x2000000000 + i).padStart(16, '0')}
      Local id: ${LOCAL}
      Remote id: spoke${i}.example.net
      Local req msg id:  2              Remote req msg id:  0
      Local next msg id: 2              Remote next msg id: 0
      Local req queued:  2              Remote req queued:  0
      Local window:      5              Remote window:      5
      DPD configured for 0 seconds, retry 0
      Fragmentation not  configured.
      Dynamic Route Update: disabled
      Extended Authentication not configured.
      NAT-T is not detected
      Cisco Trust Security SGT is disabled
      Initiator of SA : Yes

`);
  }
  parts.push(' IPv6 Crypto IKEv2  SA\n\nhub#');
  return parts.join('');
}

function cryptoMap(peers: number): string {
  const parts = ['hub#show crypto map\nInterfaces using crypto map NiStTeSt1:\n\n'];
  for (let i = 0; i < peers; i++) {
    const peer = peerAddress(i);
    parts.push(`Crypto Map IPv4 "OUTSIDE" ${10 + i} ipsec-isakmp
\tPeer = ${peer}
\tExtended IP access list ACL-${i}
\t    access-list ACL-${i} permit ip 10.100.0.0 0.0.255.255 172.${16 + (i % 16)}.${i & 255}.0 0.0.0.255
\tCurrent peer: ${peer}
\tSecurity association lifetime: 4608000 kilobytes/3600 seconds
\tResponder-Only (Y/N): N
\tPFS (Y/N): N
\tMixed-mode : Disabled
\tTransform sets={ 
\t\tTS-AES:  { esp-256-aes esp-sha256-hmac  } , 
\t}
\tInterfaces using crypto map OUTSIDE:
\t\tGigabitEthernet1

`);
  }
  parts.push('hub#');
  return parts.join('');
}

function cryptoSession(peers: number): string {
  const parts = ['hub#show crypto session detail\nCrypto session current status\n\n'];
  for (let i = 0; i < peers; i++) {
    const peer = peerAddress(i);
    parts.push(`Interface: Tunnel0
Profile: DMVPN-IKEV2
Uptime: 1d02h
Session status: UP-ACTIVE
Peer: ${peer} port 500 fvrf: (none) ivrf: (none)
      Phase1_id: spoke${i}.example.net
      Desc: (none)
  Session ID: ${i + 1}
  IKEv2 SA: local ${LOCAL}/500 remote ${peer}/500 Active
          Capabilities:D connid:${i + 1} lifetime:22:10:05
  IPSEC FLOW: permit 47 host ${LOCAL} host ${peer}
        Active SAs: 2, origin: crypto map
        Inbound:  #pkts dec'ed ${449282 + i} drop 0 life (KB/Sec) 4234810/3060
        Outbound: #pkts enc'ed ${451008 + i} drop 0 life (KB/Sec) 4234799/3060

`);
  }
  parts.push('hub#');
  return parts.join('');
}

/** The commands benchmarked, as typed, with their output for N peers. */
export const GENERATORS: { command: string; generate: (peers: number) => string }[] = [
  { command: 'show crypto ipsec sa', generate: ipsecSa },
  { command: 'show crypto isakmp sa', generate: isakmpSa },
  { command: 'show crypto ikev2 sa detail', generate: ikev2Sa },
  { command: 'show crypto map', generate: cryptoMap },
  { command: 'show crypto session detail', generate: cryptoSession },
];
