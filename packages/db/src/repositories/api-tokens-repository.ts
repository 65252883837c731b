import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../client.js';
import { NotFoundError, translatePrismaError } from '../errors.js';
import type { TokenScope } from '../generated/prisma/client.js';

export type { TokenScope };
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'operate'];

export type ApiTokenView = {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const TOKEN_PREFIX = 'tw_';
// last_used_at is a hint for people, not an audit trail: write it at most this often per token.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Bearer tokens: only their SHA-256 is stored (they are random 256-bit values, so no slow hash is needed). */
export class ApiTokensRepository {
  constructor(private readonly db: Db) {}

  /** Creates a token; the plain `token` exists only in this return value. */
  async create(input: {
    name: string;
    scopes: TokenScope[];
    expiresAt?: Date | null;
  }): Promise<{ token: string; view: ApiTokenView }> {
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) throw new RangeError('a token needs at least one scope');
    for (const scope of scopes) {
      if (!TOKEN_SCOPES.includes(scope))
        throw new RangeError(`unknown scope ${scope}: use ${TOKEN_SCOPES.join(', ')}`);
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    try {
      const view = await this.db.prisma.apiToken.create({
        data: { name: input.name, tokenHash: hashToken(token), scopes, expiresAt: input.expiresAt ?? null },
        omit: { tokenHash: true },
      });
      return { token, view };
    } catch (error) {
      throw translatePrismaError(error, `token ${input.name}`);
    }
  }

  /** The token's record when it is known, not revoked and not expired; null otherwise. */
  async verify(token: string, now = new Date()): Promise<ApiTokenView | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = await this.db.prisma.apiToken.findUnique({
      where: { tokenHash: hashToken(token) },
      omit: { tokenHash: true },
    });
    if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) return null;
    if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.db.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
      row.lastUsedAt = now;
    }
    return row;
  }

  async list(): Promise<ApiTokenView[]> {
    return this.db.prisma.apiToken.findMany({ omit: { tokenHash: true }, orderBy: { name: 'asc' } });
  }

  /** Revokes the token (again: a no-op) and returns its id, for the API processes' token caches. */
  async revoke(name: string, now = new Date()): Promise<string> {
    const token = await this.db.prisma.apiToken.findUnique({ where: { name }, select: { id: true } });
    if (!token) throw new NotFoundError(`token ${name} not found`);
    await this.db.prisma.apiToken.updateMany({
      where: { id: token.id, revokedAt: null },
      data: { revokedAt: now },
    });
    return token.id;
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
