import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ActionLimits } from '@tunnelwatch/db';
import {
  API_TOKEN_REVOKED_CHANNEL,
  DEFAULT_PREFIX,
  INVENTORY_CHANGED_CHANNEL,
  POLL_QUEUE_NAME,
  REMEDIATION_QUEUE_NAME,
  ROUTER_POLLED_CHANNEL,
} from '@tunnelwatch/model';
import { installErrorHandlers } from './errors.js';
import auth from './plugins/auth.js';
import db from './plugins/db.js';
import fleetSnapshot from './plugins/fleet-snapshot.js';
import openapi from './plugins/openapi.js';
import pollQueue from './plugins/poll-queue.js';
import processMetrics from './plugins/process-metrics.js';
import redis from './plugins/redis.js';
import writeRateLimit from './plugins/write-rate-limit.js';
import actions, { DEFAULT_ACTION_LIMITS } from './routes/actions.js';
import apiV1 from './routes/api/index.js';
import health from './routes/health.js';
import metrics from './routes/metrics.js';
import statusPage from './status-page/status-page.js';

export type ApiOptions = {
  databaseUrl: string;
  redisUrl: string;
  /** true: /metrics and /sd need no token. /health and /ready are always open. */
  metricsPublic: boolean;
  /** The 32-byte key that encrypts credentials; null: creating a credential is refused. */
  secretKey: Buffer | null;
  /** Redis names (default: the workers' queue `poll` under the prefix `tunnelwatch`); tests give each file its own. */
  pollQueueName?: string;
  queuePrefix?: string;
  routerPolledChannel?: string;
  inventoryChangedChannel?: string;
  tokenRevokedChannel?: string;
  writesPerMinute?: number;
  failedAuthPerMinute?: number;
  /** How long a verified API token is trusted before Postgres is asked again (default 5 s; 0: every request). */
  tokenCacheMs?: number;
  /** Remediation (docs/remediation.md): off unless REMEDIATION_ENABLED. */
  remediationEnabled?: boolean;
  remediationQueueName?: string;
  remediationLimits?: ActionLimits;
};

/**
 * The whole API as one plugin (fastify/demo shape): resources first, then app plugins, then routes. The
 * process around it (logger, listen, signals) is `server.ts`; tests register this same plugin.
 */
const app: FastifyPluginAsyncTypebox<ApiOptions> = async (fastify, options) => {
  installErrorHandlers(fastify);
  await fastify.register(openapi);
  await fastify.register(db, { databaseUrl: options.databaseUrl, secretKey: options.secretKey });
  await fastify.register(redis, { redisUrl: options.redisUrl });
  await fastify.register(pollQueue, {
    queueName: options.pollQueueName ?? POLL_QUEUE_NAME,
    // The workers' BullMQ key prefix: a poll-now job must land in the queue they read.
    queuePrefix: options.queuePrefix ?? DEFAULT_PREFIX,
  });
  const inventoryChangedChannel = options.inventoryChangedChannel ?? INVENTORY_CHANGED_CHANNEL;
  await fastify.register(fleetSnapshot, {
    routerPolledChannel: options.routerPolledChannel ?? ROUTER_POLLED_CHANNEL,
    inventoryChangedChannel,
  });
  await fastify.register(processMetrics);
  await fastify.register(auth, {
    failedAuthPerMinute: options.failedAuthPerMinute ?? 20,
    tokenCacheMs: options.tokenCacheMs ?? 5000,
    tokenRevokedChannel: options.tokenRevokedChannel ?? API_TOKEN_REVOKED_CHANNEL,
  });
  await fastify.register(writeRateLimit, { writesPerMinute: options.writesPerMinute ?? 120 });

  await fastify.register(health);
  await fastify.register(metrics, { metricsPublic: options.metricsPublic });
  await fastify.register(statusPage);
  await fastify.register(apiV1, { prefix: '/api/v1', inventoryChangedChannel, secretKey: options.secretKey });
  await fastify.register(actions, {
    prefix: '/api/v1',
    enabled: options.remediationEnabled ?? false,
    queueName: options.remediationQueueName ?? REMEDIATION_QUEUE_NAME,
    // The workers' BullMQ key prefix, as for the poll queue.
    queuePrefix: options.queuePrefix ?? DEFAULT_PREFIX,
    limits: options.remediationLimits ?? DEFAULT_ACTION_LIMITS,
  });
};

export default app;
