import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/**
 * A cap on simultaneous SSH logins across every worker process sharing one Redis: a sorted set of
 * lease tokens scored by their expiry (Redis server time). A worker killed mid-session cannot leak a slot:
 * its lease expires after `leaseMs` and the next acquire sweeps it. Keeps AAA servers and router VTY lines
 * from being flooded when thousands of polls are due at once.
 */

// KEYS[1] the set; ARGV: cap, lease ms, token. Redis time keeps every worker on one clock.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
`;

// KEYS[1] the set; counts only live leases.
const COUNT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
`;

export type LoginSemaphoreOptions = {
  /** Redis key of the lease set; every worker of one deployment must use the same one. */
  key: string;
  /** Simultaneous logins allowed across all workers. */
  max: number;
  /** How long a lease lives without release: longer than the longest session (the session timeout). */
  leaseMs: number;
  /** Base wait between two tries while the cap is reached (jittered so workers do not retry in lockstep). */
  retryMs?: number;
};

export class LoginSlotTimeoutError extends Error {
  override readonly name = 'LoginSlotTimeoutError';
}

export class LoginSemaphore {
  private readonly retryMs: number;
  private readonly shas = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly options: LoginSemaphoreOptions,
  ) {
    this.retryMs = options.retryMs ?? 25;
  }

  /**
   * Waits for a slot, at most `waitMs`, and returns its release function (safe to call twice).
   * Throws `LoginSlotTimeoutError` when no slot came free in time, or `signal`'s reason when aborted.
   */
  async acquire(waitMs: number, signal?: AbortSignal): Promise<() => Promise<void>> {
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    for (;;) {
      signal?.throwIfAborted();
      const got = await this.script('acquire', ACQUIRE, this.options.max, this.options.leaseMs, token);
      if (got === 1) {
        let released = false;
        return async () => {
          if (released) return;
          released = true;
          await this.redis.zrem(this.options.key, token);
        };
      }
      if (Date.now() >= deadline) {
        throw new LoginSlotTimeoutError(
          `no SSH login slot free within ${waitMs} ms (cap ${this.options.max})`,
        );
      }
      await sleep(this.retryMs / 2 + Math.random() * this.retryMs);
    }
  }

  /** Logins in flight now, across all workers. */
  async inFlight(): Promise<number> {
    return Number(await this.script('count', COUNT));
  }

  /** EVALSHA first (the script body is sent only when Redis does not know it yet, e.g. after a restart). */
  private async script(name: string, body: string, ...args: (string | number)[]): Promise<unknown> {
    let sha = this.shas.get(name);
    if (!sha) {
      sha = createHash('sha1').update(body).digest('hex');
      this.shas.set(name, sha);
    }
    try {
      return await this.redis.evalsha(sha, 1, this.options.key, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(body, 1, this.options.key, ...args);
    }
  }
}
