import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../errors.js';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { ApiTokensRepository, hashToken } from './api-tokens-repository.js';
import { AuditLogRepository } from './audit-log-repository.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('api tokens', () => {
  it('stores only a hash, verifies the token, and stops accepting it once revoked or expired', async () => {
    const tokens = new ApiTokensRepository(t.db);
    const { token, view } = await tokens.create({ name: 'grafana', scopes: ['read', 'read'] });
    expect(view.scopes).toEqual(['read']);
    expect(JSON.stringify(view)).not.toContain(token);
    const { rows } = await t.db.pool.query('SELECT token_hash FROM api_tokens');
    expect(rows).toEqual([{ token_hash: hashToken(token) }]);

    expect(await tokens.verify(token)).toMatchObject({
      name: 'grafana',
      scopes: ['read'],
      lastUsedAt: expect.any(Date),
    });
    expect(await tokens.verify(`${token}x`)).toBeNull();
    expect(await tokens.verify('Bearer whatever')).toBeNull();
    await expect(tokens.create({ name: 'grafana', scopes: ['read'] })).rejects.toThrow(ConflictError);

    expect(await tokens.revoke('grafana')).toBe(view.id);
    expect(await tokens.verify(token)).toBeNull();
    expect(await tokens.revoke('grafana')).toBe(view.id);
    await expect(tokens.revoke('nope')).rejects.toThrow(NotFoundError);

    const expiring = await tokens.create({
      name: 'temp',
      scopes: ['operate', 'write'],
      expiresAt: new Date('2030-01-01T00:00:00Z'),
    });
    expect(await tokens.verify(expiring.token, new Date('2029-12-31T23:59:59Z'))).not.toBeNull();
    expect(await tokens.verify(expiring.token, new Date('2030-01-01T00:00:00Z'))).toBeNull();
    await expect(tokens.create({ name: 'none', scopes: [] })).rejects.toThrow(/at least one scope/);
  });
});

describe('audit log', () => {
  it('records entries and lists them newest first', async () => {
    const audit = new AuditLogRepository(t.db);
    await audit.record({ actor: 'cli', action: 'secret-key.rotate', at: new Date('2026-01-01T00:00:00Z') });
    await audit.record({ actor: 'ops', action: 'remediation.clear-crypto-sa', target: 'r1/198.51.100.1' });
    const page = await audit.list({ limit: 1 });
    expect(page.items.map((e) => e.actor)).toEqual(['ops']);
    expect((await audit.list({ cursor: page.nextCursor })).items.map((e) => e.action)).toEqual([
      'secret-key.rotate',
    ]);
  });
});
