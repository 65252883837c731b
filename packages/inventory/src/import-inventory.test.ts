import { randomBytes } from 'node:crypto';
import { CredentialSecretsRepository, CredentialsRepository, RoutersRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory } from './import-inventory.js';
import { parseInventory } from './inventory-file.js';

const secretKey = randomBytes(32);

const INVENTORY = `credentials:
  - name: lab
    username: admin
    password: s3cret
routers:
  - name: r1
    host: 127.0.0.2
    platform: ios
    credential: lab
    tags: [core]
  - name: r2
    host: 127.0.0.3
    platform: iosxe
    credential: nowhere
`;

// Each test is a few Postgres round trips; the timeout leaves room for a loaded CI machine.
describe('importInventory (real Postgres)', { timeout: 30_000 }, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
  });

  it('creates by name, reports a refused row with its line, and keeps the good rows', async () => {
    const summary = await importInventory(database.db, secretKey, parseInventory(INVENTORY, 'yaml'));
    expect(summary.credentials).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(summary.routers).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]).toMatchObject({ line: 11, name: 'r2' });
    const r1 = await new RoutersRepository(database.db).getByName('r1');
    expect(r1).toMatchObject({ host: '127.0.0.2', platform: 'ios', credentialName: 'lab', tags: ['core'] });
    const lab = await new CredentialsRepository(database.db, secretKey).getByName('lab');
    const secrets = await new CredentialSecretsRepository(database.db, secretKey).get(lab!.id);
    expect(secrets).toMatchObject({ username: 'admin', secret: 's3cret' });
  });

  it('changes nothing when the same file is imported again, and updates only what differs', async () => {
    const again = await importInventory(database.db, secretKey, parseInventory(INVENTORY, 'yaml'));
    expect(again.credentials).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(again.routers).toEqual({ created: 0, updated: 0, unchanged: 1 });

    const moved = INVENTORY.replace('host: 127.0.0.2', 'host: 127.0.0.9').replace('s3cret', 'n3w');
    const changed = await importInventory(database.db, secretKey, parseInventory(moved, 'yaml'));
    expect(changed.credentials).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(changed.routers).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await new RoutersRepository(database.db).getByName('r1'))?.host).toBe('127.0.0.9');
  });

  it('skips the routers of a credential the database refused, naming the credential', async () => {
    const wrongKey = parseInventory(
      'credentials:\n  - name: lab\n    username: admin\n    password: other\nrouters:\n  - name: r3\n    host: 127.0.0.4\n    platform: ios\n    credential: lab\n',
      'yaml',
    );
    // A 16-byte key cannot encrypt: the credential is refused and r3 is reported, not half-imported.
    const summary = await importInventory(database.db, randomBytes(16), wrongKey);
    expect(summary.problems.map((problem) => [problem.line, problem.name, problem.field])).toEqual([
      [2, 'lab', null],
      [6, 'r3', 'credential'],
    ]);
    expect(await new RoutersRepository(database.db).getByName('r3')).toBeNull();
  });
});
