import { randomUUID } from 'node:crypto';
import type { Logger } from '@tunnelwatch/config';
import { applyRetention, type Db } from '@tunnelwatch/db';
import { createProducerRedis, waitUntilReady } from './redis-connections.js';

export type RetentionLoopOptions = {
  db: Db;
  redisUrl: string;
  logger: Logger;
  /** Key prefix of the deployment: the claim is shared by every worker under it. */
  prefix: string;
  retentionDays: number;
  /** Time between runs (default one hour). */
  everyMs?: number;
};

export type RetentionLoop = {
  /** Stops the timer, ends a running retention between two batches, closes the Redis connection. Safe to call twice. */
  close(): Promise<void>;
};

const HOUR_MS = 3_600_000;

/**
 * Applies the retention (DESIGN.md §5) at start and then every `everyMs`, in one worker of the deployment at a time:
 * each run first claims a Redis key (SET NX) that expires shortly before the next tick, so whichever worker claims
 * it runs and the others skip until it expires. A killed worker's claim simply expires.
 */
export function startRetentionLoop(options: RetentionLoopOptions): RetentionLoop {
  const { db, logger, prefix, retentionDays } = options;
  const everyMs = options.everyMs ?? HOUR_MS;
  const redis = createProducerRedis(options.redisUrl, logger, 'retention');
  const claimKey = `${prefix}:retention:claim`;
  // Shorter than the interval: the worker that ran last must be able to claim again at its own next tick.
  const claimMs = Math.max(1, Math.floor(everyMs * 0.9));
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const runOnce = async () => {
    try {
      await waitUntilReady(redis);
      const claimed = await redis.set(claimKey, randomUUID(), 'PX', claimMs, 'NX');
      if (claimed === null) {
        logger.debug({ claimKey }, 'retention: another worker ran it recently, skipping');
        return;
      }
      const started = Date.now();
      const deleted = await applyRetention(db, { retentionDays, signal: stopping.signal });
      logger.info({ deleted, retentionDays, durationMs: Date.now() - started }, 'retention applied');
    } catch (err) {
      // A failed run (database or Redis away) is retried at the next tick; the worker keeps polling.
      if (!stopping.signal.aborted) logger.error({ err }, 'retention failed');
    }
  };
  const tick = () => {
    running = runOnce().then(() => {
      if (!stopping.signal.aborted) timer = setTimeout(tick, everyMs);
    });
  };
  tick();

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        stopping.abort();
        clearTimeout(timer);
        await running;
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}
