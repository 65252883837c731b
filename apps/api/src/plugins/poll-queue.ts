import { Queue } from 'bullmq';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    pollQueue: Queue;
  }
}

/** The worker's BullMQ queue (`poll` in production); the API adds "poll now" jobs and reads its depth. */
export default fp<{ queueName: string; queuePrefix: string }>(
  async (fastify, options) => {
    const queue = new Queue(options.queueName, {
      connection: fastify.redis,
      prefix: options.queuePrefix,
    });
    queue.on('error', (err) => fastify.log.warn({ err }, 'poll queue error'));
    fastify.decorate('pollQueue', queue);
    fastify.addHook('onClose', () => queue.close());
  },
  { name: 'poll-queue', dependencies: ['redis'] },
);
