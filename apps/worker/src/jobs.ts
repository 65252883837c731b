import type { DefaultJobOptions } from 'bullmq';

/**
 * The job contract of the `poll` queue (STYLE.md §6): dot-namespaced names, one payload schema per name,
 * shared default options. A payload carries the router id only: credentials are loaded by the worker from
 * Postgres at run time and never reach Redis.
 */
export const POLL_QUEUE_NAME = 'poll';

export const JOB_NAMES = {
  routerPoll: 'router.poll',
} as const;

export type RouterPollPayload = { routerId: string };

/** Thrown when a job's data does not match its name's schema: such a job can never succeed, so no retry. */
export class InvalidPayloadError extends Error {
  override readonly name = 'InvalidPayloadError';
}

/** Validates `router.poll` data before any work is done; extra keys are refused so secrets cannot ride along. */
export function parseRouterPollPayload(data: unknown): RouterPollPayload {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidPayloadError('router.poll payload must be an object { routerId }');
  }
  const keys = Object.keys(data);
  const extra = keys.filter((key) => key !== 'routerId');
  if (extra.length > 0) {
    throw new InvalidPayloadError(`router.poll payload has unexpected keys: ${extra.join(', ')}`);
  }
  const { routerId } = data as { routerId?: unknown };
  if (typeof routerId !== 'string' || routerId.trim() === '' || routerId.length > 200) {
    throw new InvalidPayloadError('router.poll payload needs routerId, a non-empty string');
  }
  return { routerId };
}

/**
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
