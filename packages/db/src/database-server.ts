import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export type DatabaseServer = {
  url: string;
  /** True when this process started an embedded PostgreSQL (stopped by `stop()`). */
  embedded: boolean;
  stop(): Promise<void>;
};

/** Where the embedded PostgreSQL keeps its cluster inside tunnelwatch's data folder. */
export function embeddedDataDir(dataDir: string): string {
  return join(dataDir, 'postgres');
}

/**
 * The configured database, or with none configured the embedded PostgreSQL under `<dataDir>/postgres` (started
 * here; only one process can run it at a time, so stop `tunnelwatch start` first).
 */
export async function openDatabaseServer(options: {
  databaseUrl: string | null;
  dataDir: string;
}): Promise<DatabaseServer> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: embeddedDataDir(options.dataDir) });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
