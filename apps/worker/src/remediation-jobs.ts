import type { ActionKind } from '@tunnelwatch/db';
import type { DefaultJobOptions } from 'bullmq';
import { InvalidPayloadError } from './jobs.js';

/**
 * The job contract of the `remediation` queue (docs/remediation.md). A queue of its own, apart from `poll`: a
 * backlog of polls never delays an operator's action, and the two have different retry rules. The payload
 * carries the action id only; the command, router and requester are read from Postgres.
 */
export const REMEDIATION_QUEUE_NAME = 'remediation';

export const REMEDIATION_JOB_NAMES = {
  clear_crypto_sa: 'router.clear-crypto-sa',
  clear_crypto_isakmp: 'router.clear-crypto-isakmp',
} as const satisfies Record<ActionKind, string>;

export type RemediationPayload = { actionId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  if (typeof actionId !== 'string' || !UUID.test(actionId)) {
    throw new InvalidPayloadError('remediation payload needs actionId, a UUID');
  }
  return { actionId };
}

/**
 * One attempt only: clearing SAs is not something to repeat behind the operator's back. A failed action is
 * recorded with its error and the operator decides. The job id is the action id, so adding it twice is a no-op.
 */
export const REMEDIATION_JOB_OPTIONS = {
  attempts: 1,
  removeOnComplete: { age: 24 * 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 1_000 },
} as const satisfies DefaultJobOptions;
