import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CredentialSecretsRepository, CredentialsRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Spawns the real CLI (tsx, Prisma): tens of seconds on a loaded machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let database: TestDatabase;
let dataDir: string;
const keyPath = () => join(dataDir, 'secret.key');

/** The CLI as an all-in-one install runs it: no TUNNELWATCH_SECRET_KEY, the key in the data dir. */
function rotate(args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    DATABASE_URL: database.url,
    TUNNELWATCH_DATA_DIR: dataDir,
  };
  delete env.TUNNELWATCH_SECRET_KEY;
  delete env.TUNNELWATCH_NEW_SECRET_KEY;
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, 'rotate-secret-key', ...args], {
    encoding: 'utf8',
    env,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'tw-rotate-'));
});
afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('tunnelwatch rotate-secret-key on an all-in-one install', () => {
  it('rotates the key kept in the data dir: credentials follow it, the key is never printed', async () => {
    const oldKey = randomBytes(32);
    writeFileSync(keyPath(), `${oldKey.toString('hex')}\n`, { mode: 0o600 });
    const { id } = await new CredentialsRepository(database.db, oldKey).create({
      name: 'ops',
      username: 'ops',
      secret: 'hunter2',
    });

    const { code, stdout, stderr } = rotate(['--generate']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('re-encrypted 1 credential(s)');
    expect(stdout).toContain(`the new key is in ${keyPath()}`);
    const newHex = readFileSync(keyPath(), 'utf8').trim();
    expect(newHex).toMatch(/^[0-9a-f]{64}$/);
    expect(newHex).not.toBe(oldKey.toString('hex'));
    expect(stdout).not.toContain(newHex);
    expect(existsSync(`${keyPath()}.new`)).toBe(false);

    const newKey = Buffer.from(newHex, 'hex');
    expect(await new CredentialSecretsRepository(database.db, newKey).get(id)).toMatchObject({
      secret: 'hunter2',
    });
    await expect(new CredentialSecretsRepository(database.db, oldKey).get(id)).rejects.toThrow();
  });

  it('changes nothing when the key file does not open the stored credentials', async () => {
    const wrong = randomBytes(32).toString('hex');
    writeFileSync(keyPath(), `${wrong}\n`, { mode: 0o600 });
    const { code, stderr } = rotate(['--generate']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/key/i);
    expect(readFileSync(keyPath(), 'utf8').trim()).toBe(wrong);
    expect(existsSync(`${keyPath()}.new`)).toBe(false);
  });

  it('asks for a key when there is neither TUNNELWATCH_SECRET_KEY nor a key file', () => {
    rmSync(keyPath());
    const { code, stderr } = rotate(['--generate']);
    expect(code).toBe(2);
    expect(stderr).toContain('set TUNNELWATCH_SECRET_KEY to the current key (there is no secret.key in');
    expect(existsSync(keyPath())).toBe(false);
  });
});
