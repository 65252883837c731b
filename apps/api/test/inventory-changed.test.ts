import { setTimeout as sleep } from 'node:timers/promises';
import type { InjectOptions } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, startTestApi, type TestApi } from './helper.js';

/**
 * Workers re-sync their poll schedulers when the inventory-changed channel speaks (polling.md "Schedules"):
 * every API change to the router inventory must announce itself there, or a disabled router keeps being polled
 * (and a new one waits) until the workers' next periodic sync.
 */
let api: TestApi;
let write: string;
let subscriber: Redis;
const messages: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  write = await api.bearer(['write']);
  subscriber = new Redis(REDIS_URL);
  subscriber.on('message', (channel: string) => messages.push(channel));
  await subscriber.subscribe(api.options.inventoryChangedChannel!);
});
afterAll(async () => {
  await subscriber?.quit();
  await api?.close();
});

/** Sends the request, then waits for exactly one more announcement (none arrives for a failed change). */
async function expectAnnounced(request: InjectOptions, statusCode: number) {
  const before = messages.length;
  const res = await api.app.inject(request);
  expect(res.statusCode, res.body).toBe(statusCode);
  for (let waited = 0; messages.length === before && waited < 2_000; waited += 20) await sleep(20);
  expect(messages.length - before, `announcements after ${JSON.stringify(request)}`).toBe(1);
}

describe('inventory changes announce themselves to the workers', () => {
  it('on create, enable/disable, interval change, delete and import', async () => {
    const headers = { authorization: write };
    await expectAnnounced(
      {
        method: 'POST',
        url: '/api/v1/routers',
        headers,
        payload: { name: 'r1', host: '192.0.2.1', platform: 'ios' },
      },
      201,
    );
    await expectAnnounced(
      { method: 'PATCH', url: '/api/v1/routers/r1', headers, payload: { enabled: false } },
      200,
    );
    await expectAnnounced(
      { method: 'PATCH', url: '/api/v1/routers/r1', headers, payload: { pollIntervalSeconds: 30 } },
      200,
    );
    await expectAnnounced({ method: 'DELETE', url: '/api/v1/routers/r1', headers }, 204);
    await expectAnnounced(
      {
        method: 'POST',
        url: '/api/v1/routers/import',
        headers: { ...headers, 'content-type': 'application/yaml' },
        payload:
          'routers:\n  - name: r2\n    host: 192.0.2.2\n    platform: asa\n    username: u\n    password: p\n',
      },
      200,
    );
    // A change that did not happen is not announced.
    const before = messages.length;
    const missing = await api.app.inject({ method: 'DELETE', url: '/api/v1/routers/nope', headers });
    expect(missing.statusCode).toBe(404);
    await sleep(200);
    expect(messages.length).toBe(before);
  });
});
