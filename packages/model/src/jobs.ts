/**
 * The job contracts between the processes that enqueue work (api, cli) and the worker that runs it (STYLE.md §6):
 * queue names, dot-namespaced job names, one payload schema per name and the Redis key prefix. Payloads carry ids
 * only: credentials and commands are read from Postgres at run time and never reach Redis.
 */

import { isUuid } from './uuid.js';

/** Redis key prefix of a deployment's queues and login slots (several deployments can share one Redis). */
export const DEFAULT_PREFIX = 'tunnelwatch';

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
 * The `remediation` queue (docs/remediation.md). A queue of its own, apart from `poll`: a backlog of polls never
 * delays an operator's action, and the two have different retry rules. The payload carries the action id only;
 * the command, router and requester are read from Postgres.
 */
export const REMEDIATION_QUEUE_NAME = 'remediation';

/** The operator actions a remediation job runs (the `kind` of an action row). */
export type RemediationKind = 'clear_crypto_sa' | 'clear_crypto_isakmp';

export const REMEDIATION_JOB_NAMES = {
  clear_crypto_sa: 'router.clear-crypto-sa',
  clear_crypto_isakmp: 'router.clear-crypto-isakmp',
} as const satisfies Record<RemediationKind, string>;

export type RemediationPayload = { actionId: string };

/** Validates remediation job data before any work; extra keys are refused. */
export function parseRemediationPayload(data: unknown): RemediationPayload {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidPayloadError('remediation payload must be an object { actionId }');
  }
  const extra = Object.keys(data).filter((key) => key !== 'actionId');
  if (extra.length > 0) {
    throw new InvalidPayloadError(`remediation payload has unexpected keys: ${extra.join(', ')}`);
  }
  const { actionId } = data as { actionId?: unknown };
  if (typeof actionId !== 'string' || !isUuid(actionId)) {
    throw new InvalidPayloadError('remediation payload needs actionId, a UUID');
  }
  return { actionId };
}

/**
 * BullMQ options of a remediation job (checked against bullmq's types where the job is added). One attempt only:
 * clearing SAs is not something to repeat behind the operator's back. A failed action is recorded with its error
 * and the operator decides. The job id is the action id, so adding it twice is a no-op.
 */
export const REMEDIATION_JOB_OPTIONS = {
  attempts: 1,
  removeOnComplete: { age: 24 * 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 1_000 },
} as const;
