import type { PollFailureReason } from '@tunnelwatch/model';
import type { Db } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { decodeCursor, type Page, type PageRequest, pageSize, toPage } from '../paging.js';
import { type PollToSave, type SavePollOutcome, savePollResult } from '../save-poll-result.js';

export type PollView = {
  id: string;
  routerId: string;
  routerName: string;
  startedAt: Date;
  finishedAt: Date;
  status: 'ok' | 'failed';
  failureReason: PollFailureReason | null;
  failureDetail: string | null;
  durationMs: number;
  bytesRead: number;
  /** Parser warnings per command. */
  warnings: Record<string, number>;
  tunnelCount: number | null;
};

export type PollFilter = {
  routerId?: string;
  routerName?: string;
  status?: 'ok' | 'failed';
  failureReason?: PollFailureReason;
  /** Started at or after. */
  since?: Date;
  /** Started before. */
  until?: Date;
};

const include = { router: { select: { name: true } } } as const;
type PollRow = Prisma.PollGetPayload<{ include: typeof include }>;

export class PollsRepository {
  constructor(private readonly db: Db) {}

  /** See savePollResult: one transaction per poll, serialized per router. */
  save(routerId: string, poll: PollToSave): Promise<SavePollOutcome> {
    return savePollResult(this.db, routerId, poll);
  }

  /** Newest first. */
  async list(filter: PollFilter & PageRequest = {}): Promise<Page<PollView>> {
    const size = pageSize(filter.limit);
    const and: Prisma.PollWhereInput[] = [];
    if (filter.routerId !== undefined) and.push({ routerId: filter.routerId });
    if (filter.routerName !== undefined) and.push({ router: { name: filter.routerName } });
    if (filter.status !== undefined) and.push({ status: filter.status });
    if (filter.failureReason !== undefined) and.push({ failureReason: filter.failureReason });
    if (filter.since !== undefined) and.push({ startedAt: { gte: filter.since } });
    if (filter.until !== undefined) and.push({ startedAt: { lt: filter.until } });
    if (filter.cursor) {
      const [at, id] = decodeCursor(filter.cursor, ['string', 'string']) as [string, string];
      const startedAt = new Date(at);
      and.push({ OR: [{ startedAt: { lt: startedAt } }, { startedAt, id: { lt: id } }] });
    }
    const rows = await this.db.prisma.poll.findMany({
      where: { AND: and },
      include,
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: size + 1,
    });
    return toPage(rows, size, toView, (r) => [r.startedAt.toISOString(), r.id]);
  }

  async get(id: string): Promise<PollView | null> {
    const row = await this.db.prisma.poll.findUnique({ where: { id }, include });
    return row ? toView(row) : null;
  }
}

function toView(row: PollRow): PollView {
  return {
    id: row.id,
    routerId: row.routerId,
    routerName: row.router.name,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    status: row.status,
    failureReason: row.failureReason,
    failureDetail: row.failureDetail,
    durationMs: row.durationMs,
    bytesRead: Number(row.bytesRead),
    warnings: row.warnings as Record<string, number>,
    tunnelCount: row.tunnelCount,
  };
}
