import { once } from 'node:events';
import { setTimeout } from 'node:timers/promises';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    /** Commands and publishing (also the BullMQ producer connection). Subscriptions use their own connection. */
    redis: Redis;
    redisUrl: string;
  }
}

/**
 * The API only produces (poll jobs, inventory notices), so its connection fails fast instead of queueing
 * commands while Redis is away (BullMQ "going to production"): a request then errors at once and /ready says why.
 */
export default fp<{ redisUrl: string }>(
  async (fastify, options) => {
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on('error', (err) => fastify.log.warn({ err }, 'redis connection error'));
    // Give the first connection a moment so the first request does not fail, but start anyway when Redis is
    // down: /ready reports it, and ioredis keeps reconnecting.
    await Promise.race([once(redis, 'ready'), setTimeout(3000)]).catch(() => {});
    fastify.decorate('redis', redis);
    fastify.decorate('redisUrl', options.redisUrl);
    fastify.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  },
  { name: 'redis' },
);
