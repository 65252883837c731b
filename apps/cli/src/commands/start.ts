import { createLogger, loadConfig } from '@tunnelwatch/config';
import type { Command } from 'commander';

/** How long a shutdown may take before the process gives up on it (polls in flight get 10 s of it). */
export const SHUTDOWN_TIMEOUT_MS = 30_000;

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run API, worker and scheduler in one process (embedded PostgreSQL without DATABASE_URL)')
    .action(async () => {
      // Loaded on use: the API, worker and database modules take seconds to import, other commands need none.
      const { startAllInOneOrExplain } = await import('../runtime/all-in-one.js');
      const { closeWithin, waitForStopSignal } = await import('../runtime/stop-signal.js');
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel, name: 'tunnelwatch' });
      const say = (line: string) => process.stdout.write(`${line}\n`);
      const stopped = waitForStopSignal(logger);
      const runtime = await startAllInOneOrExplain(config, logger, { say });
      if (!runtime) return;
      say(
        `tunnelwatch is running: status page ${runtime.url}/  API ${runtime.url}/api/v1  docs ${runtime.url}/docs`,
      );
      say('Ctrl-C to stop');
      await stopped;
      say('stopping…');
      await closeWithin(SHUTDOWN_TIMEOUT_MS, () => runtime.close(), logger);
      say('stopped');
    });
}
