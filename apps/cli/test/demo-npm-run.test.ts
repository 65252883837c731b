import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The README's first command, as a newcomer runs it: `npm run demo` from the checkout, no DATABASE_URL (so the
 * embedded PostgreSQL) and no Redis at REDIS_URL (so a private redis-server), on the default port 8080.
 * The minute is counted from the demo's first line: the `turbo run build` before it is a cache replay after
 * `npm run build` (as in CI) but a full build in a checkout whose sources just changed.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const BASE = 'http://127.0.0.1:8080';
const FIRST_MINUTE_MS = 60_000;
const BUILD_ALLOWANCE_MS = 6 * 60_000;
// The demo's first line (generated key, or started redis-server): the build is done and the demo runs.
const DEMO_STARTED = /^(generated a credential|started redis-server|starting the embedded)/m;

let demo: ChildProcess | undefined;
let workDir: string | undefined;
afterAll(async () => {
  // Only if the test failed half-way: the test itself stops the demo with SIGINT and checks what is left.
  if (demo?.pid && demo.exitCode === null && demo.signalCode === null) {
    try {
      process.kill(-demo.pid, 'SIGKILL');
    } catch {}
  }
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Processes of a process group, from ps. */
function groupMembers(pgid: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.split(/\s+/)[1] === String(pgid));
}

async function get(path: string, token?: string): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(`${BASE}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(5000),
    });
    return { status: response.status, text: await response.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

describe('npm run demo from the checkout', () => {
  it(
    'shows the demo fleet on / , /api/v1/tunnels and /metrics within a minute; Ctrl-C leaves nothing behind',
    async () => {
      expect(await portOpen(8080), 'port 8080 is taken: stop whatever listens there').toBe(false);
      workDir = await mkdtemp(join(tmpdir(), 'tw-npm-demo-'));
      // As root the embedded PostgreSQL runs as the postgres user, who must be able to enter the folder.
      await chmod(workDir, 0o755);
      const dataDir = join(workDir, 'data');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        TUNNELWATCH_DATA_DIR: dataDir,
        REDIS_URL: 'redis://127.0.0.1:1',
        TURBO_TELEMETRY_DISABLED: '1',
      };
      for (const name of [
        'DATABASE_URL',
        'PORT',
        'HOST',
        'TUNNELWATCH_SECRET_KEY',
        'POLL_INTERVAL_SECONDS',
      ]) {
        delete env[name];
      }
      // Under `turbo run test` this process carries the outer run's TURBO_* variables: the demo's build is a run
      // of its own, as in a terminal.
      for (const name of Object.keys(env)) {
        if (name.startsWith('TURBO_') && name !== 'TURBO_TELEMETRY_DISABLED') delete env[name];
      }
      const started = Date.now();
      // Its own process group, like a terminal's foreground job: Ctrl-C goes to npm and everything under it.
      demo = spawn('npm', ['run', 'demo'], {
        cwd: repoRoot,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      demo.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      demo.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => demo?.once('exit', (code) => resolve(code)));

      let token: string | undefined;
      let demoStarted: number | null = null;
      let seen = { page: false, tunnels: 0, metrics: false };
      while (
        Date.now() - (demoStarted ?? started) <
        (demoStarted ? FIRST_MINUTE_MS + 30_000 : BUILD_ALLOWANCE_MS)
      ) {
        if (demo.exitCode !== null) throw new Error(`npm run demo exited early:\n${output}`);
        if (demoStarted === null && DEMO_STARTED.test(output)) demoStarted = Date.now();
        token ??= /#token=(tw_[A-Za-z0-9_-]+)/.exec(output)?.[1];
        if (token) {
          const [page, tunnels, metrics] = await Promise.all([
            get('/'),
            get('/api/v1/tunnels?limit=1000', token),
            get('/metrics', token),
          ]);
          const items =
            tunnels.status === 200
              ? (JSON.parse(tunnels.text) as { items: { routerName: string; peer: string }[] }).items
              : [];
          seen = {
            page: page.status === 200 && page.text.includes('<title>tunnelwatch'),
            tunnels: items.length,
            metrics:
              metrics.status === 200 && /^tunnelwatch_tunnel_up\{router="dmvpn-hub"/m.test(metrics.text),
          };
          const routers = new Set(items.map((t) => t.routerName));
          const fleetVisible =
            ['hq-ios', 'branch-xe', 'edge-asa', 'dmvpn-hub', 'branch-00001', 'branch-00020'].every((r) =>
              routers.has(r),
            ) && items.some((t) => t.peer.includes(':'));
          if (seen.page && seen.metrics && fleetVisible && items.length >= 70) break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const elapsed = Date.now() - (demoStarted ?? started);
      console.info(
        `npm run demo: build ${(demoStarted ?? started) - started} ms, then fleet visible after ${elapsed} ms`,
      );
      expect(seen, `after ${elapsed} ms:\n${output}`).toEqual({
        page: true,
        tunnels: expect.any(Number),
        metrics: true,
      });
      expect(seen.tunnels).toBeGreaterThanOrEqual(70);
      expect(elapsed, `the fleet took ${elapsed} ms to show`).toBeLessThan(FIRST_MINUTE_MS);

      // What must be gone afterwards: the embedded PostgreSQL and the private redis-server.
      const postmaster = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
      const postgresPid = Number(postmaster[0]);
      const postgresPort = Number(postmaster[3]);
      const redisPort = Number(/started redis-server on redis:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
      expect(alive(postgresPid) && (await portOpen(postgresPort)) && (await portOpen(redisPort))).toBe(true);

      process.kill(-(demo.pid as number), 'SIGINT');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 45_000))]);
      expect(code, output).not.toBe('timeout');
      expect(output).toContain('stopped');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(groupMembers(demo.pid as number)).toEqual([]);
      expect(alive(postgresPid)).toBe(false);
      // A clean PostgreSQL shutdown removes its pid file; a killed one leaves it.
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
      expect(await portOpen(redisPort)).toBe(false);
      expect(await portOpen(postgresPort)).toBe(false);
      expect(await portOpen(8080)).toBe(false);
      const leftovers = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(workDir as string));
      expect(leftovers).toEqual([]);
    },
    BUILD_ALLOWANCE_MS + 180_000,
  );
});
