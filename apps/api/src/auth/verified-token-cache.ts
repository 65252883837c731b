import type { ApiTokenView } from '@tunnelwatch/db';

/**
 * Tokens that Postgres verified, by SHA-256, for `ttlMs` (never past the token's own expiry), so a client
 * polling the API does not cost a database round trip per request. `tunnelwatch token revoke` (another process)
 * announces a revocation on Redis and the API calls `drop`; if that message is lost (Redis away), a revoked
 * token is still refused at most `ttlMs` later. Only verified tokens are kept, so a client guessing tokens
 * cannot fill the cache; the oldest entry goes when it is full.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { view: ApiTokenView; until: number }>();
  private drops = 0;

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

  /**
   * A mark to take before asking Postgres and pass to `set`: a verification that was in flight while a token was
   * dropped may have read the row before the revocation, so its result is not cached.
   */
  mark(): number {
    return this.drops;
  }

  set(tokenHash: string, view: ApiTokenView, mark = this.drops): void {
    if (this.ttlMs <= 0 || mark !== this.drops) return;
    const until = Math.min(this.now() + this.ttlMs, view.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    this.entries.delete(tokenHash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(tokenHash, { view, until });
  }

  /** Forgets the token with this id (revoked); returns whether it was cached. */
  drop(tokenId: string): boolean {
    this.drops++;
    for (const [hash, entry] of this.entries) {
      if (entry.view.id === tokenId) {
        this.entries.delete(hash);
        return true;
      }
    }
    return false;
  }

  /** Forgets every token (revocations may have been missed while Redis was away). */
  clear(): void {
    this.drops++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
