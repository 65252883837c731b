import type { FlowSnapshot, PollSnapshot, SaSnapshot, TunnelSnapshot, TunnelState } from '@tunnelwatch/model';

export type SampleTunnelOptions = {
  peer: string;
  polledAt: Date;
  fvrf?: string;
  state?: TunnelState;
  configured?: boolean;
  /** Newest outbound SPI; inbound is `spi + 1`. Change it between polls to simulate a rekey. */
  spi?: number;
  flows?: number;
  /** Packets so far (all counters derive from it). */
  packets?: number;
  remainingSeconds?: number;
};

/**
 * A plausible normalized tunnel (for tests and benchmarks of the persistence layer): `flows` protected network
 * pairs, each with one inbound and one outbound ESP SA when up, none when down.
 */
export function sampleTunnel(options: SampleTunnelOptions): TunnelSnapshot {
  const state = options.state ?? 'up';
  const spi = options.spi ?? 0x1000;
  const packets = options.packets ?? 1000;
  const remainingSeconds = options.remainingSeconds ?? 3000;
  const expiresAt = new Date(options.polledAt.getTime() + remainingSeconds * 1000);
  const sa = (direction: 'inbound' | 'outbound', value: number): SaSnapshot => ({
    direction,
    protocol: 'esp',
    spi: value,
    transforms: ['esp-aes', 'esp-sha256-hmac'],
    mode: 'tunnel',
    remainingSeconds,
    remainingKilobytes: 4_500_000,
    expiresAt,
    status: 'ACTIVE',
  });
  const flows: FlowSnapshot[] = [];
  for (let i = 0; i < (options.flows ?? 1); i++) {
    const up = state === 'up';
    const inbound = up ? sa('inbound', spi + 1 + i * 2) : null;
    const outbound = up ? sa('outbound', spi + i * 2) : null;
    flows.push({
      key: `10.0.${i}.0/24>10.${i + 1}.0.0/24`,
      localIdent: `10.0.${i}.0/24`,
      remoteIdent: `10.${i + 1}.0.0/24`,
      counters: {
        encaps: packets,
        encrypt: packets,
        digest: packets,
        decaps: packets * 2,
        decrypt: packets * 2,
        verify: packets * 2,
        sendErrors: 0,
        recvErrors: 0,
      },
      inbound: { saCount: inbound ? 1 : 0, newest: inbound },
      outbound: { saCount: outbound ? 1 : 0, newest: outbound },
      sas: [inbound, outbound].filter((s): s is SaSnapshot => s !== null),
      pfs: true,
      dhGroup: 'group14',
    });
  }
  return {
    peer: options.peer,
    fvrf: options.fvrf ?? '',
    interface: 'GigabitEthernet0/0',
    localAddress: '192.0.2.1',
    cryptoMap: 'VPN',
    cryptoMapSequence: 10,
    ikeVersion: 'ikev2',
    ike:
      state === 'down'
        ? null
        : {
            version: 'ikev2',
            localAddress: '192.0.2.1',
            remoteAddress: options.peer,
            state: state === 'up' ? 'READY' : 'IN-NEG',
            established: state === 'up',
            remainingSeconds: 80000,
            expiresAt: new Date(options.polledAt.getTime() + 80_000_000),
          },
    state,
    configured: options.configured ?? false,
    transform: state === 'up' ? 'esp-aes esp-sha256-hmac' : null,
    mode: state === 'up' ? 'tunnel' : null,
    pfs: state === 'up' ? 'group14' : null,
    flows: state === 'down' ? [] : flows,
  };
}

export function sampleSnapshot(polledAt: Date, tunnels: TunnelSnapshot[]): PollSnapshot {
  const configured = tunnels.filter((t) => t.configured).map((t) => t.peer);
  return {
    polledAt,
    tunnels,
    cryptoMaps: configured.length
      ? [
          {
            name: 'VPN',
            sequence: 10,
            peers: configured,
            lifetimeSeconds: 3600,
            lifetimeKilobytes: 4608000,
            dynamic: false,
          },
        ]
      : [],
    warnings: { 'show crypto ipsec sa': 0 },
  };
}
