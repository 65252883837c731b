import type { Db } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newestFirstConditions, type Page, type PageRequest, pageSize, toPage } from '../paging.js';

export type AuditEntryInput = {
  /** Who: a token name, `cli`, `system`. */
  actor: string;
  /** What, e.g. `router.create`, `remediation.clear-crypto-sa`, `secret-key.rotate`. */
  action: string;
  routerId?: string | null;
  target?: string | null;
  /** Never secrets. */
  detail?: Record<string, unknown>;
  at?: Date;
};

export type AuditEntryView = {
  id: string;
  at: Date;
  actor: string;
  action: string;
  routerId: string | null;
  target: string | null;
  detail: Record<string, unknown>;
};

export type AuditFilter = { routerId?: string; actor?: string; action?: string; since?: Date; until?: Date };

export class AuditLogRepository {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntryInput): Promise<AuditEntryView> {
    const row = await this.db.prisma.auditLog.create({
      data: {
        actor: entry.actor,
        action: entry.action,
        routerId: entry.routerId ?? null,
        target: entry.target ?? null,
        detail: (entry.detail ?? {}) as Prisma.InputJsonObject,
        ...(entry.at ? { at: entry.at } : {}),
      },
    });
    return toView(row);
  }

  /** Newest first. */
  async list(filter: AuditFilter & PageRequest = {}): Promise<Page<AuditEntryView>> {
    const size = pageSize(filter.limit);
    const and: Prisma.AuditLogWhereInput[] = [];
    if (filter.routerId !== undefined) and.push({ routerId: filter.routerId });
    if (filter.actor !== undefined) and.push({ actor: filter.actor });
    if (filter.action !== undefined) and.push({ action: filter.action });
    and.push(...newestFirstConditions(filter));
    const rows = await this.db.prisma.auditLog.findMany({
      where: { AND: and },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: size + 1,
    });
    return toPage(rows, size, toView, (r) => [r.at.toISOString(), r.id]);
  }
}

function toView(row: Prisma.AuditLogGetPayload<object>): AuditEntryView {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    routerId: row.routerId,
    target: row.target,
    detail: row.detail as Record<string, unknown>,
  };
}
