import { createLogger, loadConfig } from '@tunnelwatch/config';
import { ConflictError, createDb, NotFoundError, TOKEN_SCOPES, type TokenScope } from '@tunnelwatch/db';
import { API_TOKEN_REVOKED_CHANNEL } from '@tunnelwatch/model';
import { type Command, InvalidArgumentError } from 'commander';
import { requireDatabaseUrl } from './required-settings.js';

// Long enough for a Redis on another host, short enough that an unreachable one does not hold the command up.
const REDIS_WAIT_MS = 2000;

function parseScopes(text: string): TokenScope[] {
  const scopes = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.find((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown !== undefined) {
    throw new InvalidArgumentError(`use one or more of ${TOKEN_SCOPES.join(', ')}, comma-separated`);
  }
  return scopes as TokenScope[];
}

function parseDays(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1)
    throw new InvalidArgumentError('a whole number of days, at least 1');
  return days;
}

/** Runs `work` against the database of DATABASE_URL; known refusals end with exit 1 and their message. */
async function withDb(work: (db: ReturnType<typeof createDb>) => Promise<void>): Promise<void> {
  const db = createDb({ url: requireDatabaseUrl(loadConfig()) });
  try {
    await work(db);
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('API bearer tokens (only their SHA-256 is stored)');

  token
    .command('create')
    .description('create a token and print it once (it cannot be shown again)')
    .requiredOption('--name <name>', 'a unique name, shown in the audit log')
    .requiredOption('--scopes <list>', `comma-separated: ${TOKEN_SCOPES.join(', ')}`, parseScopes)
    .option('--expires-in-days <days>', 'the token stops working after this many days', parseDays)
    .action(async (options: { name: string; scopes: TokenScope[]; expiresInDays?: number }) => {
      const { ApiTokensRepository } = await import('@tunnelwatch/db');
      await withDb(async (db) => {
        const expiresAt =
          options.expiresInDays === undefined
            ? null
            : new Date(Date.now() + options.expiresInDays * 86_400_000);
        const created = await new ApiTokensRepository(db).create({
          name: options.name,
          scopes: options.scopes,
          expiresAt,
        });
        // The token alone on stdout, so `TOKEN=$(tunnelwatch token create …)` works; the note goes to stderr.
        process.stdout.write(`${created.token}\n`);
        process.stderr.write(
          `token ${created.view.name} (${created.view.scopes.join(', ')}) created; it is shown only this once\n`,
        );
      });
    });

  token
    .command('list')
    .description('list tokens (names, scopes, dates; never the tokens)')
    .action(async () => {
      const { ApiTokensRepository } = await import('@tunnelwatch/db');
      await withDb(async (db) => {
        for (const t of await new ApiTokensRepository(db).list()) {
          const state = t.revokedAt
            ? 'revoked'
            : t.expiresAt && t.expiresAt <= new Date()
              ? 'expired'
              : 'active';
          const used = t.lastUsedAt ? t.lastUsedAt.toISOString() : 'never';
          process.stdout.write(`${t.name}\t${t.scopes.join(',')}\t${state}\tlast used ${used}\n`);
        }
      });
    });

  token
    .command('revoke')
    .description(
      'stop a token from working (running APIs are told over Redis and refuse it at once; without Redis within 5 s)',
    )
    .argument('<name>', 'the token name')
    .action(async (name: string) => {
      const { ApiTokensRepository } = await import('@tunnelwatch/db');
      await withDb(async (db) => {
        const id = await new ApiTokensRepository(db).revoke(name);
        process.stderr.write(`token ${name} revoked\n`);
        await announceRevoked(id);
      });
    });
}

/** Tells every API process to drop the token from its verified-token cache; the revocation holds without it. */
async function announceRevoked(tokenId: string): Promise<void> {
  const { redisUrl } = loadConfig();
  const { createProducerRedis, waitUntilReady } = await import('@tunnelwatch/worker');
  // Silent: the outcome is said once below instead of a connection error per reconnect attempt.
  const redis = createProducerRedis(redisUrl, createLogger({ level: 'silent' }), 'cli');
  try {
    await waitUntilReady(redis, REDIS_WAIT_MS);
    await redis.publish(API_TOKEN_REVOKED_CHANNEL, tokenId);
  } catch (error) {
    process.stderr.write(
      `warning: could not tell running APIs over Redis (REDIS_URL: ${(error as Error).message}); ` +
        'they refuse the token within their token cache lifetime (5 s)\n',
    );
  } finally {
    redis.disconnect();
  }
}
