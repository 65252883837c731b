import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port.js';

/** What to do when no Redis is reachable and none can be started: printed as is. */
export const REDIS_INSTALL_HELP = [
  'tunnelwatch needs Redis: REDIS_URL is not reachable and no redis-server is installed to start one.',
  'Install it, then run the command again:',
  '  Debian/Ubuntu:  sudo apt-get install redis-server',
  '  macOS:          brew install redis',
  'or run the whole stack with Docker instead: docker compose up',
  'or point REDIS_URL at a Redis you have (redis://host:6379).',
].join('\n');

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor() {
    super(REDIS_INSTALL_HELP);
  }
}

export type RedisChild = { url: string; port: number; pid: number; stop(): Promise<void> };

/** True when something at `url` answers a Redis PING (an auth error counts: a Redis is there). */
export function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  // TLS Redis cannot be probed with plain text; a wrong rediss:// URL fails at connect with its own error.
  if (protocol === 'rediss:') return Promise.resolve(true);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(/^(\+PONG|-NOAUTH|-ERR)/.test(chunk.toString('latin1'))));
  });
}

/** The first `redis-server` on PATH, or null. */
export function findRedisServer(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

/**
 * A private redis-server on 127.0.0.1 and a free port, without persistence (schedules are rebuilt from Postgres
 * at start, DESIGN.md §9). It runs in its own process group so a terminal's Ctrl-C reaches only us and we stop it
 * last, after the worker has let go of it; if this process dies anyway, an exit hook kills it.
 */
export async function startRedisServer(binary: string): Promise<RedisChild> {
  const port = await freePort();
  const child = spawn(
    binary,
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForReady(child, port);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    process.off('exit', killOnExit);
    throw error;
  }
  child.stdout?.resume();
  child.stderr?.resume();
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
        process.off('exit', killOnExit);
      })();
      return stopping;
    },
  };
}

function waitForReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start within 10 s:\n${output}`)),
      10_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `redis-server exited with code ${code} before accepting connections (port ${port}):\n${output}`,
        ),
      );
    });
  });
}
