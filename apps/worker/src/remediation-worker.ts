import type { Logger } from '@tunnelwatch/config';
import {
  InvalidPayloadError,
  parseRemediationPayload,
  REMEDIATION_JOB_NAMES,
  REMEDIATION_QUEUE_NAME,
} from '@tunnelwatch/model';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { createWorkerRedis } from './redis-connections.js';
import type { RemediationResult } from './remediation-runner.js';

export type RemediationWorkerOptions = {
  redisUrl: string;
  logger: Logger;
  /** `runRemediation` bound to its dependencies. */
  run: (actionId: string, signal: AbortSignal) => Promise<RemediationResult>;
  /** Actions this process runs at once (each on a different router: the API allows one per router). */
  concurrency?: number;
  prefix?: string;
  queueName?: string;
  /** How long close() waits for a running action before cancelling it (default 30 s: let a clear finish). */
  shutdownGraceMs?: number;
};

export type RemediationWorker = { worker: Worker; close(): Promise<void> };

const KNOWN_NAMES = new Set<string>(Object.values(REMEDIATION_JOB_NAMES));

/** The `remediation` queue's processor: unknown names complete without work, bad payloads never retry. */
export function createRemediationProcessor(run: RemediationWorkerOptions['run'], logger: Logger) {
  return async (job: Job, _token?: string, signal?: AbortSignal): Promise<RemediationResult | null> => {
    if (!KNOWN_NAMES.has(job.name)) {
      logger.warn({ jobId: job.id, jobName: job.name }, 'unknown job name: completed without work');
      return null;
    }
    let actionId: string;
    try {
      ({ actionId } = parseRemediationPayload(job.data));
    } catch (err) {
      if (err instanceof InvalidPayloadError) throw new UnrecoverableError(err.message);
      throw err;
    }
    return run(actionId, signal ?? new AbortController().signal);
  };
}

/** A BullMQ Worker on the `remediation` queue (docs/remediation.md); started only when remediation is enabled. */
export async function startRemediationWorker(options: RemediationWorkerOptions): Promise<RemediationWorker> {
  const { logger } = options;
  const prefix = options.prefix ?? 'tunnelwatch';
  const queueName = options.queueName ?? REMEDIATION_QUEUE_NAME;
  const workerRedis = createWorkerRedis(options.redisUrl, logger, 'remediation-worker');
  const worker = new Worker(queueName, createRemediationProcessor(options.run, logger), {
    connection: workerRedis,
    prefix,
    concurrency: options.concurrency ?? 4,
    autorun: false,
  });
  worker.on('error', (err) => logger.error({ err }, 'remediation worker error'));
  worker.on('failed', (job, err) =>
    logger.warn({ jobId: job?.id, err: err.message }, 'remediation job failed'),
  );
  worker.run().catch((err) => logger.error({ err }, 'remediation worker stopped'));
  await worker.waitUntilReady();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const grace = setTimeout(
        () => worker.cancelAllJobs('worker shutting down'),
        options.shutdownGraceMs ?? 30_000,
      );
      try {
        await worker.close();
      } finally {
        clearTimeout(grace);
      }
      await workerRedis.quit().catch(() => workerRedis.disconnect());
    })();
    return closing;
  };
  return { worker, close };
}
