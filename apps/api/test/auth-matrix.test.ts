import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, unknownToken } from './helper.js';
import { fill, ROUTES, SCOPES } from './routes.js';

let api: TestApi;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  // The failure limit is what these tests provoke on purpose; it has its own test file.
  api = await startTestApi({ failedAuthPerMinute: 100_000 });
  for (const scope of SCOPES) tokens[scope] = await api.bearer([scope]);
});
afterAll(() => api?.close());

const target = { name: 'edge-1', id: randomUUID() };

describe.each(ROUTES)('$method $url', (route) => {
  const url = fill(route.url, target);
  const request = (authorization?: string) =>
    api.app.inject({
      method: route.method,
      url,
      ...(route.payload !== undefined ? { payload: route.payload as object } : {}),
      ...(authorization ? { headers: { authorization } } : {}),
    });

  it('401 without a token', async () => {
    const res = await request();
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'Unauthorized', message: expect.any(String) });
  });

  it('401 with a token that was never issued', async () => {
    expect((await request(`Bearer ${unknownToken()}`)).statusCode).toBe(401);
  });

  it(`403 with every token but a "${route.scope}" one`, async () => {
    for (const scope of SCOPES.filter((s) => s !== route.scope)) {
      const res = await request(tokens[scope]);
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toContain(route.scope);
    }
  });

  it('gets past authentication with the right scope', async () => {
    const res = await request(tokens[route.scope]);
    expect([401, 403]).not.toContain(res.statusCode);
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe('open endpoints', () => {
  it('/health, /ready and /docs need no token', async () => {
    for (const url of ['/health', '/ready', '/docs/json']) {
      expect((await api.app.inject({ url })).statusCode).toBe(200);
    }
  });

  it('/metrics and /sd are open with metricsPublic', async () => {
    const open = await startTestApi({ metricsPublic: true });
    try {
      expect((await open.app.inject({ url: '/metrics' })).statusCode).toBe(200);
      expect((await open.app.inject({ url: '/sd' })).statusCode).toBe(200);
      expect((await open.app.inject({ url: '/api/v1/routers' })).statusCode).toBe(401);
    } finally {
      await open.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents every route with a bearer security scheme and no secret in any response', async () => {
    const doc = (await api.app.inject({ url: '/docs/json' })).json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const route of ROUTES) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
    const credential = JSON.stringify(doc.paths['/api/v1/credentials'].get.responses['200']);
    expect(credential).not.toMatch(/"(secret|enableSecret|privateKey|password)"/);
  });
});
