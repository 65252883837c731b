import { JOB_NAMES } from '@tunnelwatch/model';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, testRedis, uniquePrefix } from '../test/redis.js';
import { offsetFor, syncSchedulers } from './scheduler-sync.js';

const prefix = uniquePrefix('sync');
const redis = testRedis();
const queue = new Queue('poll', { connection: redis, prefix });

afterAll(async () => {
  await queue.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const routers = [
  { id: 'r-1', pollIntervalSeconds: null },
  { id: 'r-2', pollIntervalSeconds: 30 },
  { id: 'r-3', pollIntervalSeconds: null },
];

async function schedulers() {
  const list = await queue.getJobSchedulers(0, -1);
  return new Map(list.map((s) => [s.key, s]));
}

describe('syncSchedulers', () => {
  it('creates one scheduler per enabled router, carrying only the router id', async () => {
    expect(await syncSchedulers(queue, routers, 60_000)).toEqual({ upserted: 3, removed: 0, unchanged: 0 });
    const byId = await schedulers();
    expect([...byId.keys()].sort()).toEqual(['poll:r-1', 'poll:r-2', 'poll:r-3']);
    expect(byId.get('poll:r-1')).toMatchObject({
      every: 60_000,
      offset: offsetFor('r-1', 60_000),
      name: JOB_NAMES.routerPoll,
    });
    expect(byId.get('poll:r-2')?.every).toBe(30_000);
    expect(byId.get('poll:r-3')?.template?.data).toEqual({ routerId: 'r-3' });
    expect(await queue.getJobCountByTypes('delayed', 'wait')).toBe(3);
  });

  it('is idempotent: a second run writes nothing and makes no extra jobs', async () => {
    expect(await syncSchedulers(queue, routers, 60_000)).toEqual({ upserted: 0, removed: 0, unchanged: 3 });
    expect(await queue.getJobCountByTypes('delayed', 'wait')).toBe(3);
  });

  it('follows an interval change and drops deleted or disabled routers', async () => {
    const changed = [{ id: 'r-1', pollIntervalSeconds: 120 }, routers[1]!];
    expect(await syncSchedulers(queue, changed, 60_000)).toEqual({ upserted: 1, removed: 1, unchanged: 1 });
    const byId = await schedulers();
    expect([...byId.keys()].sort()).toEqual(['poll:r-1', 'poll:r-2']);
    expect(byId.get('poll:r-1')?.every).toBe(120_000);
    expect(await queue.getJobCountByTypes('delayed', 'wait')).toBe(2);
  });

  it('leaves schedulers that are not per-router alone', async () => {
    await queue.upsertJobScheduler('retention', { every: 3_600_000 }, { name: 'retention.run' });
    await syncSchedulers(queue, [], 60_000);
    expect([...(await schedulers()).keys()]).toEqual(['retention']);
  });
});

describe('offsetFor', () => {
  it('spreads routers over the whole interval, stably', () => {
    const offsets = Array.from({ length: 1000 }, (_, i) => offsetFor(`router-${i}`, 60_000));
    expect(offsetFor('router-1', 60_000)).toBe(offsets[1]);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...offsets)).toBeLessThan(60_000);
    // Each of the six 10 s slices holds roughly a sixth (a bunched start would put them all in one).
    const slices = Array.from(
      { length: 6 },
      (_, s) => offsets.filter((o) => Math.floor(o / 10_000) === s).length,
    );
    for (const count of slices) expect(count).toBeGreaterThan(120);
  });
});
