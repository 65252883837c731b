import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';

export type WriteRateLimitOptions = { writesPerMinute: number };

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Limits every write route (POST, PUT, PATCH, DELETE) per token, or per address before authentication.
 * Reads are not limited: Prometheus and dashboards read often, and reads cost no more than a query.
 */
export default fp<WriteRateLimitOptions>(
  async (fastify, options) => {
    // Runs before @fastify/rate-limit's own onRoute hook, which picks up `config.rateLimit`.
    fastify.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.some((m) => WRITE_METHODS.has(m))) return;
      route.config = {
        ...route.config,
        rateLimit: { max: options.writesPerMinute, timeWindow: 60_000 },
      };
    });
    await fastify.register(rateLimit, {
      global: false,
      // Authentication runs first (onRequest of the auth plugin), so a known token has its own budget.
      hook: 'preHandler',
      keyGenerator: (request) => request.principal?.tokenId ?? request.ip,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `too many writes, retry in ${context.after}`,
      }),
    });
  },
  { name: 'write-rate-limit', dependencies: ['auth'] },
);
