import { PassThrough } from 'node:stream';
import { createLogger } from '@tunnelwatch/config';
import { RoutersRepository, savePollResult } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, testRedis, uniquePrefix } from '../test/redis.js';
import { type RetentionLoop, startRetentionLoop } from './retention-loop.js';

let database: TestDatabase;
let redis: Redis;
const prefixes: string[] = [];
const loops: RetentionLoop[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  redis = testRedis();
});
afterAll(async () => {
  await Promise.all(loops.map((loop) => loop.close()));
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis?.disconnect();
  await database?.drop();
});

/** A logger whose lines (JSON, debug and up) the test reads back as messages. */
function capturingLogger() {
  const stream = new PassThrough();
  const messages: string[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) messages.push(JSON.parse(line).msg);
  });
  return { logger: createLogger({ level: 'debug', pretty: false, destination: stream }), messages };
}

function start(prefix: string, everyMs?: number) {
  const { logger, messages } = capturingLogger();
  const loop = startRetentionLoop({
    db: database.db,
    redisUrl: REDIS_URL,
    logger,
    prefix,
    retentionDays: 7,
    ...(everyMs === undefined ? {} : { everyMs }),
  });
  loops.push(loop);
  return { loop, messages };
}

const APPLIED = 'retention applied';
const SKIPPED = 'retention: another worker ran it recently, skipping';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('startRetentionLoop', () => {
  it('applies the retention at start: polls older than retentionDays go, recent ones stay', async () => {
    const router = await new RoutersRepository(database.db).create({ name: 'r', host: 'h', platform: 'ios' });
    const now = Date.now();
    for (const ageDays of [30, 8, 6, 0]) {
      const at = new Date(now - ageDays * 86_400_000);
      await savePollResult(database.db, router.id, {
        status: 'failed',
        reason: 'timeout',
        startedAt: at,
        finishedAt: at,
        bytesRead: 0,
      });
    }
    const prefix = uniquePrefix('retention');
    prefixes.push(prefix);
    const { loop, messages } = start(prefix);
    await until(() => messages.includes(APPLIED));
    await loop.close();
    const { rows } = await database.db.pool.query<{ age: number }>(
      `SELECT round(extract(epoch FROM now() - started_at) / 86400)::int AS age FROM polls
       WHERE router_id = $1 ORDER BY started_at`,
      [router.id],
    );
    expect(rows.map((row) => row.age)).toEqual([6, 0]);
  });

  it('runs in one of two loops started together; the other skips', async () => {
    const prefix = uniquePrefix('retention');
    prefixes.push(prefix);
    const first = start(prefix);
    const second = start(prefix);
    const settled = (messages: string[]) => messages.includes(APPLIED) || messages.includes(SKIPPED);
    await until(() => settled(first.messages) && settled(second.messages));
    expect(
      [...first.messages, ...second.messages].filter((m) => m === APPLIED || m === SKIPPED).sort(),
    ).toEqual([APPLIED, SKIPPED]);
    // The claim expires before the next hourly tick (one hour minus 10%).
    const ttl = await redis.pttl(`${prefix}:retention:claim`);
    expect(ttl).toBeGreaterThan(3_000_000);
    expect(ttl).toBeLessThanOrEqual(3_240_000);
    await Promise.all([first.loop.close(), second.loop.close()]);
  });

  it('runs again at every tick once its claim has expired, and not after close', async () => {
    const prefix = uniquePrefix('retention');
    prefixes.push(prefix);
    const { loop, messages } = start(prefix, 300);
    await until(() => messages.filter((m) => m === APPLIED).length >= 3);
    await loop.close();
    const count = messages.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(messages.length).toBe(count);
  });
});
