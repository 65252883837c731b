import { createLogger, loadConfig } from '@tunnelwatch/config';
import type { Command } from 'commander';
import { requireDatabaseUrl, requireSecretKey } from './required-settings.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('poll routers over SSH on their schedules until SIGTERM (any number can run side by side)')
    .action(async () => {
      // Loaded on use so that `tunnelwatch --help` and other commands start fast.
      const { createDb } = await import('@tunnelwatch/db');
      const { startWorkerProcess } = await import('@tunnelwatch/worker');
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel, name: 'worker' });
      requireSecretKey(config);
      const db = createDb({ url: requireDatabaseUrl(config) });
      const worker = await startWorkerProcess(config, db, logger);
      logger.info(
        { concurrency: config.workerConcurrency, maxConcurrentLogins: config.maxConcurrentLogins },
        'worker started',
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          logger.info({ signal }, 'worker stopping: finishing or handing back running polls');
          // close() is idempotent: a second SIGTERM while closing waits for the same shutdown.
          worker
            .close()
            .then(() => db.close())
            .then(resolve, (err) => {
              logger.error({ err }, 'worker shutdown failed');
              process.exitCode = 1;
              resolve();
            });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}
