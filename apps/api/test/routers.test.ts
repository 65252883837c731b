import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helper.js';

let api: TestApi;
let read: string;
let write: string;
let operate: string;

beforeAll(async () => {
  api = await startTestApi();
  read = await api.bearer(['read']);
  write = await api.bearer(['write']);
  operate = await api.bearer(['operate']);
});
afterAll(() => api?.close());

const post = (url: string, payload: object, authorization = write) =>
  api.app.inject({ method: 'POST', url, payload, headers: { authorization } });
const get = (url: string) => api.app.inject({ url, headers: { authorization: read } });

describe('routers CRUD', () => {
  it('creates a router (201) and returns it with defaults', async () => {
    const res = await post('/api/v1/routers', {
      name: 'hq-1',
      host: '192.0.2.1',
      platform: 'iosxe',
      tags: ['core'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'hq-1',
      host: '192.0.2.1',
      port: 22,
      platform: 'iosxe',
      tags: ['core'],
      enabled: true,
      credentialName: null,
      lastPollAt: null,
    });
    expect(Date.parse(res.json().createdAt)).not.toBeNaN();
  });

  it('gets, lists with filters and pages by cursor', async () => {
    for (const name of ['br-1', 'br-2', 'br-3']) {
      await post('/api/v1/routers', { name, host: `${name}.example`, platform: 'ios', site: 'branch' });
    }
    expect((await get('/api/v1/routers/br-2')).json()).toMatchObject({ name: 'br-2', site: 'branch' });
    const first = (await get('/api/v1/routers?site=branch&limit=2')).json();
    expect(first.items.map((r: { name: string }) => r.name)).toEqual(['br-1', 'br-2']);
    const second = (await get(`/api/v1/routers?site=branch&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ name: 'br-3' }], nextCursor: null });
    expect(
      (await get('/api/v1/routers?platform=iosxe')).json().items.map((r: { name: string }) => r.name),
    ).toEqual(['hq-1']);
  });

  it('updates some fields (PATCH), renames, and 404s an unknown router', async () => {
    const res = await api.app.inject({
      method: 'PATCH',
      url: '/api/v1/routers/br-3',
      payload: { enabled: false, pollIntervalSeconds: 30, name: 'br-3b' },
      headers: { authorization: write },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'br-3b', enabled: false, pollIntervalSeconds: 30 });
    const missing = await api.app.inject({
      method: 'PATCH',
      url: '/api/v1/routers/nope',
      payload: { enabled: false },
      headers: { authorization: write },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'Not Found', message: 'router nope not found' });
  });

  it('deletes (204) and then 404s', async () => {
    const del = () =>
      api.app.inject({ method: 'DELETE', url: '/api/v1/routers/br-3b', headers: { authorization: write } });
    expect((await del()).statusCode).toBe(204);
    expect((await del()).statusCode).toBe(404);
    expect((await get('/api/v1/routers/br-3b')).statusCode).toBe(404);
  });

  it('409 for a name that exists', async () => {
    const res = await post('/api/v1/routers', { name: 'hq-1', host: 'x', platform: 'ios' });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('already exists');
  });

  it('400 naming the credential a new router refers to when it does not exist', async () => {
    const res = await post('/api/v1/routers', {
      name: 'hq-2',
      host: 'x',
      platform: 'ios',
      credentialName: 'ghost',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('body/credentialName');
  });

  it.each([
    [{ host: 'x', platform: 'ios' }, 'body/name is required'],
    [{ name: 'bad name', host: 'x', platform: 'ios' }, 'body/name must match pattern'],
    [{ name: 'r', platform: 'ios' }, 'body/host is required'],
    [{ name: 'r', host: 'x', platform: 'junos' }, 'body/platform'],
    [{ name: 'r', host: 'x', platform: 'ios', port: 70000 }, 'body/port must be <= 65535'],
    [{ name: 'r', host: 'x', platform: 'ios', pollIntervalSeconds: 1 }, 'body/pollIntervalSeconds'],
    [{ name: 'r', host: 'x', platform: 'ios', tags: 'core' }, 'body/tags must be array'],
    [{ name: 'r', host: 'x', platform: 'ios', password: 'p' }, 'body must not have the property "password"'],
  ])('400 for %j: %s', async (payload, message) => {
    const res = await post('/api/v1/routers', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Bad Request', message: expect.stringContaining(message) });
  });

  it.each([
    ['/api/v1/routers?limit=0', 'query/limit must be >= 1'],
    ['/api/v1/routers?platform=junos', 'query/platform'],
    ['/api/v1/routers?cursor=garbage', 'query/cursor'],
    ['/api/v1/routers/bad%20name', 'params/name must match pattern'],
  ])('400 for GET %s: %s', async (url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it('answers malformed and over-long URLs in the same error shape', async () => {
    const long = await get(`/api/v1/routers/${'a'.repeat(300)}`);
    expect(long.statusCode).toBe(414);
    expect(long.json()).toEqual({
      error: 'URI Too Long',
      message: 'a path parameter is longer than 100 characters',
    });
    const bad = await get('/api/v1/routers/%E0%A4%A');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json()).sort()).toEqual(['error', 'message']);
  });

  it('400 for an empty PATCH and for malformed JSON', async () => {
    const empty = await api.app.inject({
      method: 'PATCH',
      url: '/api/v1/routers/hq-1',
      payload: {},
      headers: { authorization: write },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('body must NOT have fewer than 1 properties');
    const broken = await api.app.inject({
      method: 'POST',
      url: '/api/v1/routers',
      payload: '{"name": ',
      headers: { authorization: write, 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe('Bad Request');
  });
});

describe('bulk import', () => {
  const yaml = `credentials:
  - name: lab
    username: admin
    password: s3cret
routers:
  - name: imp-1
    host: 127.0.0.2
    platform: ios
    credential: lab
  - name: bad one
    host: 127.0.0.3
    platform: ios
`;
  const importAs = (body: string, type: string) =>
    api.app.inject({
      method: 'POST',
      url: '/api/v1/routers/import',
      payload: body,
      headers: { authorization: write, 'content-type': type },
    });

  it('imports YAML: good rows go in, bad rows are reported by line and field', async () => {
    const res = await importAs(yaml, 'application/yaml');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      routers: { created: 1, updated: 0, unchanged: 0 },
      credentials: { created: 1 },
      problems: [{ line: 10, name: 'bad one', field: 'name' }],
    });
    expect((await get('/api/v1/routers/imp-1')).json()).toMatchObject({ credentialName: 'lab' });
    // Idempotent: the same file again changes nothing.
    expect((await importAs(yaml, 'application/yaml')).json().routers).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
    });
  });

  it('imports CSV', async () => {
    const res = await importAs('name,host,platform\nimp-csv,10.0.0.9,asa\n', 'text/csv');
    expect(res.statusCode).toBe(200);
    expect(res.json().routers.created).toBe(1);
    expect((await get('/api/v1/routers/imp-csv')).json()).toMatchObject({ platform: 'asa' });
  });

  it('415 for another content type, 400 for an empty body', async () => {
    expect((await importAs('{"a":1}', 'application/json')).statusCode).toBe(400);
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/routers/import',
      payload: 'name,host',
      headers: { authorization: write, 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(415);
    expect((await importAs('', 'text/csv')).statusCode).toBe(400);
  });
});

describe('poll now, raw outputs, host keys', () => {
  it('queues a router.poll job carrying the router id only (202)', async () => {
    const res = await post('/api/v1/routers/hq-1/poll', {}, operate);
    expect(res.statusCode).toBe(202);
    const job = await api.pollQueue.getJob(res.json().jobId);
    const router = (await get('/api/v1/routers/hq-1')).json();
    expect(job?.name).toBe('router.poll');
    expect(job?.data).toEqual({ routerId: router.id });
    expect((await post('/api/v1/routers/nope/poll', {}, operate)).statusCode).toBe(404);
  });

  it('serves the last raw output of each command', async () => {
    const router = (await get('/api/v1/routers/hq-1')).json();
    const now = new Date();
    await api.app.repos.polls.save(router.id, {
      status: 'failed',
      reason: 'parse',
      startedAt: now,
      finishedAt: now,
      bytesRead: 5,
      rawOutputs: { 'show crypto ipsec sa': 'garbage' },
    });
    const res = await get('/api/v1/routers/hq-1/raw');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      {
        command: 'show crypto ipsec sa',
        output: 'garbage',
        polledAt: expect.any(String),
        pollId: expect.any(String),
      },
    ]);
    expect((await get('/api/v1/routers/nope/raw')).statusCode).toBe(404);
  });

  it('accepts a changed host key (operate), 409 when none is pending, 404 for an unknown router', async () => {
    const router = (await get('/api/v1/routers/hq-1')).json();
    const accept = () => post('/api/v1/routers/hq-1/host-key/accept', {}, operate);
    expect((await accept()).statusCode).toBe(409);
    await api.app.repos.routers.checkHostKey(router.id, 'ssh-ed25519 AAAAold');
    await api.app.repos.routers.checkHostKey(router.id, 'ssh-ed25519 AAAAnew');
    expect((await get('/api/v1/routers/hq-1')).json().pendingHostKey).toBe('ssh-ed25519 AAAAnew');
    const res = await accept();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ hostKey: 'ssh-ed25519 AAAAnew', pendingHostKey: null });
    expect((await post('/api/v1/routers/nope/host-key/accept', {}, operate)).statusCode).toBe(404);
    const audit = await api.app.repos.auditLog.list({ action: 'router.host-key.accept' });
    expect(audit.items[0]).toMatchObject({ target: 'hq-1', detail: { previous: 'ssh-ed25519 AAAAold' } });
  });
});

describe('credentials', () => {
  it('stores a credential and never returns a secret', async () => {
    const res = await post('/api/v1/credentials', {
      name: 'noc',
      username: 'netops',
      secret: 'hunter2',
      enableSecret: 'en4ble',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'noc',
      username: 'netops',
      hasSecret: true,
      hasEnableSecret: true,
      hasPrivateKey: false,
    });
    for (const body of [
      res.body,
      (await get('/api/v1/credentials')).body,
      (await get('/api/v1/credentials/noc')).body,
    ]) {
      expect(body).not.toContain('hunter2');
      expect(body).not.toContain('en4ble');
    }
    // Encrypted at rest.
    const row = await api.database.db.pool.query(
      'SELECT secret_encrypted::text AS s FROM credentials WHERE name = $1',
      ['noc'],
    );
    expect(row.rows[0].s).not.toContain('hunter2');
  });

  it('lists, gets, 404s, 409s and deletes', async () => {
    expect((await get('/api/v1/credentials')).json().items.map((c: { name: string }) => c.name)).toContain(
      'noc',
    );
    expect((await get('/api/v1/credentials/ghost')).statusCode).toBe(404);
    expect((await post('/api/v1/credentials', { name: 'noc', username: 'x' })).statusCode).toBe(409);
    await post('/api/v1/routers', { name: 'uses-noc', host: 'x', platform: 'ios', credentialName: 'noc' });
    const del = () =>
      api.app.inject({ method: 'DELETE', url: '/api/v1/credentials/noc', headers: { authorization: write } });
    expect((await del()).statusCode).toBe(409);
    await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/routers/uses-noc',
      headers: { authorization: write },
    });
    expect((await del()).statusCode).toBe(204);
    expect((await del()).statusCode).toBe(404);
  });

  it.each([
    [{ username: 'u' }, 'body/name is required'],
    [{ name: 'c', username: '' }, 'body/username must NOT have fewer than 1 characters'],
    [{ name: 'c', username: 'u', secret: 7 }, 'body/secret'],
    [{ name: 'c', username: 'u', token: 'x' }, 'body must not have the property "token"'],
  ])('400 for %j: %s', async (payload, message) => {
    const res = await post('/api/v1/credentials', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it('503 naming the missing key when the API has no secret key', async () => {
    const keyless = await startTestApi({ secretKey: null });
    try {
      const res = await keyless.app.inject({
        method: 'POST',
        url: '/api/v1/credentials',
        payload: { name: 'c', username: 'u', secret: 'x' },
        headers: { authorization: await keyless.bearer(['write']) },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toContain('TUNNELWATCH_SECRET_KEY');
    } finally {
      await keyless.close();
    }
  });
});
