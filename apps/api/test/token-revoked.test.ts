import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createLogger } from '@tunnelwatch/config';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, startTestApi, type TestApi } from './helper.js';

// A cache lifetime far beyond the polls below: only the revocation message can make a cached token fail.
const TOKEN_CACHE_MS = 60_000;

let api: TestApi;
let publisher: Redis;
const logLines: { level: number; msg: string; channel?: string; tokenId?: string }[] = [];

beforeAll(async () => {
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line));
  });
  const logger = createLogger({ level: 'info', pretty: false, destination });
  api = await startTestApi({ tokenCacheMs: TOKEN_CACHE_MS }, { logger });
  publisher = new Redis(REDIS_URL);
});
afterAll(async () => {
  await publisher?.quit();
  await api?.close();
});

/** A read token used once, so the API has it in its verified-token cache. */
async function cachedToken() {
  const { token, view } = await api.app.repos.apiTokens.create({
    name: `t-${randomUUID()}`,
    scopes: ['read'],
  });
  const get = () => api.app.inject({ url: '/sd', headers: { authorization: `Bearer ${token}` } });
  expect((await get()).statusCode).toBe(200);
  return { view, get };
}

const publish = (message: string) => publisher.publish(api.options.tokenRevokedChannel!, message);

describe('token revocation across processes', () => {
  it('a cached token is refused at once after its id is published, not after the cache lifetime', async () => {
    const { view, get } = await cachedToken();
    await api.app.repos.apiTokens.revoke(view.name);
    // Still trusted from the cache: the database write alone does not reach this process.
    expect((await get()).statusCode).toBe(200);
    expect(await publish(view.id)).toBe(1);
    await expect.poll(async () => (await get()).statusCode, { timeout: 5000, interval: 50 }).toBe(401);
    expect(logLines).toContainEqual(expect.objectContaining({ tokenId: view.id, msg: expect.any(String) }));
  });

  it('an unknown id is harmless: other cached tokens keep working', async () => {
    const { view, get } = await cachedToken();
    const unknown = randomUUID();
    await publish(unknown);
    await expect.poll(() => logLines.some((l) => l.tokenId === unknown), { timeout: 5000 }).toBe(true);
    expect((await get()).statusCode).toBe(200);
    // And it is still the cached view (revoked in Postgres, not yet announced), so nothing was cleared.
    await api.app.repos.apiTokens.revoke(view.name);
    expect((await get()).statusCode).toBe(200);
  });

  it('a malformed message is ignored with a warning that does not repeat it; later ones still work', async () => {
    const { view, get } = await cachedToken();
    const secretLooking = 'tw_not-an-id-but-maybe-a-token';
    await publish(secretLooking);
    await expect
      .poll(() => logLines.find((l) => l.msg.includes('malformed token-revoked')), { timeout: 5000 })
      .toMatchObject({ level: 40, channel: api.options.tokenRevokedChannel });
    expect(JSON.stringify(logLines)).not.toContain(secretLooking);
    expect((await get()).statusCode).toBe(200);
    await api.app.repos.apiTokens.revoke(view.name);
    await publish(view.id);
    await expect.poll(async () => (await get()).statusCode, { timeout: 5000, interval: 50 }).toBe(401);
  });
});
