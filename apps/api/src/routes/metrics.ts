import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TokenScope } from '@tunnelwatch/db';
import Type from 'typebox';
import { HttpError, notFound } from '../errors.js';
import { chunkStream } from '../metrics/chunk-stream.js';
import type { Exposition } from '../metrics/fleet-snapshot.js';
import { shardOf } from '../metrics/shards.js';
import { ErrorSchema, Text } from '../schemas/common.js';

export type MetricsRouteOptions = { metricsPublic: boolean };

const MetricsQuery = Type.Object(
  {
    router: Type.Optional(Text({ maxLength: 200, description: 'only this router (multi-target pattern)' })),
    shard: Type.Optional(
      Type.Integer({ minimum: 0, description: 'only the routers of this shard (0-based)' }),
    ),
    shards: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'number of shards' })),
  },
  { additionalProperties: false },
);

const SdQuery = Type.Object(
  {
    shards: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: 'one target per shard instead of per router',
      }),
    ),
  },
  { additionalProperties: false },
);

const TargetGroup = Type.Object({
  targets: Type.Array(Type.String()),
  labels: Type.Record(Type.String(), Type.String()),
});

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `/metrics` (DESIGN.md §6) and `/sd` (Prometheus HTTP service discovery). Both read only the in-memory
 * snapshot; the process's own metrics are appended to a plain `/metrics` only, so per-router and per-shard
 * targets carry fleet series alone and nothing is scraped twice.
 */
const metrics: FastifyPluginAsyncTypebox<MetricsRouteOptions> = async (fastify, options) => {
  const config: { scope?: TokenScope } = options.metricsPublic ? {} : { scope: 'read' };

  fastify.get(
    '/metrics',
    {
      config,
      schema: {
        tags: ['metrics'],
        summary: 'Prometheus metrics of the fleet (and of the API process on a plain scrape)',
        querystring: MetricsQuery,
        response: {
          200: Type.Unsafe<Readable>({ type: 'string', description: 'Prometheus text format 0.0.4' }),
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { router, shard, shards } = request.query;
      if (router !== undefined && (shard !== undefined || shards !== undefined)) {
        throw new HttpError(400, 'query/router cannot be combined with query/shard or query/shards');
      }
      if ((shard === undefined) !== (shards === undefined)) {
        throw new HttpError(400, 'query/shard and query/shards go together');
      }
      if (shard !== undefined && shards !== undefined && shard >= shards) {
        throw new HttpError(400, `query/shard must be below query/shards (${shards})`);
      }
      const snapshot = fastify.fleetSnapshot;
      const started = performance.now();
      let body: Exposition;
      let scope: 'fleet' | 'router' | 'shard';
      if (router !== undefined) {
        if (!snapshot.hasRouter(router)) throw notFound(`router "${router}"`);
        scope = 'router';
        body = snapshot.exposition((name) => name === router);
      } else if (shard !== undefined && shards !== undefined) {
        scope = 'shard';
        body = snapshot.exposition((name) => shardOf(name, shards) === shard);
      } else {
        scope = 'fleet';
        const own = Buffer.from(await fastify.processMetrics.registry.metrics());
        body = snapshot.exposition(undefined, own);
      }
      fastify.processMetrics.renderSeconds.observe({ scope }, (performance.now() - started) / 1000);
      // Identity even when the client accepts gzip (Prometheus does): see docs/api.md, "Metrics size".
      return reply.type(CONTENT_TYPE).header('content-length', body.length).send(chunkStream(body.chunks));
    },
  );

  fastify.get(
    '/sd',
    {
      config,
      schema: {
        tags: ['metrics'],
        summary: 'Prometheus HTTP service discovery: one target per router, or per shard with ?shards=N',
        querystring: SdQuery,
        response: { 200: Type.Array(TargetGroup), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (request) => {
      // The address Prometheus used to reach this API is the address it should scrape.
      const target = request.host;
      const { shards } = request.query;
      if (shards !== undefined) {
        return Array.from({ length: shards }, (_, k) => ({
          targets: [target],
          labels: {
            __param_shard: String(k),
            __param_shards: String(shards),
            // Lets one Prometheus server of several keep only its own shard by relabelling.
            __meta_tunnelwatch_shard: String(k),
            shard: String(k),
          },
        }));
      }
      return fastify.fleetSnapshot.routerNames().map((name) => ({
        targets: [target],
        labels: { __param_router: name, router: name },
      }));
    },
  );
};

export default metrics;
