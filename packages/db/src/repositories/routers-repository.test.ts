import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, InvalidCursorError, NotFoundError } from '../errors.js';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { RoutersRepository } from './routers-repository.js';

let t: TestDatabase;
let routers: RoutersRepository;

beforeAll(async () => {
  t = await createTestDatabase();
  routers = new RoutersRepository(t.db);
});
afterAll(async () => {
  await t?.drop();
});

describe('routers', () => {
  it('creates, finds, updates and deletes by name; names are unique', async () => {
    const created = await routers.create({
      name: 'edge-1',
      host: '192.0.2.1',
      platform: 'iosxe',
      tags: ['dc1'],
    });
    expect(created).toMatchObject({
      port: 22,
      enabled: true,
      pollIntervalSeconds: null,
      credentialName: null,
    });
    await expect(routers.create({ name: 'edge-1', host: 'x', platform: 'ios' })).rejects.toThrow(
      ConflictError,
    );
    await expect(
      routers.create({ name: 'edge-x', host: 'x', platform: 'ios', credentialName: 'nope' }),
    ).rejects.toThrow(/credential nope not found/);
    const updated = await routers.update('edge-1', { port: 2222, enabled: false, site: 'fra' });
    expect(updated).toMatchObject({ name: 'edge-1', port: 2222, enabled: false, site: 'fra', tags: ['dc1'] });
    await expect(routers.update('missing', { port: 1 })).rejects.toThrow(NotFoundError);
    await routers.delete('edge-1');
    expect(await routers.getByName('edge-1')).toBeNull();
    await expect(routers.delete('edge-1')).rejects.toThrow(NotFoundError);
  });

  it('lists by name with filters and cursor paging, and lists enabled routers for the scheduler', async () => {
    for (let i = 0; i < 7; i++) {
      await routers.create({
        name: `page-${i}`,
        host: `h${i}`,
        platform: 'ios',
        enabled: i % 2 === 0,
        pollIntervalSeconds: i === 0 ? 30 : null,
      });
    }
    const first = await routers.list({ limit: 3 });
    expect(first.items.map((r) => r.name)).toEqual(['page-0', 'page-1', 'page-2']);
    const second = await routers.list({ limit: 3, cursor: first.nextCursor });
    expect(second.items.map((r) => r.name)).toEqual(['page-3', 'page-4', 'page-5']);
    const third = await routers.list({ limit: 3, cursor: second.nextCursor });
    expect(third).toEqual({ items: [expect.objectContaining({ name: 'page-6' })], nextCursor: null });
    expect((await routers.list({ enabled: false })).items.map((r) => r.name)).toEqual([
      'page-1',
      'page-3',
      'page-5',
    ]);
    await expect(routers.list({ cursor: 'garbage' })).rejects.toThrow(InvalidCursorError);
    const scheduled = await routers.listForScheduler();
    expect(scheduled.map((r) => [r.name, r.pollIntervalSeconds])).toEqual([
      ['page-0', 30],
      ['page-2', null],
      ['page-4', null],
      ['page-6', null],
    ]);
  });

  it('reads what a poll needs by id, and nothing for an unknown or malformed id', async () => {
    const { id } = await routers.create({
      name: 'poll-target',
      host: '192.0.2.9',
      port: 2022,
      platform: 'asa',
    });
    await routers.checkHostKey(id, 'SHA256:abc');
    expect(await routers.getPollTarget(id)).toEqual({
      id,
      name: 'poll-target',
      host: '192.0.2.9',
      port: 2022,
      platform: 'asa',
      credentialId: null,
      hostKey: 'SHA256:abc',
      enabled: true,
    });
    expect(await routers.getPollTarget('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await routers.getPollTarget("x' OR '1'='1")).toBeNull();
    await routers.delete('poll-target');
  });

  it('pins a host key on first contact, reports a changed one once, and accepts it on request', async () => {
    const r = await routers.create({ name: 'hk', host: 'h', platform: 'ios' });
    expect(await routers.checkHostKey(r.id, 'ssh-ed25519 AAAA1')).toBe('pinned');
    expect(await routers.checkHostKey(r.id, 'ssh-ed25519 AAAA1')).toBe('match');
    expect(await routers.checkHostKey(r.id, 'ssh-ed25519 BBBB2')).toBe('mismatch');
    expect(await routers.checkHostKey(r.id, 'ssh-ed25519 BBBB2')).toBe('mismatch');
    expect(await routers.getByName('hk')).toMatchObject({
      hostKey: 'ssh-ed25519 AAAA1',
      pendingHostKey: 'ssh-ed25519 BBBB2',
    });
    const events = await t.db.pool.query('SELECT kind, detail FROM events WHERE router_id = $1', [r.id]);
    expect(events.rows).toEqual([
      { kind: 'host_key_changed', detail: { pinned: 'ssh-ed25519 AAAA1', presented: 'ssh-ed25519 BBBB2' } },
    ]);
    expect(await routers.acceptHostKey('hk')).toMatchObject({
      hostKey: 'ssh-ed25519 BBBB2',
      pendingHostKey: null,
    });
    expect(await routers.checkHostKey(r.id, 'ssh-ed25519 BBBB2')).toBe('match');
    await expect(routers.acceptHostKey('hk')).rejects.toThrow(ConflictError);
  });

  it('pins exactly one key when two workers make first contact at once', async () => {
    const r = await routers.create({ name: 'hk-race', host: 'h', platform: 'ios' });
    const results = await Promise.all([
      routers.checkHostKey(r.id, 'key-A'),
      routers.checkHostKey(r.id, 'key-B'),
    ]);
    expect(results.sort()).toEqual(['mismatch', 'pinned']);
  });
});
