import type { Db } from '@tunnelwatch/db';
import type {
  CryptoMapEntrySnapshot,
  DirectionSnapshot,
  FlowSnapshot,
  IkeVersion,
  PollFailureReason,
  SaSnapshot,
} from '@tunnelwatch/model';
import type { RouterMetricsState, TunnelMetricsState } from './router-state.js';

/**
 * Reads what /metrics shows from the tables `savePollResult` writes: the latest poll outcome kept on each
 * router row, and the tunnels with their flows and SAs. Used at start (all routers) and after each
 * "router polled" message (one router): never per scrape.
 */
function findRouters(db: Db, where: { id?: string }) {
  return db.prisma.router.findMany({
    where,
    include: {
      tunnels: {
        orderBy: [{ peer: 'asc' }, { fvrf: 'asc' }],
        include: { flows: { orderBy: { key: 'asc' }, include: { sas: true } } },
      },
    },
  });
}

type RouterRow = Awaited<ReturnType<typeof findRouters>>[number];
type TunnelRow = RouterRow['tunnels'][number];
type FlowRow = TunnelRow['flows'][number];
type SaRow = FlowRow['sas'][number];

function toSa(row: SaRow): SaSnapshot {
  return {
    direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
    protocol: row.protocol === 'ah' ? 'ah' : row.protocol === 'pcp' ? 'pcp' : 'esp',
    spi: Number(row.spi),
    transforms: row.transforms,
    mode: row.mode === 'tunnel' || row.mode === 'transport' ? row.mode : null,
    remainingSeconds: row.remainingSeconds,
    remainingKilobytes: row.remainingKilobytes === null ? null : Number(row.remainingKilobytes),
    expiresAt: row.expiresAt,
    status: row.status,
  };
}

/** The newest SA of a direction: the saved SPI when it is listed, else the one that expires last. */
function direction(sas: SaSnapshot[], count: number, spi: bigint | null): DirectionSnapshot {
  const bySpi = spi === null ? undefined : sas.find((s) => BigInt(s.spi) === spi);
  const latest = sas.reduce<SaSnapshot | null>(
    (best, s) =>
      best === null || (s.expiresAt?.getTime() ?? 0) > (best.expiresAt?.getTime() ?? 0) ? s : best,
    null,
  );
  return { saCount: count, newest: bySpi ?? latest };
}

function toFlow(row: FlowRow): FlowSnapshot {
  const sas = row.sas.map(toSa);
  return {
    key: row.key,
    localIdent: row.localIdent,
    remoteIdent: row.remoteIdent,
    counters: {
      encaps: Number(row.encaps),
      encrypt: Number(row.encrypt),
      digest: Number(row.digest),
      decaps: Number(row.decaps),
      decrypt: Number(row.decrypt),
      verify: Number(row.verify),
      sendErrors: Number(row.sendErrors),
      recvErrors: Number(row.recvErrors),
    },
    inbound: direction(
      sas.filter((s) => s.direction === 'inbound'),
      row.inboundSaCount,
      row.inboundSpi,
    ),
    outbound: direction(
      sas.filter((s) => s.direction === 'outbound'),
      row.outboundSaCount,
      row.outboundSpi,
    ),
    sas,
    pfs: row.pfs,
    dhGroup: row.dhGroup,
  };
}

function toTunnel(row: TunnelRow): TunnelMetricsState {
  const version: IkeVersion | null = row.ikeVersion;
  return {
    peer: row.peer,
    fvrf: row.fvrf,
    interface: row.interface,
    localAddress: row.localAddress,
    cryptoMap: row.cryptoMap,
    cryptoMapSequence: row.cryptoMapSequence,
    ikeVersion: version,
    ike:
      row.ikeState === null
        ? null
        : {
            version: version ?? 'ikev1',
            localAddress: row.localAddress,
            remoteAddress: row.peer,
            state: row.ikeState,
            established: row.ikeEstablished ?? false,
            remainingSeconds: null,
            expiresAt: row.ikeExpiresAt,
          },
    state: row.state,
    configured: row.configured,
    transform: row.transform,
    mode: row.mode === 'tunnel' || row.mode === 'transport' ? row.mode : null,
    pfs: row.pfs,
    flows: row.flows.map(toFlow),
    lastChangeAt: row.lastChangeAt,
  };
}

function numberRecord(json: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return out;
  for (const [key, value] of Object.entries(json)) if (typeof value === 'number') out[key] = value;
  return out;
}

/** The crypto maps column is JSON written by the worker; keep only well-formed entries. */
function cryptoMaps(json: unknown): CryptoMapEntrySnapshot[] {
  if (!Array.isArray(json)) return [];
  return json.filter(
    (e): e is CryptoMapEntrySnapshot =>
      typeof e === 'object' &&
      e !== null &&
      typeof e.name === 'string' &&
      Number.isInteger(e.sequence) &&
      (e.lifetimeSeconds === null || typeof e.lifetimeSeconds === 'number'),
  );
}

function toRouterState(row: RouterRow): RouterMetricsState {
  return {
    id: row.id,
    name: row.name,
    lastPoll:
      row.lastPollAt === null
        ? null
        : {
            ok: row.lastPollOk === true,
            finishedAt: row.lastPollAt,
            durationSeconds: row.lastPollDurationMs === null ? null : row.lastPollDurationMs / 1000,
          },
    lastSuccessAt: row.lastSuccessAt,
    failures: numberRecord(row.pollFailures) as Partial<Record<PollFailureReason, number>>,
    warnings: numberRecord(row.lastWarnings),
    tunnels: row.tunnels.map(toTunnel),
    cryptoMaps: cryptoMaps(row.cryptoMaps),
  };
}

export async function loadAllRouterStates(db: Db): Promise<RouterMetricsState[]> {
  return (await findRouters(db, {})).map(toRouterState);
}

/** One router's state, or null when the router no longer exists. */
export async function loadRouterState(db: Db, routerId: string): Promise<RouterMetricsState | null> {
  const [row] = await findRouters(db, { id: routerId });
  return row === undefined ? null : toRouterState(row);
}

/** Ids and names of every router, to notice inventory changes cheaply. */
export async function listRouterIds(db: Db): Promise<{ id: string; name: string }[]> {
  return db.prisma.router.findMany({ select: { id: true, name: true } });
}
