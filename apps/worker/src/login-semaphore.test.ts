import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, testRedis, uniquePrefix } from '../test/redis.js';
import { LoginSemaphore, LoginSlotTimeoutError } from './login-semaphore.js';

const prefix = uniquePrefix('semaphore');
// Two connections stand for two worker processes.
const redisA = testRedis();
const redisB = testRedis();

afterAll(async () => {
  await deleteKeys(redisA, prefix);
  redisA.disconnect();
  redisB.disconnect();
});

describe('LoginSemaphore', () => {
  it('never lets more than the cap in at once across processes', async () => {
    const options = { key: `${prefix}:cap`, max: 3, leaseMs: 10_000, retryMs: 5 };
    const semaphores = [new LoginSemaphore(redisA, options), new LoginSemaphore(redisB, options)];
    let inside = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = await semaphores[i % 2]!.acquire(10_000);
        inside++;
        peak = Math.max(peak, inside);
        await sleep(5);
        inside--;
        await release();
      }),
    );
    expect(peak).toBe(3);
    expect(await semaphores[0]!.inFlight()).toBe(0);
  });

  it('times out with a clear error when the cap stays reached', async () => {
    const semaphore = new LoginSemaphore(redisA, { key: `${prefix}:full`, max: 1, leaseMs: 10_000 });
    const release = await semaphore.acquire(100);
    await expect(semaphore.acquire(100)).rejects.toBeInstanceOf(LoginSlotTimeoutError);
    await release();
    await release(); // twice is harmless
    await (await semaphore.acquire(100))();
  });

  it('takes back the slot of a worker that died holding it once its lease expires', async () => {
    const semaphore = new LoginSemaphore(redisA, { key: `${prefix}:lease`, max: 1, leaseMs: 150 });
    await semaphore.acquire(100); // never released: the holder "was killed"
    expect(await semaphore.inFlight()).toBe(1);
    const started = Date.now();
    const release = await semaphore.acquire(2_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await release();
  });

  it('stops waiting when aborted', async () => {
    const semaphore = new LoginSemaphore(redisA, { key: `${prefix}:abort`, max: 1, leaseMs: 10_000 });
    const release = await semaphore.acquire(100);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(semaphore.acquire(5_000, controller.signal)).rejects.toThrow('stop');
    await release();
  });
});
