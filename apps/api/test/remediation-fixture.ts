import { randomUUID } from 'node:crypto';
import { createLogger, loadConfig } from '@tunnelwatch/config';
import type { ActionLimits, TokenScope } from '@tunnelwatch/db';
import { importInventory, parseInventory } from '@tunnelwatch/inventory';
import { type Fleet, inventoryYaml, type RouterSpec, startFleet } from '@tunnelwatch/sim';
import {
  createRemediationRunner,
  pollDepsFromConfig,
  pollRouterOnce,
  type RemediationWorker,
  startRemediationWorker,
} from '@tunnelwatch/worker';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { REDIS_URL, startTestApi, type TestApi } from './helper.js';

export type RemediationFixture = {
  api: TestApi;
  fleet: Fleet;
  worker: RemediationWorker;
  /** The remediation queue of this fixture (its own name and prefix). */
  queue: Queue;
  /** `Authorization` header values by token name. */
  bearer: Record<string, string>;
  /** Tunnel ids by `router/peer`. */
  tunnelIds: Map<string, string>;
  close(): Promise<void>;
};

/**
 * The API with remediation on, a remediation worker on a queue of its own, and a simulated fleet (frozen
 * clock, 15 minutes of traffic on the counters) imported and polled once, so host keys are pinned and the
 * tunnels are stored.
 */
export async function startRemediationFixture(options: {
  routers: RouterSpec[];
  tokens: Record<string, TokenScope[]>;
  limits?: ActionLimits;
}): Promise<RemediationFixture> {
  const id = randomUUID().slice(0, 8);
  const prefix = `tw-test-actions-${id}`;
  const queueName = `test-remediation-${id}`;
  const logger = createLogger({ level: 'silent' });
  const api = await startTestApi({
    remediationEnabled: true,
    remediationQueueName: queueName,
    queuePrefix: prefix,
    ...(options.limits ? { remediationLimits: options.limits } : {}),
  });
  const bearer: Record<string, string> = {};
  for (const [name, scopes] of Object.entries(options.tokens)) {
    bearer[name] = `Bearer ${(await api.app.repos.apiTokens.create({ name, scopes })).token}`;
  }
  const fleet = await startFleet({ timeScale: 0, routers: options.routers });
  fleet.clock.advance(900);
  const db = api.app.db;
  const secretKey = api.options.secretKey!;
  await importInventory(db, secretKey, parseInventory(inventoryYaml(fleet.routers), 'yaml'));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const config = loadConfig({
    DATABASE_URL: api.options.databaseUrl,
    REDIS_URL,
    TUNNELWATCH_SECRET_KEY: secretKey.toString('hex'),
    LOG_LEVEL: 'silent',
  });
  // Announcements go to this test's own channel, so the API's snapshot follows and nobody else hears them.
  const pollDeps = {
    ...pollDepsFromConfig(config, db, redis, logger, prefix),
    publish: async (message: object) => {
      await redis.publish(api.options.routerPolledChannel!, JSON.stringify(message));
    },
  };
  for (const router of fleet.routers) {
    const stored = (await api.app.repos.routers.getByName(router.name))!;
    const { outcome } = await pollRouterOnce(pollDeps, stored.id, new AbortController().signal);
    expect(outcome).toMatchObject({ ok: true });
  }
  const tunnelIds = new Map<string, string>();
  for (const tunnel of (await api.app.repos.tunnels.list({})).items) {
    tunnelIds.set(`${tunnel.routerName}/${tunnel.peer}`, tunnel.id);
  }
  const worker = await startRemediationWorker({
    redisUrl: REDIS_URL,
    logger,
    prefix,
    queueName,
    run: createRemediationRunner(db, pollDeps),
  });
  const queue = new Queue(queueName, { connection: redis, prefix });
  return {
    api,
    fleet,
    worker,
    queue,
    bearer,
    tunnelIds,
    async close() {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await fleet.close();
      await api.close();
      redis.disconnect();
    },
  };
}
