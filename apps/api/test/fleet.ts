import { sampleSnapshot, sampleTunnel } from '@tunnelwatch/db/testing';
import type { FlowSnapshot, PollSnapshot } from '@tunnelwatch/model';
import type { DirectionMetrics, RouterMetricsState } from '../src/metrics/router-state.js';

/**
 * One router's poll with `tunnels` tunnels (the db package's sample tunnels): every `downEvery`-th is down,
 * every tenth in the VRF `CUST-A`.
 */
export function samplePoll(options: {
  tunnels: number;
  polledAt: Date;
  downEvery?: number;
  flows?: number;
}): PollSnapshot {
  const { downEvery = 0 } = options;
  return sampleSnapshot(
    options.polledAt,
    Array.from({ length: options.tunnels }, (_, t) =>
      sampleTunnel({
        peer: `10.${(t >> 16) & 255}.${(t >> 8) & 255}.${t & 255}`,
        polledAt: options.polledAt,
        fvrf: t % 10 === 9 ? 'CUST-A' : '',
        state: downEvery > 0 && t % downEvery === downEvery - 1 ? 'down' : 'up',
        configured: true,
        spi: 0x1000 + t * 8,
        flows: options.flows ?? 1,
        packets: 1000 + t,
        remainingSeconds: 600 + ((t * 37) % 3000),
      }),
    ),
  );
}

/** What /metrics holds for a router after `poll` was saved: for tests of the renderer without a database. */
export function routerMetricsOf(id: string, name: string, poll: PollSnapshot): RouterMetricsState {
  const direction = (d: FlowSnapshot['inbound']): DirectionMetrics => ({
    saCount: d.saCount,
    remainingSeconds: d.newest?.remainingSeconds ?? null,
    remainingKilobytes: d.newest?.remainingKilobytes ?? null,
    expiresAt: d.newest?.expiresAt ?? null,
  });
  return {
    id,
    name,
    lastPoll: { ok: true, finishedAt: poll.polledAt, durationSeconds: 1.5 },
    lastSuccessAt: poll.polledAt,
    failures: {},
    warnings: poll.warnings,
    tunnels: poll.tunnels.map((t) => ({
      peer: t.peer,
      fvrf: t.fvrf,
      interface: t.interface,
      cryptoMap: t.cryptoMap,
      ikeVersion: t.ikeVersion,
      ikeEstablished: t.ike?.established ?? null,
      ikeExpiresAt: t.ike?.expiresAt ?? null,
      state: t.state,
      transform: t.transform,
      mode: t.mode,
      pfs: t.pfs,
      lastChangeAt: new Date(poll.polledAt.getTime() - 60_000),
      flows: t.flows.map((f) => ({
        key: f.key,
        localIdent: f.localIdent,
        remoteIdent: f.remoteIdent,
        counters: f.counters,
        inbound: direction(f.inbound),
        outbound: direction(f.outbound),
      })),
    })),
    cryptoMaps: poll.cryptoMaps,
  };
}
