import { loadConfig } from '@tunnelwatch/config';
import type { Command } from 'commander';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(
      'apply the committed database migrations (DATABASE_URL, else the embedded PostgreSQL in the data folder)',
    )
    .action(async () => {
      // Loaded on use so that `tunnelwatch --help` and other commands start fast.
      const { migrate, openDatabaseServer } = await import('@tunnelwatch/db');
      const config = loadConfig();
      const server = await openDatabaseServer({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const { applied, alreadyApplied } = await migrate(server.url);
        for (const name of applied) process.stdout.write(`applied ${name}\n`);
        process.stdout.write(
          `${applied.length} migration(s) applied, ${alreadyApplied} already applied: the database is up to date\n`,
        );
      } finally {
        await server.stop();
      }
    });
}
