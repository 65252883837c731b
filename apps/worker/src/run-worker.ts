import type { Config, Logger } from '@tunnelwatch/config';
import { type Db, RoutersRepository, savePollResult } from '@tunnelwatch/db';
import { DEFAULT_PREFIX, ROUTER_POLLED_CHANNEL } from '@tunnelwatch/model';
import type { Redis } from 'ioredis';
import { createDbPollStore } from './db-poll-store.js';
import { LoginSemaphore } from './login-semaphore.js';
import { createPollRouter, type PollRouterDeps } from './poll-router.js';
import { type PollWorker, type PollWorkerOptions, startPollWorker } from './poll-worker.js';
import { createRemediationRunner } from './remediation-runner.js';
import { startRemediationWorker } from './remediation-worker.js';
import { startRetentionLoop } from './retention-loop.js';
import { SessionPool } from './session-pool.js';

/** The wiring of one poll from the configuration: Postgres store, login cap, SSH timeouts, publisher. */
export function pollDepsFromConfig(
  config: Config,
  db: Db,
  redis: Redis,
  logger: Logger,
  prefix = DEFAULT_PREFIX,
): PollRouterDeps {
  return {
    store: createDbPollStore(db, config.secretKey),
    save: (routerId, poll) => savePollResult(db, routerId, poll),
    publish: async (message) => {
      await redis.publish(ROUTER_POLLED_CHANNEL, JSON.stringify(message));
    },
    semaphore: new LoginSemaphore(redis, {
      key: `${prefix}:ssh-logins`,
      max: config.maxConcurrentLogins,
      // A lease outlives the longest session, so only a killed worker's slot ever expires.
      leaseMs: config.ssh.sessionTimeoutMs + 5_000,
    }),
    loginWaitMs: 30_000,
    timeouts: {
      connectMs: config.ssh.connectTimeoutMs,
      loginMs: config.ssh.connectTimeoutMs,
      commandMs: config.ssh.commandTimeoutMs,
      sessionMs: config.ssh.sessionTimeoutMs,
    },
    logger,
  };
}

/** `tunnelwatch worker`: a poll worker on the configured Redis and Postgres, until `close()`. */
export async function startWorkerProcess(
  config: Config,
  db: Db,
  logger: Logger,
  overrides: Partial<PollWorkerOptions> = {},
): Promise<PollWorker> {
  const prefix = overrides.prefix ?? DEFAULT_PREFIX;
  const routers = new RoutersRepository(db);
  const wiring: { poll?: PollRouterDeps } = {};
  // A kept session idle for three default intervals belongs to a router polled less often than that, but never
  // less than IOS's default exec-timeout (10 min): a backlog of polls must not turn every poll into a login.
  const sessions = config.ssh.keepSessions
    ? new SessionPool({
        idleMs: Math.max(3 * config.pollIntervalSeconds, 600) * 1000,
        maxAgeMs: config.ssh.sessionMaxAgeSeconds * 1000,
      })
    : undefined;
  const poll = await startPollWorker({
    redisUrl: config.redisUrl,
    logger,
    createPollRouter: (producer) => {
      wiring.poll = { ...pollDepsFromConfig(config, db, producer, logger, prefix), sessions };
      return createPollRouter(wiring.poll);
    },
    listEnabledRouters: () => routers.listForScheduler(),
    concurrency: config.workerConcurrency,
    defaultEveryMs: config.pollIntervalSeconds * 1000,
    ...overrides,
    prefix,
  });
  // Retention (DESIGN.md §5): at start and hourly, in one worker of the deployment at a time; stops first on close.
  const retention = startRetentionLoop({
    db,
    logger,
    prefix,
    redisUrl: config.redisUrl,
    retentionDays: config.retentionDays,
  });
  const closePolling = poll.close;
  poll.close = () =>
    retention
      .close()
      .then(closePolling)
      .finally(() => sessions?.closeAll());
  // Remediation (docs/remediation.md): its own queue and worker, only when REMEDIATION_ENABLED.
  if (!config.remediationEnabled || !wiring.poll) return poll;
  const remediation = await startRemediationWorker({
    redisUrl: config.redisUrl,
    logger,
    prefix,
    run: createRemediationRunner(db, wiring.poll),
  });
  // Remediation first: its re-polls use the poll worker's Redis connection.
  return { ...poll, close: () => remediation.close().then(() => poll.close()) };
}
