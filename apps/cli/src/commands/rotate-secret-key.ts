import { randomBytes } from 'node:crypto';
import { decodeKey, loadConfig } from '@tunnelwatch/config';
import type { Command } from 'commander';
import { UsageError } from '../program.js';

const KEY_SHAPE = /^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/;

export function registerRotateSecretKey(program: Command): void {
  program
    .command('rotate-secret-key')
    .description(
      're-encrypt every stored credential from TUNNELWATCH_SECRET_KEY to TUNNELWATCH_NEW_SECRET_KEY (or a ' +
        'generated key), in one transaction; nothing changes if the current key is wrong',
    )
    .option('--generate', 'make a new random key and print it, instead of reading TUNNELWATCH_NEW_SECRET_KEY')
    .action(async (options: { generate?: boolean }) => {
      // Loaded on use so that `tunnelwatch --help` and other commands start fast.
      const { AuditLogRepository, createDb, openDatabaseServer, rotateSecretKey } = await import(
        '@tunnelwatch/db'
      );
      const config = loadConfig();
      const oldKey = config.secretKey;
      if (!oldKey) throw new UsageError('set TUNNELWATCH_SECRET_KEY to the current key');
      const newKey = options.generate ? randomBytes(32) : newKeyFromEnv();
      if (newKey.equals(oldKey)) throw new UsageError('the new key is the current key');

      const server = await openDatabaseServer({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const db = createDb({ url: server.url, poolSize: 1 });
      try {
        const { credentials } = await rotateSecretKey(db, oldKey, newKey);
        await new AuditLogRepository(db).record({
          actor: 'cli',
          action: 'secret-key.rotate',
          detail: { credentials },
        });
        process.stdout.write(`re-encrypted ${credentials} credential(s)\n`);
        // Printed only when we made it up: a key passed in is already known to whoever passed it.
        if (options.generate) process.stdout.write(`new key: ${newKey.toString('hex')}\n`);
        process.stdout.write(
          'now set TUNNELWATCH_SECRET_KEY to the new key for every api and worker, and restart them\n',
        );
      } finally {
        await db.close();
        await server.stop();
      }
    });
}

function newKeyFromEnv(): Buffer {
  const text = process.env.TUNNELWATCH_NEW_SECRET_KEY?.trim();
  if (!text) throw new UsageError('set TUNNELWATCH_NEW_SECRET_KEY to the new key, or pass --generate');
  if (!KEY_SHAPE.test(text)) {
    throw new UsageError(
      'TUNNELWATCH_NEW_SECRET_KEY must be 32 bytes as 64 hex digits or 44 base64 characters',
    );
  }
  return decodeKey(text);
}
