import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationError, migrate, readMigrations } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './testing.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

/** A second, empty database on the same server (dropped at the end of the test). */
async function withEmptyDatabase(run: (url: string) => Promise<void>): Promise<void> {
  const name = `${new URL(t.url).pathname.slice(1)}_empty_${Math.random().toString(36).slice(2, 8)}`;
  await t.db.pool.query(`CREATE DATABASE "${name}"`);
  const url = new URL(t.url);
  url.pathname = `/${name}`;
  try {
    await run(url.toString());
  } finally {
    await t.db.pool.query(`DROP DATABASE "${name}" WITH (FORCE)`);
  }
}

async function tableNames(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe('migrate', () => {
  it('applies every committed migration to an empty database and records them for Prisma', async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    await withEmptyDatabase(async (url) => {
      expect(await tableNames(url)).toEqual([]);
      const result = await migrate(url);
      expect(result).toEqual({ applied: migrations.map((m) => m.name), alreadyApplied: 0 });
      expect(await tableNames(url)).toEqual(
        expect.arrayContaining([
          '_prisma_migrations',
          'routers',
          'tunnels',
          'flows',
          'sas',
          'events',
          'polls',
        ]),
      );
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY 1',
      );
      await client.end();
      expect(rows).toEqual(
        migrations.map((m) => ({
          migration_name: m.name,
          checksum: m.checksum,
          finished_at: expect.any(Date),
          applied_steps_count: 1,
        })),
      );
    });
  });

  it('is idempotent: a second run applies nothing', async () => {
    const count = (await readMigrations()).length;
    expect(await migrate(t.url)).toEqual({ applied: [], alreadyApplied: count });
    expect(await migrate(t.url)).toEqual({ applied: [], alreadyApplied: count });
  });

  it('lets concurrent runners apply each migration exactly once', async () => {
    await withEmptyDatabase(async (url) => {
      const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual((await readMigrations()).map((m) => m.name).sort());
    });
  });

  describe('with a private migrations folder', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tw-migrations-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    async function write(name: string, sql: string): Promise<void> {
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(join(dir, name, 'migration.sql'), sql);
    }

    it('rolls back a failing migration completely and refuses an edited applied one', async () => {
      await withEmptyDatabase(async (url) => {
        await write('001_a', 'CREATE TABLE a (id int);');
        await write('002_b', 'CREATE TABLE b (id int); SELECT no_such_function();');
        await expect(migrate(url, { dir })).rejects.toThrow(/002_b failed: .*no_such_function/);
        // 001 stays applied; nothing of 002 (neither table b nor its bookkeeping row) remains.
        expect(await tableNames(url)).toEqual(['_prisma_migrations', 'a']);

        await write('002_b', 'CREATE TABLE b (id int);');
        expect(await migrate(url, { dir })).toEqual({ applied: ['002_b'], alreadyApplied: 1 });

        await write('001_a', 'CREATE TABLE a (id bigint);');
        const edited = migrate(url, { dir });
        await expect(edited).rejects.toThrow(MigrationError);
        await expect(migrate(url, { dir })).rejects.toThrow(/001_a was changed after it was applied/);
      });
    });
  });
});
