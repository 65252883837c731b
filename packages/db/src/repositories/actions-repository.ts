import type { RemediationKind } from '@tunnelwatch/model';
import type { Db } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * Remediation actions (docs/remediation.md): `clear crypto sa peer X` on one tunnel, `clear crypto isakmp` on a
 * router. The repository keeps three rules in the database, so they hold across any number of API processes:
 * one queued-or-sent action per router (a unique column), a rate limit per router, and an audit row written in
 * the same transaction as every accepted request and every outcome.
 */

/** The operator actions (the remediation job contract in @tunnelwatch/model names them). */
export type ActionKind = RemediationKind;
export type ActionStatus = 'queued' | 'sent' | 'succeeded' | 'failed';

export type ActionView = {
  id: string;
  kind: ActionKind;
  status: ActionStatus;
  routerId: string;
  routerName: string;
  tunnelId: string | null;
  peer: string | null;
  fvrf: string | null;
  command: string;
  requestedBy: string;
  reason: string | null;
  requestedAt: Date;
  sentAt: Date | null;
  finishedAt: Date | null;
  output: string | null;
  error: string | null;
  pollId: string | null;
  pollOk: boolean | null;
};

export type ActionRequest = {
  kind: ActionKind;
  routerId: string;
  routerName: string;
  tunnelId?: string | null;
  peer?: string | null;
  fvrf?: string | null;
  command: string;
  /** Token name of the requester. */
  requestedBy: string;
  reason?: string | null;
};

export type ActionLimits = {
  /** Accepted actions per router within `windowMs`. */
  maxPerWindow: number;
  windowMs: number;
  /** A queued or sent action older than this is taken as abandoned (its worker died) and failed. */
  staleAfterMs: number;
};

/** Another action on the same router is queued or being sent. */
export class RouterBusyError extends Error {
  override readonly name = 'RouterBusyError';
  constructor(
    readonly routerName: string,
    readonly activeActionId: string | null,
  ) {
    super(
      `router ${routerName} already has an action in progress${activeActionId ? ` (${activeActionId})` : ''}`,
    );
  }
}

/** The router had its share of actions in the current window. */
export class ActionRateLimitError extends Error {
  override readonly name = 'ActionRateLimitError';
  constructor(
    readonly routerName: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`too many actions on router ${routerName}, retry in ${retryAfterSeconds} s`);
  }
}

/** The audit log's `action` for a remediation kind, e.g. `remediation.clear-crypto-sa`. */
export function auditActionOf(kind: ActionKind): string {
  return `remediation.${kind.replaceAll('_', '-')}`;
}

type Row = Prisma.RemediationActionGetPayload<object>;

export class ActionsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Accepts a request: fails abandoned actions of the router, refuses it when the router is busy or over its rate
   * limit (`RouterBusyError`, `ActionRateLimitError`: nothing written), else inserts it as `queued` together with
   * its `accepted` audit row.
   */
  async create(request: ActionRequest, limits: ActionLimits, now = new Date()): Promise<ActionView> {
    try {
      return await this.db.prisma.$transaction(async (tx) => {
        await tx.remediationAction.updateMany({
          where: {
            activeRouterId: request.routerId,
            requestedAt: { lt: new Date(now.getTime() - limits.staleAfterMs) },
          },
          data: {
            status: 'failed',
            activeRouterId: null,
            finishedAt: now,
            error: `abandoned: not finished within ${Math.round(limits.staleAfterMs / 1000)} s`,
          },
        });
        const active = await tx.remediationAction.findUnique({
          where: { activeRouterId: request.routerId },
          select: { id: true },
        });
        if (active) throw new RouterBusyError(request.routerName, active.id);
        const recent = await tx.remediationAction.findMany({
          where: {
            routerId: request.routerId,
            requestedAt: { gt: new Date(now.getTime() - limits.windowMs) },
          },
          orderBy: { requestedAt: 'asc' },
          select: { requestedAt: true },
        });
        if (recent.length >= limits.maxPerWindow) {
          // The window frees a slot when the oldest counted action leaves it.
          const freeAt = recent[recent.length - limits.maxPerWindow]!.requestedAt.getTime() + limits.windowMs;
          throw new ActionRateLimitError(
            request.routerName,
            Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)),
          );
        }
        const row = await tx.remediationAction.create({
          data: {
            kind: request.kind,
            routerId: request.routerId,
            routerName: request.routerName,
            activeRouterId: request.routerId,
            tunnelId: request.tunnelId ?? null,
            peer: request.peer ?? null,
            fvrf: request.fvrf ?? null,
            command: request.command,
            requestedBy: request.requestedBy,
            reason: request.reason ?? null,
            requestedAt: now,
          },
        });
        await tx.auditLog.create({
          data: {
            at: now,
            actor: request.requestedBy,
            action: auditActionOf(request.kind),
            routerId: request.routerId,
            target: request.peer ?? request.routerName,
            detail: auditDetail(row, 'accepted'),
          },
        });
        return toView(row);
      });
    } catch (error) {
      // Two requests raced past the check: the unique active_router_id let exactly one of them in.
      if ((error as { code?: unknown }).code === 'P2002') throw new RouterBusyError(request.routerName, null);
      throw error;
    }
  }

  async get(id: string): Promise<ActionView | null> {
    const row = await this.db.prisma.remediationAction.findUnique({ where: { id } });
    return row ? toView(row) : null;
  }

  /** Newest first. */
  async listForRouter(routerId: string, limit = 20): Promise<ActionView[]> {
    const rows = await this.db.prisma.remediationAction.findMany({
      where: { routerId },
      orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map(toView);
  }

  /**
   * `queued` → `sent`, right before the command goes out. Null when the action is no longer queued (abandoned
   * and failed meanwhile, or claimed already): then nothing may be sent.
   */
  async claim(id: string, now = new Date()): Promise<ActionView | null> {
    const { count } = await this.db.prisma.remediationAction.updateMany({
      where: { id, status: 'queued' },
      data: { status: 'sent', sentAt: now },
    });
    return count === 1 ? this.get(id) : null;
  }

  /**
   * Records the outcome with its audit row and frees the router for the next action. Only a queued or sent action
   * can finish; returns null for one that finished already.
   */
  async finish(
    id: string,
    outcome: {
      status: 'succeeded' | 'failed';
      output?: string | null;
      error?: string | null;
      /** The poll run right after the command. */
      poll?: { pollId: string | null; ok: boolean };
    },
    now = new Date(),
  ): Promise<ActionView | null> {
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.remediationAction.updateMany({
        where: { id, status: { in: ['queued', 'sent'] } },
        data: {
          status: outcome.status,
          activeRouterId: null,
          finishedAt: now,
          output: outcome.output ?? null,
          error: outcome.error ?? null,
          ...(outcome.poll ? { pollId: outcome.poll.pollId, pollOk: outcome.poll.ok } : {}),
        },
      });
      if (count !== 1) return null;
      const row = await tx.remediationAction.findUniqueOrThrow({ where: { id } });
      await tx.auditLog.create({
        data: {
          at: now,
          actor: row.requestedBy,
          action: auditActionOf(row.kind),
          routerId: row.routerId,
          target: row.peer ?? row.routerName,
          detail: auditDetail(row, outcome.status),
        },
      });
      return toView(row);
    });
  }
}

function auditDetail(row: Row, outcome: 'accepted' | ActionStatus): Prisma.InputJsonObject {
  return {
    outcome,
    actionId: row.id,
    router: row.routerName,
    peer: row.peer,
    fvrf: row.fvrf,
    command: row.command,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

function toView(row: Row): ActionView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    routerId: row.routerId,
    routerName: row.routerName,
    tunnelId: row.tunnelId,
    peer: row.peer,
    fvrf: row.fvrf,
    command: row.command,
    requestedBy: row.requestedBy,
    reason: row.reason,
    requestedAt: row.requestedAt,
    sentAt: row.sentAt,
    finishedAt: row.finishedAt,
    output: row.output,
    error: row.error,
    pollId: row.pollId,
    pollOk: row.pollOk,
  };
}
