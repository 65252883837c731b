import type { Config } from '@tunnelwatch/config';
import { UsageError } from '../program.js';

/** Commands that talk to a shared database need it named; the embedded one belongs to `tunnelwatch start`. */
export function requireDatabaseUrl(config: Config): string {
  if (config.databaseUrl === null) {
    throw new UsageError('DATABASE_URL is not set: point it at the PostgreSQL that holds the inventory');
  }
  return config.databaseUrl;
}
