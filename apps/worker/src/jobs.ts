import type { DefaultJobOptions } from 'bullmq';

/**
 * How the worker schedules `poll` jobs; the queue's contract (names, payload) is in @tunnelwatch/model.
 * Transient failures (timeouts, unreachable) retry with exponential backoff: 5 s then 10 s, well inside one
 * 60 s interval. Finished jobs are kept for an hour (at most 10,000) so `poll` history stays cheap in Redis;
 * Postgres is the record of every poll.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 24 * 3_600, count: 10_000 },
} as const satisfies DefaultJobOptions;

/** One job scheduler per router; its id is derived from the router id so every worker computes the same one. */
export function schedulerIdFor(routerId: string): string {
  return `poll:${routerId}`;
}

/** The router id of a scheduler id made by `schedulerIdFor`, or null for a scheduler that is not ours. */
export function routerIdOfScheduler(schedulerId: string): string | null {
  return schedulerId.startsWith('poll:') ? schedulerId.slice('poll:'.length) : null;
}
