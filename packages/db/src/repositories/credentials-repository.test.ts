import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../errors.js';
import { rotateSecretKey } from '../rotate-secret-key.js';
import { SecretDecryptionError, SecretKeyMissingError } from '../secret-box.js';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { CredentialSecretsRepository } from './credential-secrets-repository.js';
import { CredentialsRepository } from './credentials-repository.js';
import { RoutersRepository } from './routers-repository.js';

let t: TestDatabase;
const key = randomBytes(32);
const otherKey = randomBytes(32);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('credentials', () => {
  it('encrypts secrets at rest and decrypts them only through the worker repository', async () => {
    const credentials = new CredentialsRepository(t.db, key);
    const view = await credentials.create({
      name: 'noc',
      username: 'monitor',
      secret: 's3cr3t-pässword',
      enableSecret: 'en4ble',
    });
    expect(view).toMatchObject({ name: 'noc', hasSecret: true, hasEnableSecret: true, hasPrivateKey: false });
    expect(JSON.stringify(view)).not.toContain('s3cr3t');
    expect(JSON.stringify(await credentials.list())).not.toContain('s3cr3t');

    const { rows } = await t.db.pool.query('SELECT secret_encrypted FROM credentials WHERE id = $1', [
      view.id,
    ]);
    const stored: Buffer = rows[0].secret_encrypted;
    expect(stored.includes(Buffer.from('s3cr3t'))).toBe(false);
    expect(stored.length).toBeGreaterThan(29);

    const secrets = await new CredentialSecretsRepository(t.db, key).get(view.id);
    expect(secrets).toEqual({
      username: 'monitor',
      secret: 's3cr3t-pässword',
      enableSecret: 'en4ble',
      privateKey: null,
    });
  });

  it('fails clearly under a wrong key, and never returns garbage', async () => {
    const view = await new CredentialsRepository(t.db, key).create({
      name: 'wrong',
      username: 'u',
      secret: 'x',
    });
    const wrong = new CredentialSecretsRepository(t.db, otherKey);
    await expect(wrong.get(view.id)).rejects.toThrow(SecretDecryptionError);
    await expect(wrong.get(view.id)).rejects.toThrow(
      /cannot be decrypted with the configured TUNNELWATCH_SECRET_KEY/,
    );
  });

  it('fails clearly without a key', async () => {
    await expect(
      new CredentialsRepository(t.db, null).create({ name: 'nokey', username: 'u', secret: 'x' }),
    ).rejects.toThrow(SecretKeyMissingError);
    // A credential without secrets (key-less) needs no key.
    await expect(
      new CredentialsRepository(t.db, null).create({ name: 'nosecret', username: 'u' }),
    ).resolves.toMatchObject({
      hasSecret: false,
    });
  });

  it('binds a ciphertext to its row: a secret copied to another credential does not decrypt', async () => {
    const credentials = new CredentialsRepository(t.db, key);
    const a = await credentials.create({ name: 'a', username: 'u', secret: 'secret-a' });
    const b = await credentials.create({ name: 'b', username: 'u', secret: 'secret-b' });
    await t.db.pool.query(
      'UPDATE credentials SET secret_encrypted = (SELECT secret_encrypted FROM credentials WHERE id = $1) WHERE id = $2',
      [a.id, b.id],
    );
    await expect(new CredentialSecretsRepository(t.db, key).get(b.id)).rejects.toThrow(SecretDecryptionError);
    await credentials.update('b', { secret: 'secret-b2', privateKey: null });
    expect((await new CredentialSecretsRepository(t.db, key).get(b.id)).secret).toBe('secret-b2');
  });

  it('refuses to delete a credential that a router uses', async () => {
    await new CredentialsRepository(t.db, key).create({ name: 'used', username: 'u', secret: 'x' });
    await new RoutersRepository(t.db).create({
      name: 'r-used',
      host: 'h',
      platform: 'asa',
      credentialName: 'used',
    });
    await expect(new CredentialsRepository(t.db, key).delete('used')).rejects.toThrow(ConflictError);
  });

  it('rotates the key: everything decrypts under the new key, and a wrong old key changes nothing', async () => {
    const before = await t.db.pool.query('SELECT id, secret_encrypted FROM credentials ORDER BY id');
    await expect(rotateSecretKey(t.db, otherKey, randomBytes(32))).rejects.toThrow(SecretDecryptionError);
    const unchanged = await t.db.pool.query('SELECT id, secret_encrypted FROM credentials ORDER BY id');
    expect(unchanged.rows).toEqual(before.rows);

    const newKey = randomBytes(32);
    const { credentials } = await rotateSecretKey(t.db, key, newKey);
    expect(credentials).toBe(before.rowCount);
    const noc = (await new CredentialsRepository(t.db, newKey).getByName('noc'))!;
    expect((await new CredentialSecretsRepository(t.db, newKey).get(noc.id)).secret).toBe('s3cr3t-pässword');
    await expect(new CredentialSecretsRepository(t.db, key).get(noc.id)).rejects.toThrow(
      SecretDecryptionError,
    );
  });
});
