import type { CryptoMapEntrySnapshot, FlowCounters, IkeVersion, TunnelState } from '@tunnelwatch/model';
import type { Db } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { decodeCursor, type Page, type PageRequest, pageSize, toPage } from '../paging.js';
import { type EventView, toEventView } from './events-repository.js';

export type TunnelView = {
  id: string;
  routerId: string;
  routerName: string;
  peer: string;
  /** '' is the global routing table. */
  fvrf: string;
  state: TunnelState;
  configured: boolean;
  interface: string | null;
  localAddress: string | null;
  cryptoMap: string | null;
  cryptoMapSequence: number | null;
  ikeVersion: IkeVersion | null;
  ikeState: string | null;
  ikeEstablished: boolean | null;
  ikeExpiresAt: Date | null;
  transform: string | null;
  mode: string | null;
  pfs: string | null;
  /** Earliest expiry among the newest SAs of its flows, as of the last poll. */
  saExpiresAt: Date | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastChangeAt: Date;
};

export type SaView = {
  direction: 'inbound' | 'outbound';
  protocol: string;
  spi: number;
  transforms: string[];
  mode: string | null;
  remainingSeconds: number | null;
  remainingKilobytes: number | null;
  expiresAt: Date | null;
  status: string | null;
};

export type FlowDirectionView = {
  saCount: number;
  /** Newest SA of the direction. */
  spi: number | null;
  expiresAt: Date | null;
  remainingKilobytes: number | null;
};

export type FlowView = {
  id: string;
  key: string;
  localIdent: string;
  remoteIdent: string;
  counters: FlowCounters;
  inbound: FlowDirectionView;
  outbound: FlowDirectionView;
  pfs: boolean | null;
  dhGroup: string | null;
  /** Poll time of these values. */
  updatedAt: Date;
};

export type TunnelDetail = TunnelView & {
  flows: (FlowView & { sas: SaView[] })[];
  recentEvents: EventView[];
};

/** A router's latest poll outcome and tunnel state: what /metrics renders. */
export type RouterState = {
  routerId: string;
  routerName: string;
  lastPollAt: Date | null;
  lastPollOk: boolean | null;
  lastSuccessAt: Date | null;
  lastPollDurationMs: number | null;
  /** polledAt of the snapshot the tunnels reflect. */
  snapshotAt: Date | null;
  lastWarnings: Record<string, number>;
  cryptoMaps: CryptoMapEntrySnapshot[];
  /** Failed polls per reason since the router was created. */
  pollFailures: Record<string, number>;
  tunnels: (TunnelView & { flows: FlowView[] })[];
};

export type TunnelFilter = {
  routerId?: string;
  routerName?: string;
  state?: TunnelState;
  peer?: string;
  /** Front-door VRF; '' for the global table. */
  vrf?: string;
  configured?: boolean;
  /** Only tunnels whose newest SA of some flow expires within this many seconds of `now` (or has expired). */
  expiringWithinSeconds?: number;
  now?: Date;
};

const RECENT_EVENTS = 50;
const router = { select: { name: true } } as const;
type TunnelRow = Prisma.TunnelGetPayload<{ include: { router: typeof router } }>;
type FlowRow = Prisma.FlowGetPayload<object>;
type SaRow = Prisma.SaGetPayload<object>;

export class TunnelsRepository {
  constructor(private readonly db: Db) {}

  /** Ordered by router, peer, VRF. */
  async list(filter: TunnelFilter & PageRequest = {}): Promise<Page<TunnelView>> {
    const size = pageSize(filter.limit);
    const and: Prisma.TunnelWhereInput[] = [];
    if (filter.routerId !== undefined) and.push({ routerId: filter.routerId });
    if (filter.routerName !== undefined) and.push({ router: { name: filter.routerName } });
    if (filter.state !== undefined) and.push({ state: filter.state });
    if (filter.peer !== undefined) and.push({ peer: filter.peer });
    if (filter.vrf !== undefined) and.push({ fvrf: filter.vrf });
    if (filter.configured !== undefined) and.push({ configured: filter.configured });
    if (filter.expiringWithinSeconds !== undefined) {
      const now = filter.now ?? new Date();
      and.push({ saExpiresAt: { lte: new Date(now.getTime() + filter.expiringWithinSeconds * 1000) } });
    }
    if (filter.cursor) {
      const [routerId, peer, fvrf] = decodeCursor(filter.cursor, ['string', 'string', 'string']) as string[];
      and.push({
        // Redundant with the OR, but an index condition (the OR alone is a filter): a deep page then starts
        // at the cursor's router instead of reading every earlier row of the index.
        routerId: { gte: routerId },
        OR: [
          { routerId: { gt: routerId } },
          { routerId, peer: { gt: peer } },
          { routerId, peer, fvrf: { gt: fvrf } },
        ],
      });
    }
    const rows = await this.db.prisma.tunnel.findMany({
      where: { AND: and },
      include: { router },
      orderBy: [{ routerId: 'asc' }, { peer: 'asc' }, { fvrf: 'asc' }],
      take: size + 1,
    });
    return toPage(rows, size, toTunnelView, (r) => [r.routerId, r.peer, r.fvrf]);
  }

  /** One tunnel with its flows, their SAs, and its most recent events. */
  async get(id: string): Promise<TunnelDetail | null> {
    const row = await this.db.prisma.tunnel.findUnique({
      where: { id },
      include: {
        router,
        flows: {
          orderBy: { key: 'asc' },
          include: { sas: { orderBy: [{ direction: 'asc' }, { spi: 'asc' }] } },
        },
        events: { orderBy: [{ at: 'desc' }, { id: 'desc' }], take: RECENT_EVENTS, include: { router } },
      },
    });
    if (!row) return null;
    return {
      ...toTunnelView(row),
      flows: row.flows.map((f) => ({ ...toFlowView(f), sas: f.sas.map(toSaView) })),
      recentEvents: row.events.map(toEventView),
    };
  }

  async getByKey(routerName: string, peer: string, fvrf = ''): Promise<TunnelDetail | null> {
    const found = await this.db.prisma.tunnel.findFirst({
      where: { router: { name: routerName }, peer, fvrf },
      select: { id: true },
    });
    return found ? this.get(found.id) : null;
  }

  /** One router's state for /metrics (null when the router does not exist). */
  async routerState(routerId: string): Promise<RouterState | null> {
    const [state] = await this.routerStates({ id: routerId });
    return state ?? null;
  }

  /** Every router's state, by router name: the API builds its /metrics snapshot from this at start. */
  routerStates(where: Prisma.RouterWhereInput = {}): Promise<RouterState[]> {
    return this.db.prisma.router
      .findMany({
        where,
        orderBy: { name: 'asc' },
        include: {
          tunnels: {
            orderBy: [{ peer: 'asc' }, { fvrf: 'asc' }],
            include: { flows: { orderBy: { key: 'asc' } } },
          },
        },
      })
      .then((routers) =>
        routers.map((r) => ({
          routerId: r.id,
          routerName: r.name,
          lastPollAt: r.lastPollAt,
          lastPollOk: r.lastPollOk,
          lastSuccessAt: r.lastSuccessAt,
          lastPollDurationMs: r.lastPollDurationMs,
          snapshotAt: r.snapshotAt,
          lastWarnings: r.lastWarnings as Record<string, number>,
          cryptoMaps: r.cryptoMaps as CryptoMapEntrySnapshot[],
          pollFailures: r.pollFailures as Record<string, number>,
          tunnels: r.tunnels.map((t) => ({
            ...toTunnelView({ ...t, router: { name: r.name } }),
            flows: t.flows.map(toFlowView),
          })),
        })),
      );
  }
}

function toTunnelView(row: TunnelRow): TunnelView {
  return {
    id: row.id,
    routerId: row.routerId,
    routerName: row.router.name,
    peer: row.peer,
    fvrf: row.fvrf,
    state: row.state,
    configured: row.configured,
    interface: row.interface,
    localAddress: row.localAddress,
    cryptoMap: row.cryptoMap,
    cryptoMapSequence: row.cryptoMapSequence,
    ikeVersion: row.ikeVersion,
    ikeState: row.ikeState,
    ikeEstablished: row.ikeEstablished,
    ikeExpiresAt: row.ikeExpiresAt,
    transform: row.transform,
    mode: row.mode,
    pfs: row.pfs,
    saExpiresAt: row.saExpiresAt,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    lastChangeAt: row.lastChangeAt,
  };
}

const num = (v: bigint | null): number | null => (v === null ? null : Number(v));

function toFlowView(row: FlowRow): FlowView {
  return {
    id: row.id,
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
    inbound: {
      saCount: row.inboundSaCount,
      spi: num(row.inboundSpi),
      expiresAt: row.inboundExpiresAt,
      remainingKilobytes: num(row.inboundRemainingKb),
    },
    outbound: {
      saCount: row.outboundSaCount,
      spi: num(row.outboundSpi),
      expiresAt: row.outboundExpiresAt,
      remainingKilobytes: num(row.outboundRemainingKb),
    },
    pfs: row.pfs,
    dhGroup: row.dhGroup,
    updatedAt: row.updatedAt,
  };
}

function toSaView(row: SaRow): SaView {
  return {
    direction: row.direction as SaView['direction'],
    protocol: row.protocol,
    spi: Number(row.spi),
    transforms: row.transforms,
    mode: row.mode,
    remainingSeconds: row.remainingSeconds,
    remainingKilobytes: num(row.remainingKilobytes),
    expiresAt: row.expiresAt,
    status: row.status,
  };
}
