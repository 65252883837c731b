import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer, redisAnswers, startRedisServer } from '../src/runtime/redis-server.js';
import { ensureSecretKey, SECRET_KEY_FILE } from '../src/runtime/secret-key.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** `tunnelwatch start` in a child process with `env` on top of ours. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', main, 'start'],
      { env: { ...process.env, ...env }, timeout: 90_000 },
      (error, _stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stderr }),
    );
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the secret key of an all-in-one install', () => {
  it('is generated once into the data dir with mode 0600, then reused', async () => {
    const dataDir = await mkdtemp(join(dir, 'key-'));
    const first = await ensureSecretKey(null, dataDir);
    expect(first.generatedAt).toBe(join(dataDir, SECRET_KEY_FILE));
    expect(first.key).toHaveLength(32);
    expect((await stat(join(dataDir, SECRET_KEY_FILE))).mode & 0o777).toBe(0o600);
    const second = await ensureSecretKey(null, dataDir);
    expect(second.generatedAt).toBeNull();
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('TUNNELWATCH_SECRET_KEY wins and no file is written', async () => {
    const dataDir = await mkdtemp(join(dir, 'key-'));
    const configured = Buffer.alloc(32, 9);
    expect((await ensureSecretKey(configured, dataDir)).key).toBe(configured);
    await expect(stat(join(dataDir, SECRET_KEY_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('a damaged key file is an error naming the file, never silently replaced', async () => {
    const dataDir = await mkdtemp(join(dir, 'key-'));
    await writeFile(join(dataDir, SECRET_KEY_FILE), 'not a key\n');
    await expect(ensureSecretKey(null, dataDir)).rejects.toThrow(SECRET_KEY_FILE);
    expect(await readFile(join(dataDir, SECRET_KEY_FILE), 'utf8')).toBe('not a key\n');
  });
});

describe('Redis for tunnelwatch start', () => {
  it('without a reachable Redis or a redis-server binary, start exits 1 with the install commands', async () => {
    const dataDir = join(dir, 'no-redis');
    const { code, stderr } = await start({
      PATH: join(dir, 'empty-path'),
      REDIS_URL: 'redis://127.0.0.1:1',
      TUNNELWATCH_DATA_DIR: dataDir,
      DATABASE_URL: '',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('apt-get install redis-server');
    expect(stderr).toContain('brew install redis');
    expect(stderr).toContain('docker compose up');
    // It said so before starting anything else: no embedded PostgreSQL was created.
    await expect(stat(join(dataDir, 'postgres'))).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it('starts a private redis-server on loopback and stops it without leaving it running', async () => {
    const binary = findRedisServer();
    expect(
      binary,
      'redis-server must be installed on this machine (apt-get install redis-server)',
    ).not.toBeNull();
    const redis = await startRedisServer(binary as string);
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await redisAnswers(redis.url)).toBe(true);
    await redis.stop();
    expect(await redisAnswers(redis.url)).toBe(false);
    expect(() => process.kill(redis.pid, 0)).toThrow();
  }, 30_000);

  it('a closed port does not count as a Redis', async () => {
    expect(await redisAnswers('redis://127.0.0.1:1')).toBe(false);
  });
});
