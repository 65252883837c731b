import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenScope } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { DEFAULT_PREFIX } from '@tunnelwatch/model';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ApiOptions } from '../src/app.js';
import { type ApiServer, createApiServer, type ServerOptions } from '../src/server.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type TestApi = {
  app: ApiServer;
  database: TestDatabase;
  options: ApiOptions;
  /** A new token with these scopes, as `Authorization` header value. */
  bearer(scopes: TokenScope[]): Promise<string>;
  /** Announces a saved poll as the worker does (on this test's own channel). */
  publishPolled(routerId: string): Promise<void>;
  pollQueue: Queue;
  close(): Promise<void>;
};

/**
 * The real API on a fresh, migrated Postgres database and the machine's Redis, with a queue name and pub/sub
 * channels of its own, so test files never see each other's jobs or messages.
 */
export async function startTestApi(
  overrides: Partial<ApiOptions> = {},
  server: ServerOptions = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const id = randomUUID();
  const options: ApiOptions = {
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    metricsPublic: false,
    secretKey: randomBytes(32),
    pollQueueName: `test-poll-${id}`,
    routerPolledChannel: `test:router-polled:${id}`,
    inventoryChangedChannel: `test:inventory-changed:${id}`,
    tokenRevokedChannel: `test:api-token-revoked:${id}`,
    ...overrides,
  };
  const app = createApiServer(options, server);
  await app.ready();
  const publisher = new Redis(REDIS_URL);
  const pollQueue = new Queue(options.pollQueueName!, { connection: publisher, prefix: DEFAULT_PREFIX });
  let tokens = 0;
  return {
    app,
    database,
    options,
    pollQueue,
    async bearer(scopes) {
      const { token } = await app.repos.apiTokens.create({
        name: `test-${++tokens}-${scopes.join('-')}`,
        scopes,
      });
      return `Bearer ${token}`;
    },
    async publishPolled(routerId) {
      const message = {
        routerId,
        routerName: '',
        pollId: randomUUID(),
        ok: true,
        finishedAt: new Date().toISOString(),
      };
      await publisher.publish(options.routerPolledChannel!, JSON.stringify(message));
    },
    async close() {
      await app.close();
      await pollQueue.obliterate({ force: true });
      await pollQueue.close();
      await publisher.quit();
      await database.drop();
    },
  };
}

/** A well-formed token that was never issued. */
export function unknownToken(): string {
  return `tw_${randomBytes(32).toString('base64url')}`;
}

/** Waits until `check` passes (it throws until then), for effects that arrive through Redis pub/sub. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
