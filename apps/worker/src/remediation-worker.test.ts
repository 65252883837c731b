import { createLogger } from '@tunnelwatch/config';
import { REMEDIATION_JOB_NAMES } from '@tunnelwatch/model';
import { type Job, UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createRemediationProcessor } from './remediation-worker.js';

const ID = '0b7f4c1e-52a4-4b0e-9a59-7b8f0e7f9d11';

describe('createRemediationProcessor', () => {
  const logger = createLogger({ level: 'silent' });
  const job = (name: string, data: unknown) => ({ id: '1', name, data }) as Job;

  it('runs known jobs, completes unknown names without work, never retries bad payloads', async () => {
    const ran: string[] = [];
    const processor = createRemediationProcessor(async (actionId) => {
      ran.push(actionId);
      return { ran: false, actionId, why: 'test' };
    }, logger);
    await expect(
      processor(job(REMEDIATION_JOB_NAMES.clear_crypto_sa, { actionId: ID })),
    ).resolves.toMatchObject({
      actionId: ID,
    });
    await expect(processor(job('router.reload', { actionId: ID }))).resolves.toBeNull();
    await expect(processor(job(REMEDIATION_JOB_NAMES.clear_crypto_isakmp, { actionId: 7 }))).rejects.toThrow(
      UnrecoverableError,
    );
    expect(ran).toEqual([ID]);
  });
});
