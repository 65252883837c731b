import type { Logger } from '@tunnelwatch/config';
import { InvalidPayloadError, JOB_NAMES, parseRouterPollPayload } from '@tunnelwatch/model';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { PollOutcome } from './poll-outcome.js';

/** Runs one poll of one router; resolves with the outcome, never throws for a router's own failure. */
export type PollRouter = (routerId: string, signal: AbortSignal) => Promise<PollOutcome>;

/** Reason passed to `worker.cancelAllJobs` at shutdown: such polls are handed back, not failed. */
export const SHUTDOWN_REASON = 'worker shutting down';

/**
 * The `poll` queue's processor (STYLE.md §6 and §8). The payload is validated before any work; an unknown job
 * name is logged and completed, so a newer producer cannot wedge an older worker with retries. Failures map to
 * BullMQ: auth and host-key failures are unrecoverable (retrying locks accounts and cannot fix a key), every
 * other failure is thrown so BullMQ retries it with backoff.
 */
export function createPollProcessor(pollRouter: PollRouter, logger: Logger) {
  return async (job: Job, token?: string, signal?: AbortSignal): Promise<PollOutcome | null> => {
    if (job.name !== JOB_NAMES.routerPoll) {
      logger.warn({ jobId: job.id, jobName: job.name }, 'unknown job name: completed without work');
      return null;
    }
    let routerId: string;
    try {
      ({ routerId } = parseRouterPollPayload(job.data));
    } catch (err) {
      if (err instanceof InvalidPayloadError) throw new UnrecoverableError(err.message);
      throw err;
    }
    const outcome = await pollRouter(routerId, signal ?? new AbortController().signal);
    // A router deleted or disabled since its job was made: done, its scheduler goes at the next sync.
    if (outcome.ok || outcome.reason === 'missing') return outcome;
    if (outcome.reason === 'cancelled' && signal?.reason === SHUTDOWN_REASON && token) {
      // Hand the poll back without spending an attempt: another worker (or this one after a restart) runs it.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    const message = `${outcome.reason}: ${outcome.message}`;
    if (!outcome.retry) throw new UnrecoverableError(message);
    throw new Error(message);
  };
}
