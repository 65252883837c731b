import type { Logger } from '@tunnelwatch/config';
import { Redis } from 'ioredis';

/**
 * ioredis connections per BullMQ's production guide (STYLE.md §7). Every connection logs its errors: an
 * unhandled `error` event would otherwise crash the process on a Redis restart.
 */

/** For Workers and blocking commands: retry forever, BullMQ requires `maxRetriesPerRequest: null`. */
export function createWorkerRedis(url: string, logger: Logger, name = 'worker'): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: `tunnelwatch:${name}` });
  redis.on('error', (err) => logger.error({ err, connection: name }, 'redis connection error'));
  return redis;
}

/** For producers (Queue, publish, semaphore): fail fast instead of queueing commands while Redis is away. */
export function createProducerRedis(url: string, logger: Logger, name = 'producer'): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectionName: `tunnelwatch:${name}`,
  });
  redis.on('error', (err) => logger.error({ err, connection: name }, 'redis connection error'));
  return redis;
}

/**
 * Resolves once the connection is ready; producers have no offline queue, so commands before that fail.
 * Rejects after `timeoutMs` (ioredis would otherwise keep reconnecting quietly forever).
 */
export async function waitUntilReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const onEnd = () => done(new Error('redis connection closed before it was ready'));
    const timer = setTimeout(() => done(new Error(`redis not reachable within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
}
