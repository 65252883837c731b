import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helper.js';

/** The same app over a real socket: what Prometheus, curl and scripts see. */
let api: TestApi;
let base: string;
let read: string;
let write: string;

beforeAll(async () => {
  api = await startTestApi({ writesPerMinute: 3 });
  read = await api.bearer(['read']);
  write = await api.bearer(['write']);
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const address = api.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => api?.close());

describe('over HTTP', () => {
  it('serves /metrics in the Prometheus text format and /sd targets on its own address', async () => {
    await api.app.repos.routers.create({ name: 'edge-1', host: '192.0.2.1', platform: 'ios' });
    await api.app.syncInventory();
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: read } });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await metrics.text()).toContain('tunnelwatch_router_up{router="edge-1"} 0');
    const sd = await fetch(`${base}/sd`, { headers: { authorization: read } });
    expect(await sd.json()).toEqual([
      { targets: [new URL(base).host], labels: { __param_router: 'edge-1', router: 'edge-1' } },
    ]);
  });

  it('answers JSON errors with the right status', async () => {
    const res = await fetch(`${base}/api/v1/routers/nope`, { headers: { authorization: read } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'Not Found', message: 'router nope not found' });
  });

  it('limits writes per token (429 with Retry-After), not reads', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${base}/api/v1/routers`, {
        method: 'POST',
        headers: { authorization: write, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `w-${i}`, host: '192.0.2.9', platform: 'ios' }),
      });
      codes.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await res.json()).toMatchObject({ error: 'Too Many Requests' });
      }
    }
    expect(codes).toEqual([201, 201, 201, 429]);
    // Another token has its own budget; reads are not limited.
    const other = await api.bearer(['write']);
    const res = await fetch(`${base}/api/v1/routers/w-0`, {
      method: 'DELETE',
      headers: { authorization: other },
    });
    expect(res.status).toBe(204);
    for (let i = 0; i < 5; i++) {
      expect((await fetch(`${base}/api/v1/routers`, { headers: { authorization: read } })).status).toBe(200);
    }
  });

  it('serves the OpenAPI UI at /docs', async () => {
    const res = await fetch(`${base}/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger');
  });
});
