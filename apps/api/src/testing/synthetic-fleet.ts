import type { FlowSnapshot, PollSnapshot, SaSnapshot, TunnelSnapshot, TunnelState } from '@tunnelwatch/model';

/**
 * Plain-data poll snapshots of any size, for tests and benchmarks of the API (which reads what the worker
 * saved and never parses router output itself). Deterministic: tunnel `i` is the same on every call.
 */
export type SyntheticPollOptions = {
  /** Tunnels on this router. */
  tunnels: number;
  /** Varies addresses between routers. */
  routerIndex?: number;
  flowsPerTunnel?: number;
  polledAt?: Date;
  /** Every `downEvery`-th tunnel is down (0: none). */
  downEvery?: number;
};

function sa(direction: 'inbound' | 'outbound', spi: number, remaining: number, polledAt: Date): SaSnapshot {
  return {
    direction,
    protocol: 'esp',
    spi,
    transforms: ['esp-256-aes', 'esp-sha256-hmac'],
    mode: 'tunnel',
    remainingSeconds: remaining,
    remainingKilobytes: 4_608_000 - remaining,
    expiresAt: new Date(polledAt.getTime() + remaining * 1000),
    status: 'ACTIVE',
  };
}

function flow(t: number, f: number, up: boolean, polledAt: Date): FlowSnapshot {
  const localIdent = `10.${f}.0.0/24`;
  const remoteIdent = `172.${16 + (t % 16)}.${(t >> 4) & 255}.0/24`;
  const remaining = 600 + ((t * 37 + f) % 3000);
  const inbound = up ? sa('inbound', 0x1000 + t, remaining, polledAt) : null;
  const outbound = up ? sa('outbound', 0x2000 + t, remaining, polledAt) : null;
  const n = up ? 1000 + t * 7 + f : 0;
  return {
    key: `${localIdent}>${remoteIdent}`,
    localIdent,
    remoteIdent,
    counters: {
      encaps: n,
      encrypt: n,
      digest: n,
      decaps: n + 1,
      decrypt: n + 1,
      verify: n + 1,
      sendErrors: 0,
      recvErrors: up ? t % 3 : 0,
    },
    inbound: { saCount: inbound ? 1 : 0, newest: inbound },
    outbound: { saCount: outbound ? 1 : 0, newest: outbound },
    sas: [inbound, outbound].filter((s): s is SaSnapshot => s !== null),
    pfs: true,
    dhGroup: 'group14',
  };
}

export function syntheticPollSnapshot(options: SyntheticPollOptions): PollSnapshot {
  const polledAt = options.polledAt ?? new Date();
  const routerIndex = options.routerIndex ?? 0;
  const flows = options.flowsPerTunnel ?? 1;
  const tunnels: TunnelSnapshot[] = [];
  for (let t = 0; t < options.tunnels; t++) {
    const up = !(options.downEvery && t % options.downEvery === options.downEvery - 1);
    const state: TunnelState = up ? 'up' : 'down';
    const peer = `10.${100 + (routerIndex % 100)}.${(t >> 8) & 255}.${t & 255}`;
    tunnels.push({
      peer,
      fvrf: t % 10 === 9 ? 'CUST-A' : '',
      interface: 'GigabitEthernet0/0',
      localAddress: `192.0.2.${1 + (routerIndex % 250)}`,
      cryptoMap: 'VPN',
      cryptoMapSequence: 10 + t,
      ikeVersion: 'ikev1',
      ike: up
        ? {
            version: 'ikev1',
            localAddress: `192.0.2.${1 + (routerIndex % 250)}`,
            remoteAddress: peer,
            state: 'QM_IDLE',
            established: true,
            remainingSeconds: 80_000,
            expiresAt: new Date(polledAt.getTime() + 80_000_000),
          }
        : null,
      state,
      configured: true,
      transform: 'esp-256-aes esp-sha256-hmac',
      mode: 'tunnel',
      pfs: 'group14',
      flows: Array.from({ length: flows }, (_, f) => flow(t, f, up, polledAt)),
    });
  }
  return {
    polledAt,
    tunnels,
    cryptoMaps: [
      {
        name: 'VPN',
        sequence: 10,
        peers: tunnels.slice(0, 1).map((t) => t.peer),
        lifetimeSeconds: 3600,
        lifetimeKilobytes: 4_608_000,
        dynamic: false,
      },
    ],
    warnings: { 'show crypto ipsec sa': 0 },
  };
}
