import type {
  FlowDirectionView,
  FlowView,
  RouterState,
  TunnelsRepository,
  TunnelView,
} from '@tunnelwatch/db';
import type { CryptoMapEntrySnapshot, PollFailureReason } from '@tunnelwatch/model';
import type { DirectionMetrics, FlowMetrics, RouterMetricsState, TunnelMetrics } from './router-state.js';

/**
 * Turns the db's router state (what `savePollResult` wrote) into what /metrics renders. Read at start for every
 * router and after each "router polled" message for one: never per scrape.
 */
function direction(d: FlowDirectionView, polledAt: Date): DirectionMetrics {
  return {
    saCount: d.saCount,
    // The newest SA's remaining lifetime as of the poll: its expiry is poll time + remaining seconds.
    remainingSeconds:
      d.expiresAt === null ? null : Math.max(0, (d.expiresAt.getTime() - polledAt.getTime()) / 1000),
    remainingKilobytes: d.remainingKilobytes,
    expiresAt: d.expiresAt,
  };
}

function toFlow(f: FlowView): FlowMetrics {
  return {
    key: f.key,
    localIdent: f.localIdent,
    remoteIdent: f.remoteIdent,
    counters: f.counters,
    inbound: direction(f.inbound, f.updatedAt),
    outbound: direction(f.outbound, f.updatedAt),
  };
}

function toTunnel(t: TunnelView & { flows: FlowView[] }): TunnelMetrics {
  return {
    peer: t.peer,
    fvrf: t.fvrf,
    interface: t.interface,
    cryptoMap: t.cryptoMap,
    ikeVersion: t.ikeVersion,
    ikeEstablished: t.ikeState === null ? null : t.ikeEstablished === true,
    ikeExpiresAt: t.ikeExpiresAt,
    state: t.state,
    transform: t.transform,
    mode: t.mode,
    pfs: t.pfs,
    lastChangeAt: t.lastChangeAt,
    flows: t.flows.map(toFlow),
  };
}

function numbers(json: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(json ?? {})) if (typeof value === 'number') out[key] = value;
  return out;
}

/** The crypto maps column is JSON; keep only well-formed entries so a bad row cannot break the exposition. */
function cryptoMaps(entries: unknown): CryptoMapEntrySnapshot[] {
  if (!Array.isArray(entries)) return [];
  return entries.filter(
    (e): e is CryptoMapEntrySnapshot =>
      typeof e === 'object' &&
      e !== null &&
      typeof e.name === 'string' &&
      Number.isInteger(e.sequence) &&
      (e.lifetimeSeconds === null || typeof e.lifetimeSeconds === 'number'),
  );
}

export function toRouterMetrics(state: RouterState): RouterMetricsState {
  return {
    id: state.routerId,
    name: state.routerName,
    lastPoll:
      state.lastPollAt === null
        ? null
        : {
            ok: state.lastPollOk === true,
            finishedAt: state.lastPollAt,
            durationSeconds: state.lastPollDurationMs === null ? null : state.lastPollDurationMs / 1000,
          },
    lastSuccessAt: state.lastSuccessAt,
    failures: numbers(state.pollFailures) as Partial<Record<PollFailureReason, number>>,
    warnings: numbers(state.lastWarnings),
    tunnels: state.tunnels.map(toTunnel),
    cryptoMaps: cryptoMaps(state.cryptoMaps),
  };
}

export async function loadAllRouterStates(tunnels: TunnelsRepository): Promise<RouterMetricsState[]> {
  return (await tunnels.routerStates()).map(toRouterMetrics);
}

/** One router's state, or null when the router no longer exists. */
export async function loadRouterState(
  tunnels: TunnelsRepository,
  routerId: string,
): Promise<RouterMetricsState | null> {
  const state = await tunnels.routerState(routerId);
  return state === null ? null : toRouterMetrics(state);
}
