import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, unknownToken } from './helper.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

describe('/health and /ready', () => {
  it('/health is open and says ok', async () => {
    const res = await api.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/ready is ready once Postgres and Redis answer and the snapshot is loaded', async () => {
    const res = await api.app.inject({ url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', redis: 'ok', snapshot: 'ok' },
    });
  });
});

describe('bearer authentication', () => {
  it('refuses a missing token with 401 and a WWW-Authenticate challenge', async () => {
    const res = await api.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json()).toEqual({
      error: 'Unauthorized',
      message: expect.stringContaining('missing bearer token'),
    });
  });

  it('refuses an unknown token and a malformed header with 401', async () => {
    for (const authorization of [`Bearer ${unknownToken()}`, 'Basic dXNlcjpwdw==']) {
      const res = await api.app.inject({ url: '/sd', headers: { authorization } });
      expect(res.statusCode).toBe(401);
    }
  });

  it('refuses a revoked or expired token', async () => {
    const revoked = await api.bearer(['read']);
    const expired = await api.bearer(['read']);
    const prisma = api.database.db.prisma;
    const [r, e] = await prisma.apiToken.findMany({ orderBy: { createdAt: 'desc' }, take: 2 });
    await prisma.apiToken.update({ where: { id: e!.id }, data: { revokedAt: new Date() } });
    await prisma.apiToken.update({ where: { id: r!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const authorization of [revoked, expired]) {
      expect((await api.app.inject({ url: '/sd', headers: { authorization } })).statusCode).toBe(401);
    }
  });

  it.each([
    [60_000, 0, 200],
    [300, 350, 401],
  ])(
    'with tokenCacheMs %i, a token revoked after use and tried %i ms later → %i',
    async (ttl, wait, status) => {
      const cached = await startTestApi({ tokenCacheMs: ttl });
      try {
        const authorization = await cached.bearer(['read']);
        const sd = () => cached.app.inject({ url: '/sd', headers: { authorization } });
        expect((await sd()).statusCode).toBe(200);
        await cached.database.db.prisma.apiToken.updateMany({ data: { revokedAt: new Date() } });
        await new Promise((resolve) => setTimeout(resolve, wait));
        expect((await sd()).statusCode).toBe(status);
      } finally {
        await cached.close();
      }
    },
  );

  it('refuses a token without the needed scope with 403 naming the scope', async () => {
    const res = await api.app.inject({
      url: '/metrics',
      headers: { authorization: await api.bearer(['write']) },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('"read"');
  });

  it('accepts a token with the scope', async () => {
    const res = await api.app.inject({ url: '/sd', headers: { authorization: await api.bearer(['read']) } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
  });
});
