import type { Logger } from '@tunnelwatch/config';
import { INVENTORY_CHANGED_CHANNEL, POLL_QUEUE_NAME } from '@tunnelwatch/model';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createPollProcessor, type PollRouter, SHUTDOWN_REASON } from './job-processor.js';
import { DEFAULT_JOB_OPTIONS } from './jobs.js';
import { createProducerRedis, createWorkerRedis, waitUntilReady } from './redis-connections.js';
import { type ScheduledRouter, type SchedulerSyncResult, syncSchedulers } from './scheduler-sync.js';

export type PollWorkerOptions = {
  redisUrl: string;
  logger: Logger;
  /** Builds the poll function; gets the fail-fast Redis connection for publishing and the login semaphore. */
  createPollRouter: (producer: Redis) => PollRouter;
  /** The enabled routers, from Postgres: the truth the schedulers are rebuilt from. */
  listEnabledRouters: () => Promise<ScheduledRouter[]>;
  /** Polls this process runs at once. */
  concurrency: number;
  /** Interval for routers without their own, in milliseconds. */
  defaultEveryMs: number;
  /** How often schedulers are re-synced from Postgres even without a signal (default: the default interval). */
  syncIntervalMs?: number;
  /** BullMQ key prefix (default `tunnelwatch`); tests use their own. */
  prefix?: string;
  queueName?: string;
  /** Pub/sub channel that says "the inventory changed, re-sync now". */
  inventoryChannel?: string;
  /** How long SIGTERM waits for running polls before handing them back (default 10 s). */
  shutdownGraceMs?: number;
  /** BullMQ lock settings: a killed worker's jobs are retried after about `lockDurationMs` (default 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
};

export type PollWorker = {
  queue: Queue;
  worker: Worker;
  /** Re-syncs schedulers now (serialized with the periodic and signalled runs). */
  syncNow(): Promise<SchedulerSyncResult>;
  /** Finishes or hands back running polls, then closes Workers → Queue → connections. Safe to call twice. */
  close(): Promise<void>;
};

/**
 * One worker process's share of polling: a BullMQ Worker on the `poll` queue plus the scheduler sync that keeps
 * one job scheduler per enabled router. Any number of these can run side by side on one Redis: the schedulers
 * are idempotent and BullMQ hands each job to one worker.
 */
export async function startPollWorker(options: PollWorkerOptions): Promise<PollWorker> {
  const { logger } = options;
  const prefix = options.prefix ?? 'tunnelwatch';
  const queueName = options.queueName ?? POLL_QUEUE_NAME;
  const workerRedis = createWorkerRedis(options.redisUrl, logger, 'worker');
  const producer = createProducerRedis(options.redisUrl, logger, 'producer');
  const subscriber = createWorkerRedis(options.redisUrl, logger, 'subscriber');
  await waitUntilReady(producer);

  const queue = new Queue(queueName, {
    connection: producer,
    prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  queue.on('error', (err) => logger.error({ err }, 'poll queue error'));

  const processor = createPollProcessor(options.createPollRouter(producer), logger);
  const worker = new Worker(queueName, processor, {
    connection: workerRedis,
    prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    autorun: false,
  });
  worker.on('error', (err) => logger.error({ err }, 'poll worker error'));
  worker.on('failed', (job, err) => {
    logger.warn({ jobId: job?.id, routerId: job?.data?.routerId, err: err.message }, 'poll job failed');
  });

  // One sync at a time; a request during a run schedules exactly one more run after it.
  let running: Promise<SchedulerSyncResult> | null = null;
  let again = false;
  const syncNow = async (): Promise<SchedulerSyncResult> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let result: SchedulerSyncResult;
        do {
          again = false;
          result = await syncSchedulers(queue, await options.listEnabledRouters(), options.defaultEveryMs);
          if (result.upserted > 0 || result.removed > 0) logger.info(result, 'poll schedulers synced');
        } while (again);
        return result;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const syncQuietly = (trigger: string) => {
    syncNow().catch((err) => logger.error({ err, trigger }, 'poll scheduler sync failed'));
  };

  await syncNow();
  const timer = setInterval(() => syncQuietly('periodic'), options.syncIntervalMs ?? options.defaultEveryMs);
  timer.unref();
  subscriber.on('message', () => syncQuietly('inventory-changed'));
  await subscriber.subscribe(options.inventoryChannel ?? INVENTORY_CHANGED_CHANNEL);
  worker.run().catch((err) => logger.error({ err }, 'poll worker stopped'));
  await worker.waitUntilReady();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      clearInterval(timer);
      await subscriber.quit().catch(() => subscriber.disconnect());
      const grace = setTimeout(
        () => worker.cancelAllJobs(SHUTDOWN_REASON),
        options.shutdownGraceMs ?? 10_000,
      );
      try {
        await worker.close();
      } finally {
        clearTimeout(grace);
      }
      await running?.catch(() => undefined);
      await queue.close();
      await producer.quit().catch(() => producer.disconnect());
      await workerRedis.quit().catch(() => workerRedis.disconnect());
    })();
    return closing;
  };
  return { queue, worker, syncNow, close };
}
