import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeKey, loadConfig } from '@tunnelwatch/config';
import type { Command } from 'commander';
import { UsageError } from '../program.js';
import { ensureSecretKey, SECRET_KEY_FILE } from '../runtime/secret-key.js';

const KEY_SHAPE = /^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/;

export function registerRotateSecretKey(program: Command): void {
  program
    .command('rotate-secret-key')
    .description(
      "re-encrypt every stored credential from TUNNELWATCH_SECRET_KEY (or the data dir's key file) to " +
        'TUNNELWATCH_NEW_SECRET_KEY (or a generated key), in one transaction; nothing changes if the current key is wrong',
    )
    .option('--generate', 'make a new random key and print it, instead of reading TUNNELWATCH_NEW_SECRET_KEY')
    .action(async (options: { generate?: boolean }) => {
      // Loaded on use so that `tunnelwatch --help` and other commands start fast.
      const { AuditLogRepository, createDb, openDatabaseServer, rotateSecretKey } = await import(
        '@tunnelwatch/db'
      );
      const config = loadConfig();
      // Without TUNNELWATCH_SECRET_KEY, `tunnelwatch start` keeps its key in the data dir: rotate that one.
      const keyFile = config.secretKey ? null : await readKeyFile(config.dataDir);
      const oldKey = config.secretKey ?? keyFile?.key;
      if (!oldKey) {
        throw new UsageError(
          `set TUNNELWATCH_SECRET_KEY to the current key (there is no ${SECRET_KEY_FILE} in ${config.dataDir} either)`,
        );
      }
      const newKey = options.generate ? randomBytes(32) : newKeyFromEnv();
      if (newKey.equals(oldKey)) throw new UsageError('the new key is the current key');
      // The new key reaches the disk before any credential is encrypted with it, so no crash loses it.
      const pending = keyFile ? await stageKeyFile(keyFile.path, newKey) : null;

      const server = await openDatabaseServer({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const db = createDb({ url: server.url, poolSize: 1 });
      try {
        let credentials: number;
        try {
          ({ credentials } = await rotateSecretKey(db, oldKey, newKey));
        } catch (error) {
          await pending?.discard();
          throw error;
        }
        await pending?.commit();
        await new AuditLogRepository(db).record({
          actor: 'cli',
          action: 'secret-key.rotate',
          detail: { credentials },
        });
        process.stdout.write(`re-encrypted ${credentials} credential(s)\n`);
        if (keyFile) {
          process.stdout.write(`the new key is in ${keyFile.path}; restart tunnelwatch\n`);
          return;
        }
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

async function readKeyFile(dataDir: string): Promise<{ key: Buffer; path: string } | null> {
  const path = join(dataDir, SECRET_KEY_FILE);
  if (!existsSync(path)) return null;
  const { key } = await ensureSecretKey(null, dataDir);
  return { key, path };
}

/** Writes the new key beside the old file; `commit` renames it over the old one (atomic), `discard` removes it. */
async function stageKeyFile(path: string, key: Buffer) {
  const staged = `${path}.new`;
  await writeFile(staged, `${key.toString('hex')}\n`, { mode: 0o600 });
  return {
    commit: () =>
      rename(staged, path).catch((error: Error) => {
        throw new Error(
          `the credentials now use the key in ${staged}, but it could not replace ${path} (${error.message}): move it there by hand`,
        );
      }),
    discard: () => rm(staged, { force: true }),
  };
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
