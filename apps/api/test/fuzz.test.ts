import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helper.js';
import { fill, ROUTES } from './routes.js';

/**
 * Random params, query strings and bodies against every route with a token that has every scope: whatever
 * arrives, the answer is a JSON error or a success, never a 5xx, and it comes back (each request is bounded
 * by inject's own timeout and the runs are few).
 */
let api: TestApi;
let all: string;

beforeAll(async () => {
  api = await startTestApi({ writesPerMinute: 1_000_000 });
  all = await api.bearer(['read', 'write', 'operate']);
  await api.app.repos.routers.create({ name: 'edge-1', host: '192.0.2.1', platform: 'ios' });
});
afterAll(() => api?.close());

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '%00',
    '\u0000',
    'edge-1',
    '-1',
    '1e309',
    'null',
    '[]',
    '{}',
    'a'.repeat(600),
  ),
);
const json = fc.jsonValue({ maxDepth: 3 });
const query = fc.dictionary(
  fc.constantFrom(
    'limit',
    'cursor',
    'router',
    'state',
    'peer',
    'vrf',
    'expiringWithin',
    'shard',
    'shards',
    'kind',
    'since',
    'until',
    'tunnel',
    'status',
    'reason',
    'platform',
    'tag',
    'enabled',
    'x',
  ),
  text,
  { maxKeys: 4 },
);

describe.each(ROUTES)('fuzz $method $url', (route) => {
  it('never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, query, fc.oneof(json, text), async (name, id, q, body) => {
        const search = new URLSearchParams(q).toString();
        const url = `${fill(route.url, { name, id })}${search ? `?${search}` : ''}`;
        const res = await api.app.inject({
          method: route.method,
          url,
          headers: {
            authorization: all,
            'content-type':
              typeof body === 'string' && route.url.endsWith('import') ? 'text/csv' : 'application/json',
          },
          ...(route.method === 'GET'
            ? {}
            : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
        });
        if (res.statusCode >= 500) throw new Error(`${route.method} ${url} → ${res.statusCode} ${res.body}`);
        if (res.statusCode >= 400) expect(Object.keys(res.json()).sort()).toEqual(['error', 'message']);
      }),
      { numRuns: 25, interruptAfterTimeLimit: 20_000 },
    );
  });
});
