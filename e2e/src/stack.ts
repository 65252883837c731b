import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApiServer } from '@tunnelwatch/api';
import { createLogger, loadConfig } from '@tunnelwatch/config';
import { ApiTokensRepository, RoutersRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { importInventory, parseInventory } from '@tunnelwatch/inventory';
import { type Fleet, type FleetOptions, inventoryYaml, startFleet } from '@tunnelwatch/sim';
import { createPollRouter, type PollWorker, pollDepsFromConfig, startPollWorker } from '@tunnelwatch/worker';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type StackOptions = {
  /** The simulated routers (and their clock). */
  fleet: FleetOptions;
  /** How often the worker polls every router. */
  pollEveryMs: number;
};

/** tunnelwatch as deployed, in this process: simulator → worker → Postgres → api, on loopback only. */
export type Stack = {
  fleet: Fleet;
  database: TestDatabase;
  /** `127.0.0.1:PORT` of the listening api (what Prometheus is pointed at). */
  apiAddress: string;
  /** A bearer token with the `read` scope (what Prometheus scrapes with). */
  token: string;
  /** The Redis key prefix of this stack's queue, schedulers and login slots. */
  redisPrefix: string;
  /** GET `path` on the api with the token; throws unless it answers 200. */
  get(path: string): Promise<string>;
  /** Closes everything in reverse order of start: api, worker (and its Redis keys), database, fleet. */
  close(): Promise<void>;
};

const logger = createLogger({ level: 'silent' });

/**
 * Starts the whole stack for one test file: the sim fleet, a fresh migrated database with the fleet imported
 * (routers and credentials, as `tunnelwatch import` of the sim's inventory does), a poll worker on a Redis prefix
 * and pub/sub channels of its own, and the api on a free loopback port. Whatever started is closed again when a
 * later step fails.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const id = randomUUID().slice(0, 8);
  const prefix = `tw-e2e-${id}`;
  const routerPolledChannel = `${prefix}:router-polled`;
  const inventoryChangedChannel = `${prefix}:inventory-changed`;
  const secretKey = randomBytes(32);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const closer of closers.splice(0).reverse()) {
      try {
        await closer();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'stack teardown failed');
  };

  try {
    const fleet = await startFleet(options.fleet);
    closers.push(() => fleet.close());

    const database = await createTestDatabase();
    closers.push(() => database.drop());
    const imported = await importInventory(
      database.db,
      secretKey,
      parseInventory(inventoryYaml(fleet.routers), 'yaml'),
    );
    if (imported.problems.length > 0) {
      throw new Error(`importing the sim inventory failed: ${JSON.stringify(imported.problems)}`);
    }

    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    closers.push(async () => {
      await deleteKeys(redis, prefix);
      await redis.quit();
    });
    const worker = await startWorker({
      database,
      secretKey,
      prefix,
      routerPolledChannel,
      inventoryChangedChannel,
      everyMs: options.pollEveryMs,
    });
    closers.push(() => worker.close());

    const api = createApiServer({
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      metricsPublic: false,
      secretKey,
      queuePrefix: prefix,
      routerPolledChannel,
      inventoryChangedChannel,
    });
    closers.push(() => api.close());
    await api.listen({ host: '127.0.0.1', port: 0 });
    const apiAddress = `127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    const { token } = await new ApiTokensRepository(database.db).create({ name: 'e2e', scopes: ['read'] });

    return {
      fleet,
      database,
      apiAddress,
      token,
      redisPrefix: prefix,
      async get(path) {
        const response = await fetch(`http://${apiAddress}${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = await response.text();
        if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status} ${body}`);
        return body;
      },
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/**
 * The worker as `tunnelwatch worker` wires it (pollDepsFromConfig: Postgres store, login cap, SSH timeouts), except
 * that "router polled" goes out on this stack's own channel, so parallel test files never see each other's polls.
 */
async function startWorker(options: {
  database: TestDatabase;
  secretKey: Buffer;
  prefix: string;
  routerPolledChannel: string;
  inventoryChangedChannel: string;
  everyMs: number;
}): Promise<PollWorker> {
  const config = loadConfig({
    DATABASE_URL: options.database.url,
    REDIS_URL,
    TUNNELWATCH_SECRET_KEY: options.secretKey.toString('hex'),
    LOG_LEVEL: 'silent',
    WORKER_CONCURRENCY: '10',
    // Generous: the machine is shared, and a slow login must not turn into a failed poll.
    SSH_CONNECT_TIMEOUT_MS: '10000',
    SSH_COMMAND_TIMEOUT_MS: '10000',
    SSH_SESSION_TIMEOUT_MS: '30000',
  });
  const { db } = options.database;
  const routers = new RoutersRepository(db);
  return startPollWorker({
    redisUrl: REDIS_URL,
    logger,
    prefix: options.prefix,
    inventoryChannel: options.inventoryChangedChannel,
    concurrency: config.workerConcurrency,
    defaultEveryMs: options.everyMs,
    // The inventory is imported before the worker starts; no need to re-read it every few seconds.
    syncIntervalMs: 60_000,
    shutdownGraceMs: 2_000,
    listEnabledRouters: () => routers.listForScheduler(),
    createPollRouter: (producer) =>
      createPollRouter({
        ...pollDepsFromConfig(config, db, producer, logger, options.prefix),
        publish: async (message) => {
          await producer.publish(options.routerPolledChannel, JSON.stringify(message));
        },
      }),
  });
}

/** Deletes every key under `prefix` (SCAN, never FLUSHALL: other tests share this Redis). */
async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
