import type { ApiTokenView } from '@tunnelwatch/db';

/**
 * Tokens that Postgres verified, by SHA-256, for `ttlMs` (never past the token's own expiry), so a client
 * polling the API does not cost a database round trip per request. Tokens are revoked by `tw token revoke`,
 * another process that only writes Postgres: a revoked token is refused at most `ttlMs` later. Only verified
 * tokens are kept, so a client guessing tokens cannot fill the cache; the oldest entry goes when it is full.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { view: ApiTokenView; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(tokenHash: string): ApiTokenView | null {
    const entry = this.entries.get(tokenHash);
    if (!entry) return null;
    if (this.now() >= entry.until) {
      this.entries.delete(tokenHash);
      return null;
    }
    return entry.view;
  }

  set(tokenHash: string, view: ApiTokenView): void {
    if (this.ttlMs <= 0) return;
    const until = Math.min(this.now() + this.ttlMs, view.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    this.entries.delete(tokenHash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(tokenHash, { view, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
