import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDb, type Db } from './client.js';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate } from './migrate.js';

export type TestDatabase = {
  /** URL of the new, migrated database. */
  url: string;
  db: Db;
  /** Closes `db` and drops the database (and stops the embedded server once its last database is gone). */
  drop(): Promise<void>;
};

/**
 * A fresh, uniquely named, fully migrated database for one test file: on the server of `DATABASE_URL` when set,
 * else on an embedded PostgreSQL that this process starts once and stops after its last test database is dropped.
 */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const server = await acquireServer();
  const name = `tw_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const adminUrl = server.url;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(adminUrl, name);
  try {
    await migrate(url);
  } catch (error) {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await server.release();
    throw error;
  }
  const db = createDb({ url, poolSize: options.poolSize ?? 5 });
  let dropped: Promise<void> | undefined;
  return {
    url,
    db,
    drop() {
      dropped ??= (async () => {
        await db.close();
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await server.release();
      })();
      return dropped;
    },
  };
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * For a vitest `globalSetup`: with no DATABASE_URL, starts one embedded PostgreSQL for the whole run and hands its URL
 * to the test workers through DATABASE_URL, so test files share it instead of starting one each. Returns the
 * teardown.
 */
export async function setupTestPostgres(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) return async () => {};
  const dir = await mkdtemp(join(tmpdir(), 'tunnelwatch-pg-'));
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data') });
  process.env.DATABASE_URL = server.url;
  return async () => {
    delete process.env.DATABASE_URL;
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

type ServerLease = { url: string; release(): Promise<void> };

// One embedded server per process, shared by all test databases of that process.
let embedded:
  | { server: Promise<EmbeddedPostgresServer>; dataDir: Promise<string>; users: number }
  | undefined;

async function acquireServer(): Promise<ServerLease> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return { url: fromEnv, release: async () => {} };
  if (!embedded) {
    // Readable by all: as root, PostgreSQL runs as the `postgres` user and must reach its data folder.
    const dataDir = mkdtemp(join(tmpdir(), 'tunnelwatch-pg-')).then(async (dir) => {
      await chmod(dir, 0o755);
      return dir;
    });
    embedded = {
      dataDir,
      server: dataDir.then((dir) => startEmbeddedPostgres({ dataDir: join(dir, 'data') })),
      users: 0,
    };
  }
  const current = embedded;
  current.users++;
  const server = await current.server;
  let released = false;
  return {
    url: server.url,
    async release() {
      if (released) return;
      released = true;
      current.users--;
      if (current.users > 0) return;
      if (embedded === current) embedded = undefined;
      await server.stop();
      await rm(await current.dataDir, { recursive: true, force: true });
    },
  };
}

export { type SampleTunnelOptions, sampleSnapshot, sampleTunnel } from './sample-snapshot.js';
