import type { Config } from '@tunnelwatch/config';
import { UsageError } from '../program.js';

/** Commands that talk to a shared database need it named; the embedded one belongs to `tunnelwatch start`. */
export function requireDatabaseUrl(config: Config): string {
  if (config.databaseUrl === null) {
    throw new UsageError('DATABASE_URL is not set: point it at the PostgreSQL that holds the inventory');
  }
  return config.databaseUrl;
}

/** Polling decrypts router credentials and importing encrypts them: say so at start, not once per router. */
export function requireSecretKey(config: Config): Buffer {
  if (config.secretKey === null) {
    throw new UsageError(
      'TUNNELWATCH_SECRET_KEY is not set: it encrypts router credentials (use the same key as the API)',
    );
  }
  return config.secretKey;
}
