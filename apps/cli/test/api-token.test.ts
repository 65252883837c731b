import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@tunnelwatch/config';
import { ApiTokensRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { API_TOKEN_REVOKED_CHANNEL } from '@tunnelwatch/model';
import { createWorkerRedis } from '@tunnelwatch/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Every case spawns the real CLI (tsx, Prisma, Fastify): tens of seconds on a loaded machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let database: TestDatabase;

function tunnelwatch(args: string[], _input: undefined, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const env = () => ({ DATABASE_URL: database.url });

describe('tunnelwatch token', () => {
  it('create prints the token once on stdout; it verifies with its scopes; list never shows it', () => {
    const { code, stdout, stderr } = tunnelwatch(
      ['token', 'create', '--name', 'grafana', '--scopes', 'read,operate'],
      undefined,
      env(),
    );
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(token).toMatch(/^tw_[A-Za-z0-9_-]{43}$/);
    expect(stderr).toContain('shown only this once');
    return new ApiTokensRepository(database.db).verify(token).then((view) => {
      expect(view).toMatchObject({ name: 'grafana', scopes: ['read', 'operate'] });
      const list = tunnelwatch(['token', 'list'], undefined, env());
      expect(list.stdout).toContain('grafana\tread,operate\tactive');
      expect(list.stdout).not.toContain(token);
    });
  });

  it('refuses an unknown scope (exit 2) and a taken name (exit 1)', () => {
    const bad = tunnelwatch(['token', 'create', '--name', 'x', '--scopes', 'read,admin'], undefined, env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use one or more of read, write, operate');
    const taken = tunnelwatch(['token', 'create', '--name', 'grafana', '--scopes', 'read'], undefined, env());
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already exists');
  });

  it('revoke stops the token', async () => {
    const { stdout } = tunnelwatch(
      ['token', 'create', '--name', 'temp', '--scopes', 'write'],
      undefined,
      env(),
    );
    expect(tunnelwatch(['token', 'revoke', 'temp'], undefined, env()).code).toBe(0);
    expect(await new ApiTokensRepository(database.db).verify(stdout.trim())).toBeNull();
    expect(tunnelwatch(['token', 'revoke', 'nope'], undefined, env()).code).toBe(1);
  });

  it('revoke announces the token id (never the token) on Redis after the database write', async () => {
    const { stdout } = tunnelwatch(
      ['token', 'create', '--name', 'announced', '--scopes', 'read'],
      undefined,
      env(),
    );
    const token = stdout.trim();
    const subscriber = createWorkerRedis(REDIS_URL, createLogger({ level: 'silent' }), 'test');
    const messages: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    try {
      await subscriber.subscribe(API_TOKEN_REVOKED_CHANNEL);
      // Async: a synchronous spawn would block the event loop that receives the message.
      const revoke = spawn(process.execPath, ['--import', 'tsx', main, 'token', 'revoke', 'announced'], {
        env: { ...process.env, ...env(), REDIS_URL, NO_COLOR: '1' },
        stdio: 'ignore',
      });
      const [code] = await once(revoke, 'exit');
      expect(code).toBe(0);
      const [row] = await database.db.prisma.apiToken.findMany({ where: { name: 'announced' } });
      expect(row?.revokedAt).toBeInstanceOf(Date);
      await expect.poll(() => messages.includes(row!.id), { timeout: 5000 }).toBe(true);
      expect(messages.join()).not.toContain(token);
      expect(messages.join()).not.toContain(row!.tokenHash);
    } finally {
      subscriber.disconnect();
    }
  });

  it('revoke still succeeds without Redis and says running APIs refuse the token within 5 s', async () => {
    const { stdout } = tunnelwatch(
      ['token', 'create', '--name', 'offline', '--scopes', 'read'],
      undefined,
      env(),
    );
    // Port 1: nothing listens there, so the connection is refused.
    const result = tunnelwatch(['token', 'revoke', 'offline'], undefined, {
      ...env(),
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('token offline revoked');
    expect(result.stderr).toMatch(/could not tell running APIs over Redis.*within .*\(5 s\)/);
    expect(await new ApiTokensRepository(database.db).verify(stdout.trim())).toBeNull();
  });
});

describe('tunnelwatch api', () => {
  it('serves until SIGTERM, then closes cleanly (exit 0)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'api'], {
      env: { ...process.env, ...env(), PORT: '0', LOG_LEVEL: 'info', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listen line in: ${output}`)), 150_000);
      child.stdout.on('data', () => {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const health = await fetch(`${address}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${address}/metrics`)).status).toBe(401);
    child.kill('SIGTERM');
    const [exitCode] = await once(child, 'exit');
    expect(exitCode).toBe(0);
  });

  it('says that DATABASE_URL is needed', () => {
    const { code, stderr } = tunnelwatch(['api'], undefined, { DATABASE_URL: '' });
    expect(code).toBe(2);
    expect(stderr).toContain('DATABASE_URL');
  });
});
