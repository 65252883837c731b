import type { TunnelEventKind } from '@tunnelwatch/model';
import type { Db } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newestFirstConditions, type Page, type PageRequest, pageSize, toPage } from '../paging.js';

export type EventView = {
  id: string;
  at: Date;
  routerId: string;
  routerName: string;
  tunnelId: string | null;
  kind: TunnelEventKind;
  peer: string | null;
  fvrf: string | null;
  detail: Record<string, unknown>;
};

export type EventFilter = {
  routerId?: string;
  routerName?: string;
  tunnelId?: string;
  kind?: TunnelEventKind;
  peer?: string;
  since?: Date;
  until?: Date;
};

export type EventInput = {
  routerId: string;
  kind: TunnelEventKind;
  tunnelId?: string | null;
  peer?: string | null;
  fvrf?: string | null;
  detail?: Record<string, unknown>;
  at?: Date;
};

const include = { router: { select: { name: true } } } as const;
type EventRow = Prisma.EventGetPayload<{ include: typeof include }>;

export class EventsRepository {
  constructor(private readonly db: Db) {}

  /** For events that do not come from a poll (remediation, …); savePollResult writes the tunnel events itself. */
  async record(input: EventInput): Promise<EventView> {
    const row = await this.db.prisma.event.create({
      data: {
        at: input.at ?? new Date(),
        routerId: input.routerId,
        tunnelId: input.tunnelId ?? null,
        kind: input.kind,
        peer: input.peer ?? null,
        fvrf: input.fvrf ?? null,
        detail: (input.detail ?? {}) as Prisma.InputJsonObject,
      },
      include,
    });
    return toEventView(row);
  }

  /** Newest first. */
  async list(filter: EventFilter & PageRequest = {}): Promise<Page<EventView>> {
    const size = pageSize(filter.limit);
    const and: Prisma.EventWhereInput[] = [];
    if (filter.routerId !== undefined) and.push({ routerId: filter.routerId });
    if (filter.routerName !== undefined) and.push({ router: { name: filter.routerName } });
    if (filter.tunnelId !== undefined) and.push({ tunnelId: filter.tunnelId });
    if (filter.kind !== undefined) and.push({ kind: filter.kind });
    if (filter.peer !== undefined) and.push({ peer: filter.peer });
    and.push(...newestFirstConditions(filter));
    const rows = await this.db.prisma.event.findMany({
      where: { AND: and },
      include,
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: size + 1,
    });
    return toPage(rows, size, toEventView, (r) => [r.at.toISOString(), r.id]);
  }
}

export function toEventView(row: EventRow): EventView {
  return {
    id: row.id,
    at: row.at,
    routerId: row.routerId,
    routerName: row.router.name,
    tunnelId: row.tunnelId,
    kind: row.kind,
    peer: row.peer,
    fvrf: row.fvrf,
    detail: row.detail as Record<string, unknown>,
  };
}
