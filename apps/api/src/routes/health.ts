import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';

const Check = Type.Union([Type.Literal('ok'), Type.String()]);
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  checks: Type.Object({ database: Check, redis: Check, snapshot: Check }),
  snapshotAgeSeconds: Type.Union([Type.Number(), Type.Null()]),
});

async function check(probe: () => Promise<unknown>): Promise<string> {
  try {
    await probe();
    return 'ok';
  } catch {
    return 'unreachable';
  }
}

/** Liveness and readiness: always open (no token), so orchestrators and load balancers can probe them. */
const health: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  fastify.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Postgres and Redis reachable and the metrics snapshot loaded',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const [database, redis] = await Promise.all([
        check(() => fastify.db.pool.query('SELECT 1')),
        check(() => fastify.redis.ping()),
      ]);
      const snapshot = fastify.fleetSnapshot.loaded ? 'ok' : 'not loaded';
      const ready = database === 'ok' && redis === 'ok' && snapshot === 'ok';
      const at = fastify.fleetSnapshot.updatedAt;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not ready',
        checks: { database, redis, snapshot },
        snapshotAgeSeconds: at ? (Date.now() - at.getTime()) / 1000 : null,
      });
    },
  );
};

export default health;
