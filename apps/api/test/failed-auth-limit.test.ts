import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, unknownToken } from './helper.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ failedAuthPerMinute: 5 });
});
afterAll(() => api?.close());

describe('failed-authentication limit', () => {
  it('refuses a client with 429 and Retry-After after too many failures, even with a good token', async () => {
    const good = await api.bearer(['read']);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api.app.inject({
        url: '/sd',
        headers: { authorization: `Bearer ${unknownToken()}` },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const res = await api.app.inject({ url: '/sd', headers: { authorization: good } });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Open routes stay open.
    expect((await api.app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
