import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    processMetrics: { registry: Registry; renderSeconds: Histogram<'scope'> };
  }
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * The API process's own metrics, on plain /metrics only: Node.js defaults, HTTP latency, poll queue depth,
 * snapshot age and /metrics render time. A private registry (never prom-client's global one).
 */
export default fp(
  async (fastify) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });

    const http = new Histogram({
      name: 'tunnelwatch_api_http_request_duration_seconds',
      help: 'HTTP requests served by the API',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const renderSeconds = new Histogram({
      name: 'tunnelwatch_api_metrics_render_seconds',
      help: 'Time to render the fleet exposition (scope: fleet, router or shard)',
      labelNames: ['scope'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    });
    new Gauge({
      name: 'tunnelwatch_api_poll_queue_jobs',
      help: 'Jobs in the poll queue by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        // Redis away: export nothing rather than failing the whole scrape.
        const counts = await fastify.pollQueue.getJobCounts(...QUEUE_STATES).catch(() => null);
        if (counts) for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
    new Gauge({
      name: 'tunnelwatch_api_snapshot_age_seconds',
      help: 'Seconds since the metrics snapshot last changed (a poll saved, a router added or removed)',
      registers: [registry],
      collect() {
        const at = fastify.fleetSnapshot.updatedAt;
        if (at) this.set((Date.now() - at.getTime()) / 1000);
      },
    });
    new Gauge({
      name: 'tunnelwatch_api_snapshot_loaded',
      help: '1 once the metrics snapshot has been loaded from Postgres',
      registers: [registry],
      collect() {
        this.set(fastify.fleetSnapshot.loaded ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tunnelwatch_api_snapshot_tunnels',
      help: 'Tunnels in the metrics snapshot',
      registers: [registry],
      collect() {
        this.set(fastify.fleetSnapshot.tunnelCount());
      },
    });

    fastify.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the URL: router names must not explode the label set.
      const route = request.routeOptions.url ?? 'unknown';
      http.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    fastify.decorate('processMetrics', { registry, renderSeconds });
  },
  { name: 'process-metrics', dependencies: ['poll-queue', 'fleet-snapshot'] },
);
