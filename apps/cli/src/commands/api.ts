import { createLogger, loadConfig } from '@tunnelwatch/config';
import type { Command } from 'commander';
import { requireDatabaseUrl } from './required-settings.js';

/** How long a shutdown may take: in-flight requests finish, the snapshot subscription and pools close. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

export function registerApi(program: Command): void {
  program
    .command('api')
    .description('serve the REST API, /metrics and /sd on HOST:PORT (any number can run side by side)')
    .action(async () => {
      // Loaded on use: the API pulls in Fastify, Prisma and BullMQ, which other commands do not need.
      const { apiOptionsFromConfig, createApiServer } = await import('@tunnelwatch/api');
      const { closeWithin, waitForStopSignal } = await import('../runtime/stop-signal.js');
      const config = loadConfig();
      requireDatabaseUrl(config);
      const logger = createLogger({ level: config.logLevel, name: 'api' });
      const stopped = waitForStopSignal(logger);
      const api = createApiServer(apiOptionsFromConfig(config), { logger });
      await api.listen({ host: config.host, port: config.port });
      await stopped;
      logger.info('api stopping');
      await closeWithin(SHUTDOWN_TIMEOUT_MS, () => api.close(), logger);
    });
}
