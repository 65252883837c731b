import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export type DbOptions = {
  /** A postgresql:// URL. */
  url: string;
  /** Connections in the pool shared by Prisma and the raw-SQL hot path (default 10). */
  poolSize?: number;
};

/** One connection pool, used both by the Prisma client and by the set-based writes that bypass it. */
export type Db = {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
};

/**
 * Opens a database handle. Nothing connects until the first query, so this never throws on an unreachable server;
 * `close()` ends every connection.
 */
export function createDb(options: DbOptions): Db {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  // An idle connection that the server drops (restart, failover) must not crash the process.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed: Promise<void> | undefined;
  return {
    prisma,
    pool,
    close() {
      closed ??= prisma.$disconnect().then(() => pool.end());
      return closed;
    },
  };
}
