import { createHash } from 'node:crypto';
import { JOB_NAMES, type RouterPollPayload } from '@tunnelwatch/model';
import type { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, routerIdOfScheduler, schedulerIdFor } from './jobs.js';

/** What the scheduler needs to know of an enabled router. */
export type ScheduledRouter = { id: string; pollIntervalSeconds: number | null };

export type SchedulerSyncResult = { upserted: number; removed: number; unchanged: number };

/**
 * Where in its interval a router is polled: a stable hash of its id. Without it every scheduler created in
 * the same second (start-up, an import, a Redis flush) would fire in the same second forever after, and
 * 10,000 routers would queue up at once every interval instead of arriving at an even rate.
 */
export function offsetFor(routerId: string, everyMs: number): number {
  const hash = createHash('sha1').update(routerId).digest().readUInt32BE(0);
  // BullMQ treats offset 0 as "none" and then runs the first job at once: keep it ≥ 1.
  return 1 + (hash % (everyMs - 1));
}

/**
 * Makes the `poll` queue's job schedulers match the enabled routers: one `poll:<routerId>` scheduler each,
 * every `pollIntervalSeconds` (or the default), and none for routers that were deleted or disabled.
 * Only differences are written, so running it often, from many workers at once, is cheap and idempotent.
 */
export async function syncSchedulers(
  queue: Queue,
  routers: readonly ScheduledRouter[],
  defaultEveryMs: number,
  batchSize = 200,
): Promise<SchedulerSyncResult> {
  const existing = new Map<string, { every?: number; offset?: number }>();
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    existing.set(scheduler.key, scheduler);
  }
  const wanted = new Set<string>();
  const upserts: (() => Promise<unknown>)[] = [];
  let unchanged = 0;
  for (const router of routers) {
    const id = schedulerIdFor(router.id);
    wanted.add(id);
    const every = router.pollIntervalSeconds ? router.pollIntervalSeconds * 1000 : defaultEveryMs;
    const offset = offsetFor(router.id, every);
    const current = existing.get(id);
    if (current?.every === every && current.offset === offset) {
      unchanged++;
      continue;
    }
    const data: RouterPollPayload = { routerId: router.id };
    upserts.push(() =>
      queue.upsertJobScheduler(
        id,
        { every, offset },
        { name: JOB_NAMES.routerPoll, data, opts: DEFAULT_JOB_OPTIONS },
      ),
    );
  }
  const removals: (() => Promise<unknown>)[] = [];
  for (const id of existing.keys()) {
    if (!wanted.has(id) && routerIdOfScheduler(id) !== null) {
      removals.push(() => queue.removeJobScheduler(id));
    }
  }
  await runInBatches([...upserts, ...removals], batchSize);
  return { upserted: upserts.length, removed: removals.length, unchanged };
}

async function runInBatches(tasks: (() => Promise<unknown>)[], size: number): Promise<void> {
  for (let i = 0; i < tasks.length; i += size) {
    await Promise.all(tasks.slice(i, i + size).map((task) => task()));
  }
}
