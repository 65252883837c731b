import { describe, expect, it } from 'vitest';
import { flow, ident, ikev2Sa, isakmpSa, mapEntry, sa, session } from '../test/parsed-values.js';
import { normalizePoll } from './normalize-poll.js';

const polledAt = new Date('2026-11-30T01:00:00.000Z');
const at = (secondsLater: number) => new Date(polledAt.getTime() + secondsLater * 1000);

describe('normalizePoll', () => {
  it('makes one up tunnel from an IKEv1 peer with SAs both ways', () => {
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [
          { name: 'GigabitEthernet0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [flow()] },
        ],
      },
      isakmpSa: { sas: [isakmpSa({ lifetimeSeconds: 80000 })] },
      cryptoMap: { maps: [mapEntry()] },
      warnings: { 'show crypto ipsec sa': 2 },
    });
    expect(snapshot.polledAt).toBe(polledAt);
    expect(snapshot.warnings).toEqual({ 'show crypto ipsec sa': 2 });
    expect(snapshot.tunnels).toHaveLength(1);
    const tunnel = snapshot.tunnels[0]!;
    expect(tunnel).toMatchObject({
      peer: '198.51.100.2',
      fvrf: '',
      interface: 'GigabitEthernet0/0',
      localAddress: '192.0.2.1',
      cryptoMap: 'VPN',
      cryptoMapSequence: 10,
      ikeVersion: 'ikev1',
      state: 'up',
      configured: true,
      transform: 'esp-256-aes esp-sha-hmac',
      mode: 'tunnel',
      pfs: null,
    });
    expect(tunnel.ike).toEqual({
      version: 'ikev1',
      localAddress: '192.0.2.1',
      remoteAddress: '198.51.100.2',
      state: 'QM_IDLE',
      established: true,
      remainingSeconds: 80000,
      expiresAt: at(80000),
    });
    const [only] = tunnel.flows;
    expect(only?.key).toBe('10.1.0.0/24>10.2.0.0/24');
    expect(only?.counters).toEqual({
      encaps: 100,
      encrypt: 100,
      digest: 100,
      decaps: 90,
      decrypt: 90,
      verify: 90,
      sendErrors: 0,
      recvErrors: 1,
    });
    expect(only?.inbound.saCount).toBe(1);
    expect(only?.outbound.newest).toMatchObject({ spi: 0x2002, remainingSeconds: 3000, expiresAt: at(3000) });
    expect(snapshot.cryptoMaps).toEqual([
      {
        name: 'VPN',
        sequence: 10,
        peers: ['198.51.100.2'],
        lifetimeSeconds: 3600,
        lifetimeKilobytes: 4_608_000,
        dynamic: false,
      },
    ]);
  });

  it('counts two SAs per direction during a rekey and takes the one with the most lifetime left as newest', () => {
    const rekeying = flow({
      sas: [
        sa({ direction: 'inbound', spi: 1, remainingSeconds: 25 }),
        sa({ direction: 'inbound', spi: 3, remainingSeconds: 3590 }),
        sa({ direction: 'outbound', spi: 4, remainingSeconds: 3590 }),
        sa({ direction: 'outbound', spi: 2, remainingSeconds: 25 }),
      ],
    });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [{ name: 'Gi0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [rekeying] }],
      },
    });
    const [tunnelFlow] = snapshot.tunnels[0]!.flows;
    expect(tunnelFlow?.inbound).toMatchObject({ saCount: 2, newest: { spi: 3, expiresAt: at(3590) } });
    expect(tunnelFlow?.outbound).toMatchObject({ saCount: 2, newest: { spi: 4 } });
    expect(tunnelFlow?.sas.map((s) => s.spi)).toEqual([1, 3, 4, 2]);
    expect(snapshot.tunnels[0]!.state).toBe('up');
  });

  it('calls a tunnel negotiating when its IKE SA exists but is not established', () => {
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [
          { name: 'Gi0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [flow({ sas: [] })] },
        ],
      },
      isakmpSa: { sas: [isakmpSa({ state: 'MM_NO_STATE', status: 'ACTIVE' })] },
      cryptoMap: { maps: [mapEntry()] },
    });
    expect(snapshot.tunnels[0]).toMatchObject({
      state: 'negotiating',
      configured: true,
      ike: { established: false },
    });
  });

  it('takes the IOS phase-1 state from the summary: the detail table prints only a status', () => {
    // `show crypto isakmp sa detail` rows: addresses, status and lifetime, no state column.
    const detailRow = (connId: number, dst: string) =>
      isakmpSa({
        connId,
        dst,
        remoteAddress: dst,
        src: '192.0.2.1',
        localAddress: '192.0.2.1',
        state: null,
        lifetimeSeconds: 600,
      });
    const ipsecSa = {
      interfaces: [{ name: 'Gi0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [flow()] }],
    };
    const detail = { sas: [detailRow(1001, '198.51.100.2'), detailRow(1002, '198.51.100.3')] };
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa,
      isakmpSa: detail,
      isakmpSaSummary: {
        sas: [
          isakmpSa({ connId: 1002, dst: '198.51.100.3', state: 'MM_NO_STATE', status: 'ACTIVE' }),
          isakmpSa({ connId: 1001, dst: '198.51.100.2', state: 'QM_IDLE', status: 'ACTIVE' }),
        ],
      },
    });
    expect(snapshot.tunnels.map((t) => [t.peer, t.state, t.ike?.state, t.ike?.established])).toEqual([
      ['198.51.100.2', 'up', 'QM_IDLE', true],
      ['198.51.100.3', 'negotiating', 'MM_NO_STATE', false],
    ]);
    expect(snapshot.tunnels[0]?.ike?.remainingSeconds).toBe(600);
    // Without the summary the state is not known; `ACTIVE` is a status, not a state.
    const detailOnly = normalizePoll({ polledAt, ipsecSa, isakmpSa: detail });
    expect(detailOnly.tunnels.map((t) => t.ike?.state)).toEqual(['UNKNOWN', 'UNKNOWN']);
  });

  it('counts each SA expiry from when its own output was read', () => {
    const ikeReadAt = new Date(polledAt.getTime() - 4_000);
    const snapshot = normalizePoll({
      polledAt,
      readAt: { isakmpSa: ikeReadAt },
      ipsecSa: {
        interfaces: [{ name: 'Gi0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [flow()] }],
      },
      isakmpSa: { sas: [isakmpSa({ lifetimeSeconds: 600 })] },
    });
    const tunnel = snapshot.tunnels[0]!;
    expect(tunnel.ike?.expiresAt).toEqual(new Date(ikeReadAt.getTime() + 600_000));
    const outbound = tunnel.flows[0]!.outbound.newest!;
    expect(outbound.expiresAt).toEqual(at(outbound.remainingSeconds!));
  });

  it('calls a tunnel negotiating when IPsec SAs exist on one side only', () => {
    const oneSided = flow({ sas: [sa({ direction: 'outbound', spi: 9 })] });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [{ name: 'Gi0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [oneSided] }],
      },
      isakmpSa: { sas: [isakmpSa()] },
    });
    expect(snapshot.tunnels[0]?.state).toBe('negotiating');
  });

  it('reports a configured static crypto-map peer with no SA as down, and ignores unseen dynamic peers', () => {
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: { interfaces: [] },
      isakmpSa: { sas: [] },
      cryptoMap: {
        maps: [
          mapEntry({ sequence: 20, peers: ['203.0.113.7'], interfaces: ['GigabitEthernet0/1'] }),
          mapEntry({ name: 'DYN', sequence: 10, dynamic: true, peers: ['203.0.113.99'], interfaces: [] }),
        ],
      },
    });
    expect(snapshot.tunnels).toEqual([
      {
        peer: '203.0.113.7',
        fvrf: '',
        interface: 'GigabitEthernet0/1',
        localAddress: null,
        cryptoMap: 'VPN',
        cryptoMapSequence: 20,
        ikeVersion: null,
        ike: null,
        state: 'down',
        configured: true,
        transform: null,
        mode: null,
        pfs: null,
        flows: [],
      },
    ]);
    expect(snapshot.cryptoMaps.map((entry) => entry.dynamic)).toEqual([false, true]);
  });

  it('keeps a seen dynamic-map peer, not configured', () => {
    const dynamicFlow = flow({ cryptoMapTag: 'DYN', peer: { address: '203.0.113.99', port: 4500 } });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [{ name: 'Gi0/0', cryptoMapTag: 'DYN', localAddress: '192.0.2.1', flows: [dynamicFlow] }],
      },
      cryptoMap: { maps: [mapEntry({ name: 'DYN', sequence: 10, dynamic: true, peers: [] })] },
    });
    expect(snapshot.tunnels).toHaveLength(1);
    expect(snapshot.tunnels[0]).toMatchObject({
      peer: '203.0.113.99',
      state: 'up',
      configured: false,
      cryptoMap: 'DYN',
    });
  });

  it('splits a DMVPN hub interface into one tunnel per peer, with fVRFs from the session and IKEv2 outputs', () => {
    const spoke = (peer: string, subnet: string, spi: number) =>
      flow({
        cryptoMapTag: 'Tunnel0-head-0',
        cryptoMapSequence: null,
        localAddress: '192.0.2.1',
        localIdent: ident('192.0.2.1/32', 47, 0),
        remoteIdent: ident(`${peer}/32`, 47, 0),
        peer: { address: peer, port: 500 },
        remoteEndpoint: { address: peer, port: null },
        sas: [sa({ direction: 'inbound', spi }), sa({ direction: 'outbound', spi: spi + 1 })],
        counters: { ...flow().counters, encaps: Number(subnet) },
      });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [
          {
            name: 'Tunnel0',
            cryptoMapTag: 'Tunnel0-head-0',
            localAddress: '192.0.2.1',
            flows: [
              spoke('198.51.100.11', '11', 100),
              spoke('198.51.100.12', '12', 200),
              spoke('198.51.100.13', '13', 300),
            ],
          },
        ],
      },
      ikev2Sa: {
        sas: [
          ikev2Sa({ remoteAddress: '198.51.100.11', fvrf: 'INET' }),
          ikev2Sa({ remoteAddress: '198.51.100.12', fvrf: 'INET' }),
          ikev2Sa({ remoteAddress: '198.51.100.13', fvrf: 'INET', status: 'IN-NEG' }),
        ],
      },
      cryptoSession: {
        sessions: ['11', '12', '13', '14'].map((host) =>
          session({
            peer: { address: `198.51.100.${host}`, port: 500 },
            fvrf: 'INET',
            status: host === '14' ? 'DOWN' : 'UP-ACTIVE',
          }),
        ),
      },
      cryptoMap: {
        maps: [
          mapEntry({
            name: 'Tunnel0-head-0',
            sequence: 65537,
            profileInstance: true,
            peers: [],
            interfaces: ['Tunnel0'],
          }),
        ],
      },
    });
    expect(snapshot.tunnels.map((t) => [t.peer, t.fvrf, t.interface, t.state, t.configured])).toEqual([
      ['198.51.100.11', 'INET', 'Tunnel0', 'up', false],
      ['198.51.100.12', 'INET', 'Tunnel0', 'up', false],
      ['198.51.100.13', 'INET', 'Tunnel0', 'negotiating', false],
      ['198.51.100.14', 'INET', 'Tunnel0', 'down', false],
    ]);
    const first = snapshot.tunnels[0]!;
    expect(first.flows.map((f) => f.key)).toEqual(['192.0.2.1/32/47/0>198.51.100.11/32/47/0']);
    expect(first.flows[0]?.counters.encaps).toBe(11);
    expect(first).toMatchObject({
      ikeVersion: 'ikev2',
      cryptoMap: 'Tunnel0-head-0',
      cryptoMapSequence: 65537,
    });
    expect(first.ike).toMatchObject({ remainingSeconds: 86000, expiresAt: at(86000) });
  });

  it('treats IPv6 peers and idents in any spelling as one tunnel with RFC 5952 CIDR text', () => {
    const v6 = flow({
      localAddress: '2001:DB8:0:1::1',
      localIdent: ident('2001:DB8:10::/64'),
      remoteIdent: ident('2001:DB8:20:0:0:0:0:0/64'),
      peer: { address: '2001:DB8:0:2::2', port: 500 },
      localEndpoint: { address: '2001:DB8:0:1::1', port: null },
      remoteEndpoint: { address: '2001:DB8:0:2::2', port: null },
    });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [
          {
            name: 'Tunnel2002',
            cryptoMapTag: 'Tunnel2002-head-0',
            localAddress: '2001:DB8:0:1::1',
            flows: [v6],
          },
        ],
      },
      ikev2Sa: { sas: [ikev2Sa({ localAddress: '2001:db8:0:1::1', remoteAddress: '2001:db8:0:2:0:0:0:2' })] },
    });
    expect(snapshot.tunnels).toHaveLength(1);
    expect(snapshot.tunnels[0]).toMatchObject({
      peer: '2001:db8:0:2::2',
      localAddress: '2001:db8:0:1::1',
      state: 'up',
      ikeVersion: 'ikev2',
    });
    expect(snapshot.tunnels[0]!.flows[0]?.key).toBe('2001:db8:10::/64>2001:db8:20::/64');
  });

  it('decides which side of an IOS ISAKMP summary row is local, also when this router responded', () => {
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [{ name: 'Gi0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [flow()] }],
      },
      isakmpSa: {
        sas: [
          // Responder: the peer initiated, so it is the source.
          isakmpSa({ dst: '192.0.2.1', src: '198.51.100.2' }),
          // A peer with no IPsec flow: known only from the crypto map.
          isakmpSa({ dst: '192.0.2.1', src: '203.0.113.7', state: 'MM_KEY_EXCH' }),
        ],
      },
      cryptoMap: { maps: [mapEntry({ peers: ['198.51.100.2', '203.0.113.7'] })] },
    });
    expect(snapshot.tunnels.map((t) => [t.peer, t.state, t.ike?.localAddress])).toEqual([
      ['198.51.100.2', 'up', '192.0.2.1'],
      ['203.0.113.7', 'negotiating', '192.0.2.1'],
    ]);
  });

  it('normalizes ASA output: per-flow map tags and sequences, lower-case SA states, IKEv1 peers named', () => {
    const asaFlow = flow({
      cryptoMapTag: 'COLO-MAP',
      cryptoMapSequence: 2,
      localAddress: '172.16.248.119',
      peer: { address: '8.8.8.8', port: null },
      sas: [
        sa({ direction: 'inbound', spi: 0x11, status: 'active', remainingSeconds: 25461 }),
        sa({ direction: 'outbound', spi: 0x22, status: 'active', remainingSeconds: 25461 }),
      ],
    });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [
          { name: 'outside', cryptoMapTag: 'COLO-MAP', localAddress: '172.16.248.119', flows: [asaFlow] },
        ],
      },
      isakmpSa: {
        sas: [
          isakmpSa({
            dst: null,
            src: null,
            remoteAddress: '8.8.8.8',
            state: 'MM_ACTIVE',
            status: null,
            lifetimeSeconds: 600,
          }),
        ],
      },
    });
    expect(snapshot.tunnels[0]).toMatchObject({
      peer: '8.8.8.8',
      interface: 'outside',
      cryptoMap: 'COLO-MAP',
      cryptoMapSequence: 2,
      localAddress: '172.16.248.119',
      state: 'up',
      ike: { state: 'MM_ACTIVE', established: true, remainingSeconds: 600 },
    });
  });

  it('does not count SAs that are not active (HA standby)', () => {
    const standby = flow({
      sas: [
        sa({ direction: 'inbound', spi: 1, status: 'STANDBY' }),
        sa({ direction: 'outbound', spi: 2, status: 'STANDBY' }),
      ],
    });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [{ name: 'Gi0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [standby] }],
      },
    });
    expect(snapshot.tunnels[0]).toMatchObject({
      state: 'down',
      flows: [{ inbound: { saCount: 0, newest: null } }],
    });
  });

  it('returns fewer facts, never an exception, for partial input', () => {
    expect(normalizePoll({ polledAt })).toEqual({ polledAt, tunnels: [], cryptoMaps: [], warnings: {} });
    const noPeer = flow({ peer: null, remoteEndpoint: null });
    const idleDynamic = flow({ peer: { address: '0.0.0.0', port: 0 }, remoteEndpoint: null, sas: [] });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [{ name: 'Gi0/0', cryptoMapTag: null, localAddress: null, flows: [noPeer, idleDynamic] }],
      },
      isakmpSa: { sas: [isakmpSa({ dst: null, src: null })] },
      cryptoMap: { maps: [mapEntry({ sequence: null, peers: [] })] },
    });
    expect(snapshot).toEqual({ polledAt, tunnels: [], cryptoMaps: [], warnings: {} });
  });

  it('falls back to show crypto session statuses when the IPsec output is missing', () => {
    const snapshot = normalizePoll({
      polledAt,
      cryptoSession: {
        sessions: [
          session({ peer: { address: '198.51.100.2', port: 500 }, status: 'UP-ACTIVE' }),
          session({ peer: { address: '198.51.100.3', port: 500 }, status: 'DOWN-NEGOTIATING' }),
          session({ peer: { address: '198.51.100.4', port: 500 }, status: 'DOWN' }),
        ],
      },
    });
    expect(snapshot.tunnels.map((t) => [t.peer, t.state])).toEqual([
      ['198.51.100.2', 'up'],
      ['198.51.100.3', 'negotiating'],
      ['198.51.100.4', 'down'],
    ]);
  });

  it('merges a flow listed under two interfaces without doubling its SAs', () => {
    const listed = flow();
    const again = flow({
      sas: [...flow().sas, sa({ direction: 'inbound', spi: 0x3003, remainingSeconds: 3500 })],
    });
    const snapshot = normalizePoll({
      polledAt,
      ipsecSa: {
        interfaces: [
          { name: 'Tunnel0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [listed] },
          { name: 'GigabitEthernet0/0', cryptoMapTag: 'VPN', localAddress: '192.0.2.1', flows: [again] },
        ],
      },
    });
    const tunnel = snapshot.tunnels[0]!;
    expect(tunnel.interface).toBe('Tunnel0');
    expect(tunnel.flows).toHaveLength(1);
    expect(tunnel.flows[0]?.sas.map((s) => s.spi)).toEqual([0x1001, 0x2002, 0x3003]);
    expect(tunnel.flows[0]?.inbound).toMatchObject({ saCount: 2, newest: { spi: 0x3003 } });
  });
});
