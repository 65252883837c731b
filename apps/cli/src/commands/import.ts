import { readFile } from 'node:fs/promises';
import { createLogger, loadConfig } from '@tunnelwatch/config';
import { createDb } from '@tunnelwatch/db';
import {
  type InventoryProblem,
  importInventory,
  inventoryFormatOf,
  parseInventory,
} from '@tunnelwatch/inventory';
import { INVENTORY_CHANGED_CHANNEL } from '@tunnelwatch/model';
import { createProducerRedis, waitUntilReady } from '@tunnelwatch/worker';
import type { Command } from 'commander';
import { UsageError } from '../program.js';
import { requireDatabaseUrl, requireSecretKey } from './required-settings.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .argument('<file>', 'inventory file: .yaml/.yml or .csv (docs/polling.md)')
    .description('create or update routers and credentials from an inventory file, by name')
    .option('--format <format>', 'yaml or csv (default: from the file extension)')
    .action(async (file: string, options: { format?: string }) => {
      const format = options.format ?? inventoryFormatOf(file);
      if (format !== 'yaml' && format !== 'csv') {
        throw new UsageError(`cannot tell the format of ${file}: name it .yaml/.yml/.csv or pass --format`);
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const config = loadConfig();
      const logger = createLogger({ level: 'error', name: 'import' });
      requireSecretKey(config);
      const db = createDb({ url: requireDatabaseUrl(config) });
      try {
        const summary = await importInventory(db, config.secretKey, parseInventory(text, format));
        for (const problem of summary.problems) process.stderr.write(`${describe(file, problem)}\n`);
        const { routers, credentials } = summary;
        process.stdout.write(
          `routers: ${routers.created} created, ${routers.updated} updated, ${routers.unchanged} unchanged; ` +
            `credentials: ${credentials.created} created, ${credentials.updated} updated, ${credentials.unchanged} unchanged; ` +
            `${summary.problems.length} problem(s)\n`,
        );
        if (routers.created + routers.updated > 0) await announceChange(config.redisUrl, logger);
        if (summary.problems.length > 0) process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}

/** `FILE:LINE: router NAME: what is wrong` (the message names the field). */
function describe(file: string, problem: InventoryProblem): string {
  return `${file}:${problem.line}: ${problem.name ? `${problem.name}: ` : ''}${problem.message}`;
}

/** Tells running workers to re-sync their schedules now; without Redis they catch up at their next sync. */
async function announceChange(redisUrl: string, logger: ReturnType<typeof createLogger>): Promise<void> {
  const redis = createProducerRedis(redisUrl, logger, 'import');
  try {
    await waitUntilReady(redis);
    await redis.publish(INVENTORY_CHANGED_CHANNEL, 'import');
  } catch {
    process.stderr.write(
      'note: Redis not reachable; workers pick up the new routers at their next periodic sync\n',
    );
  } finally {
    redis.disconnect();
  }
}
