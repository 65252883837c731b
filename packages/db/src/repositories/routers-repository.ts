import { isUuid } from '@tunnelwatch/model';
import type { Db } from '../client.js';
import { ConflictError, NotFoundError, translatePrismaError } from '../errors.js';
import type { Platform, Prisma } from '../generated/prisma/client.js';
import { decodeCursor, type Page, type PageRequest, pageSize, toPage } from '../paging.js';

export type { Platform };

export type RouterInput = {
  name: string;
  host: string;
  port?: number;
  platform: Platform;
  site?: string | null;
  tags?: string[];
  /** Seconds between polls; null or absent: the configured default. */
  pollIntervalSeconds?: number | null;
  enabled?: boolean;
  /** Name of an existing credential; null for none. */
  credentialName?: string | null;
};

export type RouterView = {
  id: string;
  name: string;
  host: string;
  port: number;
  platform: Platform;
  site: string | null;
  tags: string[];
  pollIntervalSeconds: number | null;
  enabled: boolean;
  credentialName: string | null;
  hostKey: string | null;
  /** A host key that differs from the pinned one, waiting to be accepted. */
  pendingHostKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastPollAt: Date | null;
  lastPollOk: boolean | null;
  lastSuccessAt: Date | null;
  lastPollDurationMs: number | null;
};

/** What a worker needs to poll a router (no secrets: those come from CredentialSecretsRepository). */
export type PollTarget = {
  id: string;
  name: string;
  host: string;
  port: number;
  platform: Platform;
  credentialId: string | null;
  hostKey: string | null;
  /** A disabled router's leftover job (its scheduler goes at the next sync) must not log in. */
  enabled: boolean;
};

/** What the scheduler needs to keep one job scheduler per enabled router. */
export type ScheduledRouter = { id: string; name: string; pollIntervalSeconds: number | null };

export type HostKeyCheck =
  /** First contact: the key is now pinned. */
  | 'pinned'
  | 'match'
  /** Differs from the pinned key: the poll must fail (`host_key`); the key waits for an accept. */
  | 'mismatch';

export type RouterFilter = { enabled?: boolean; site?: string; tag?: string; platform?: Platform };

const include = { credential: { select: { name: true } } } as const;
type RouterRow = Prisma.RouterGetPayload<{ include: typeof include }>;

export class RoutersRepository {
  constructor(private readonly db: Db) {}

  async create(input: RouterInput): Promise<RouterView> {
    try {
      const row = await this.db.prisma.router.create({
        data: {
          name: input.name,
          host: input.host,
          port: input.port ?? 22,
          platform: input.platform,
          site: input.site ?? null,
          tags: input.tags ?? [],
          pollIntervalSeconds: input.pollIntervalSeconds ?? null,
          enabled: input.enabled ?? true,
          ...(input.credentialName ? { credential: { connect: { name: input.credentialName } } } : {}),
        },
        include,
      });
      return toView(row);
    } catch (error) {
      throw this.translate(error, input);
    }
  }

  /** Changes the given fields; `credentialName: null` detaches the credential. */
  async update(name: string, patch: Partial<RouterInput>): Promise<RouterView> {
    const data: Prisma.RouterUpdateInput = {};
    if (patch.name !== undefined) data.name = patch.name;
    if (patch.host !== undefined) data.host = patch.host;
    if (patch.port !== undefined) data.port = patch.port;
    if (patch.platform !== undefined) data.platform = patch.platform;
    if (patch.site !== undefined) data.site = patch.site;
    if (patch.tags !== undefined) data.tags = patch.tags;
    if (patch.pollIntervalSeconds !== undefined) data.pollIntervalSeconds = patch.pollIntervalSeconds;
    if (patch.enabled !== undefined) data.enabled = patch.enabled;
    if (patch.credentialName !== undefined) {
      data.credential = patch.credentialName
        ? { connect: { name: patch.credentialName } }
        : { disconnect: true };
    }
    const exists = await this.db.prisma.router.findUnique({ where: { name }, select: { id: true } });
    if (!exists) throw new NotFoundError(`router ${name} not found`);
    try {
      return toView(await this.db.prisma.router.update({ where: { name }, data, include }));
    } catch (error) {
      throw this.translate(error, { name: patch.name ?? name, credentialName: patch.credentialName });
    }
  }

  /** Deletes the router with its polls, tunnels, events and raw outputs. */
  async delete(name: string): Promise<void> {
    const { count } = await this.db.prisma.router.deleteMany({ where: { name } });
    if (count === 0) throw new NotFoundError(`router ${name} not found`);
  }

  async getByName(name: string): Promise<RouterView | null> {
    const row = await this.db.prisma.router.findUnique({ where: { name }, include });
    return row ? toView(row) : null;
  }

  async getById(id: string): Promise<RouterView | null> {
    const row = await this.db.prisma.router.findUnique({ where: { id }, include });
    return row ? toView(row) : null;
  }

  /** Routers by name. */
  async list(filter: RouterFilter & PageRequest = {}): Promise<Page<RouterView>> {
    const size = pageSize(filter.limit);
    const where: Prisma.RouterWhereInput = {};
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    if (filter.site !== undefined) where.site = filter.site;
    if (filter.platform !== undefined) where.platform = filter.platform;
    if (filter.tag !== undefined) where.tags = { has: filter.tag };
    if (filter.cursor) {
      const [after] = decodeCursor(filter.cursor, ['string']) as [string];
      where.name = { gt: after };
    }
    const rows = await this.db.prisma.router.findMany({
      where,
      include,
      orderBy: { name: 'asc' },
      take: size + 1,
    });
    return toPage(rows, size, toView, (r) => [r.name]);
  }

  /** Every enabled router, for the poll scheduler. */
  async listForScheduler(): Promise<ScheduledRouter[]> {
    return this.db.prisma.router.findMany({
      where: { enabled: true },
      select: { id: true, name: true, pollIntervalSeconds: true },
      orderBy: { name: 'asc' },
    });
  }

  /** Read by every poll: one plain prepared statement (Prisma's query compiler costs more than the query here). */
  async getPollTarget(id: string): Promise<PollTarget | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.db.pool.query<PollTarget>({
      name: 'tunnelwatch-poll-target',
      text: `SELECT id, name, host, port, platform, credential_id AS "credentialId", host_key AS "hostKey", enabled
             FROM routers WHERE id = $1`,
      values: [id],
    });
    return rows[0] ?? null;
  }

  /**
   * Trust on first use: pins `presentedKey` when the router has none, reports a match, or records a mismatch (the
   * key waits in `pendingHostKey` and a `host_key_changed` event is written once per new key). Writes nothing on a
   * match, which is every poll but the first.
   */
  async checkHostKey(id: string, presentedKey: string): Promise<HostKeyCheck> {
    const pool = this.db.pool;
    const current = await pool.query<{ host_key: string | null }>(
      'SELECT host_key FROM routers WHERE id = $1',
      [id],
    );
    const row = current.rows[0];
    if (!row) throw new NotFoundError(`router ${id} not found`);
    if (row.host_key === presentedKey) return 'match';
    if (row.host_key === null) {
      const pinned = await pool.query('UPDATE routers SET host_key = $2 WHERE id = $1 AND host_key IS NULL', [
        id,
        presentedKey,
      ]);
      // Another worker pinned a key between our read and this write: compare against that one.
      return pinned.rowCount === 1 ? 'pinned' : this.checkHostKey(id, presentedKey);
    }
    await pool.query(
      `WITH changed AS (
         UPDATE routers SET pending_host_key = $2
         WHERE id = $1 AND host_key IS DISTINCT FROM $2 AND pending_host_key IS DISTINCT FROM $2
         RETURNING id, host_key
       )
       INSERT INTO events (at, router_id, kind, detail)
       SELECT now(), id, 'host_key_changed', jsonb_build_object('pinned', host_key, 'presented', $2::text)
       FROM changed`,
      [id, presentedKey],
    );
    return 'mismatch';
  }

  /** Makes the pending host key the pinned one (`POST /routers/{name}/host-key/accept`). */
  async acceptHostKey(name: string): Promise<RouterView> {
    const router = await this.db.prisma.router.findUnique({
      where: { name },
      select: { pendingHostKey: true },
    });
    if (!router) throw new NotFoundError(`router ${name} not found`);
    if (router.pendingHostKey === null)
      throw new ConflictError(`router ${name} has no changed host key to accept`);
    const { count } = await this.db.prisma.router.updateMany({
      where: { name, pendingHostKey: router.pendingHostKey },
      data: { hostKey: router.pendingHostKey, pendingHostKey: null },
    });
    if (count === 0)
      throw new ConflictError(`router ${name}: the pending host key changed meanwhile, look again`);
    return (await this.getByName(name))!;
  }

  /** Forgets the pinned key: the next poll pins whatever the router presents. */
  async forgetHostKey(name: string): Promise<void> {
    const { count } = await this.db.prisma.router.updateMany({
      where: { name },
      data: { hostKey: null, pendingHostKey: null },
    });
    if (count === 0) throw new NotFoundError(`router ${name} not found`);
  }

  private translate(error: unknown, input: { name?: string; credentialName?: string | null | undefined }) {
    const code = (error as { code?: unknown })?.code;
    if (code === 'P2025' && input.credentialName) {
      return new NotFoundError(`credential ${input.credentialName} not found`);
    }
    return translatePrismaError(error, `router ${input.name}`);
  }
}

function toView(row: RouterRow): RouterView {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    platform: row.platform,
    site: row.site,
    tags: row.tags,
    pollIntervalSeconds: row.pollIntervalSeconds,
    enabled: row.enabled,
    credentialName: row.credential?.name ?? null,
    hostKey: row.hostKey,
    pendingHostKey: row.pendingHostKey,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastPollAt: row.lastPollAt,
    lastPollOk: row.lastPollOk,
    lastSuccessAt: row.lastSuccessAt,
    lastPollDurationMs: row.lastPollDurationMs,
  };
}
