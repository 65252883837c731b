import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@tunnelwatch/config';
import { JOB_NAMES } from '@tunnelwatch/model';
import { type Job, Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, testRedis, uniquePrefix } from '../test/redis.js';
import type { PollRouter } from './job-processor.js';
import type { PollOutcome } from './poll-outcome.js';
import { type PollWorker, startPollWorker } from './poll-worker.js';
import type { ScheduledRouter } from './scheduler-sync.js';

const prefix = uniquePrefix('worker');
const channel = `${prefix}:inventory`;
const redis = testRedis();
const logger = createLogger({ level: 'silent' });

/** What each router id makes the poll function do; records every call. */
const behaviour = new Map<string, (signal: AbortSignal) => Promise<PollOutcome>>();
const calls: string[] = [];
const pollRouter: PollRouter = (routerId, signal) => {
  calls.push(routerId);
  const run = behaviour.get(routerId);
  if (!run) throw new Error(`no behaviour for ${routerId}`);
  return run(signal);
};
const ok = (routerId: string): PollOutcome => ({
  ok: true,
  routerId,
  routerName: routerId,
  pollId: randomUUID(),
  tunnelCount: 0,
  warningCount: 0,
  durationMs: 1,
  bytesRead: 0,
});
const failed = (routerId: string, reason: 'auth' | 'timeout' | 'cancelled', retry: boolean): PollOutcome => ({
  ok: false,
  routerId,
  routerName: routerId,
  reason,
  message: `${reason} happened`,
  retry,
  pollId: randomUUID(),
});

let inventory: ScheduledRouter[] = [];
let worker: PollWorker;
let events: QueueEvents;

beforeAll(async () => {
  worker = await startPollWorker({
    redisUrl: REDIS_URL,
    logger,
    createPollRouter: () => pollRouter,
    listEnabledRouters: async () => inventory,
    concurrency: 4,
    defaultEveryMs: 600_000,
    prefix,
    inventoryChannel: channel,
    shutdownGraceMs: 200,
  });
  events = new QueueEvents('poll', { connection: { url: REDIS_URL }, prefix });
  await events.waitUntilReady();
});

afterAll(async () => {
  await worker.close();
  await events.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const fastRetry = { attempts: 3, backoff: { type: 'fixed', delay: 20 } } as const;

async function settle(job: Job): Promise<Job> {
  await job.waitUntilFinished(events, 10_000).catch(() => undefined);
  const settled = await worker.queue.getJob(job.id!);
  if (!settled) throw new Error('job vanished');
  return settled;
}

describe('poll worker', () => {
  it('runs a router.poll job and returns the outcome', async () => {
    behaviour.set('good', async () => ok('good'));
    const job = await settle(await worker.queue.add(JOB_NAMES.routerPoll, { routerId: 'good' }));
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ ok: true, routerId: 'good' });
  });

  it('completes an unknown job name without doing any work', async () => {
    const before = calls.length;
    const job = await settle(await worker.queue.add('router.frobnicate', { routerId: 'good' }));
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toBeNull();
    expect(calls.length).toBe(before);
  });

  it('fails a bad payload once, without polling and without retries', async () => {
    const before = calls.length;
    const job = await settle(
      await worker.queue.add(JOB_NAMES.routerPoll, { routerId: 'good', password: 'hunter2' }, fastRetry),
    );
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('unexpected keys');
    expect(calls.length).toBe(before);
  });

  it('does not retry an authentication failure (no account lockouts)', async () => {
    behaviour.set('locked', async () => failed('locked', 'auth', false));
    const job = await settle(await worker.queue.add(JOB_NAMES.routerPoll, { routerId: 'locked' }, fastRetry));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(calls.filter((id) => id === 'locked')).toHaveLength(1);
  });

  it('retries a timeout with backoff until it succeeds', async () => {
    let attempt = 0;
    behaviour.set('flaky', async () => (++attempt < 3 ? failed('flaky', 'timeout', true) : ok('flaky')));
    const job = await settle(await worker.queue.add(JOB_NAMES.routerPoll, { routerId: 'flaky' }, fastRetry));
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(3);
  });

  it('re-syncs schedulers when the inventory-changed signal arrives', async () => {
    inventory = [{ id: 'new-router', pollIntervalSeconds: null }];
    await redis.publish(channel, 'changed');
    const deadline = Date.now() + 5_000;
    while ((await worker.queue.getJobSchedulersCount()) < 1 && Date.now() < deadline) await sleep(20);
    expect((await worker.queue.getJobSchedulers()).map((s) => s.key)).toEqual(['poll:new-router']);
    inventory = [];
    await worker.syncNow();
    expect(await worker.queue.getJobSchedulersCount()).toBe(0);
  });
});

describe('poll worker shutdown', () => {
  it('hands a poll still running after the grace period back to the queue, and closes twice safely', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    behaviour.set('slow', (signal) => {
      started();
      return new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve(failed('slow', 'cancelled', true)));
      });
    });
    const job = await worker.queue.add(JOB_NAMES.routerPoll, { routerId: 'slow' }, fastRetry);
    await running;
    await Promise.all([worker.close(), worker.close()]);
    // Handed back: waiting to run again, with no attempt spent.
    const reader = new Queue('poll', { connection: redis, prefix });
    const after = await reader.getJob(job.id!);
    expect(['delayed', 'wait']).toContain(await after?.getState());
    expect(after?.attemptsMade).toBe(0);
    await reader.close();
  });
});
