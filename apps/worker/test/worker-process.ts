// A real `tunnelwatch worker` process for tests and benchmarks: the same wiring as the CLI, with the test's
// Redis prefix, interval and lock settings from the environment. Prints `ready` once it is consuming jobs.
import { createLogger, loadConfig } from '@tunnelwatch/config';
import { createDb } from '@tunnelwatch/db';
import { startWorkerProcess } from '../src/run-worker.js';

const env = process.env;
const config = loadConfig(env);
const logger = createLogger({ level: config.logLevel, name: 'worker-child' });
if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
const db = createDb({ url: config.databaseUrl, poolSize: Number(env.TW_DB_POOL ?? 10) });
const worker = await startWorkerProcess(config, db, logger, {
  prefix: env.TW_PREFIX ?? 'tunnelwatch',
  ...(env.TW_INVENTORY_CHANNEL ? { inventoryChannel: env.TW_INVENTORY_CHANNEL } : {}),
  ...(env.TW_EVERY_MS
    ? { defaultEveryMs: Number(env.TW_EVERY_MS), syncIntervalMs: Number(env.TW_EVERY_MS) }
    : {}),
  ...(env.TW_LOCK_MS
    ? { lockDurationMs: Number(env.TW_LOCK_MS), stalledIntervalMs: Number(env.TW_LOCK_MS) / 2 }
    : {}),
});
process.stdout.write('ready\n');
const stop = () => {
  worker
    .close()
    .then(() => db.close())
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
