/**
 * Counts failed authentications per client address in a fixed window and refuses that client for the rest
 * of the window once it has failed `max` times, so tokens cannot be guessed at line rate. In memory: each
 * API process limits on its own (N processes allow N × max guesses per window, still far from useful).
 */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, { failures: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `client` may try again, or 0 when it may try now. */
  retryAfterSeconds(client: string): number {
    const w = this.windows.get(client);
    if (!w) return 0;
    const now = this.now();
    if (now >= w.resetAt) {
      this.windows.delete(client);
      return 0;
    }
    return w.failures >= this.max ? Math.ceil((w.resetAt - now) / 1000) : 0;
  }

  fail(client: string): void {
    const now = this.now();
    const w = this.windows.get(client);
    if (!w || now >= w.resetAt) {
      this.windows.set(client, { failures: 1, resetAt: now + this.windowMs });
      // Forget expired clients now and then so the map cannot grow without bound.
      if (this.windows.size > 10_000) this.prune(now);
      return;
    }
    w.failures++;
  }

  private prune(now: number): void {
    for (const [client, w] of this.windows) if (now >= w.resetAt) this.windows.delete(client);
  }
}
