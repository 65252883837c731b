import { type Config, loadConfig } from '@tunnelwatch/config';
import { REDIS_URL } from './redis.js';

/** A worker configuration on a test database, this machine's Redis and the given key, plus `env` settings. */
export function testConfig(databaseUrl: string, secretKey: Buffer, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    TUNNELWATCH_SECRET_KEY: secretKey.toString('hex'),
    ...env,
  });
}
