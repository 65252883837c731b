import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeKey } from '@tunnelwatch/config';

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The credential key of an all-in-one install: TUNNELWATCH_SECRET_KEY when set, else the one kept in the data dir,
 * generated there once (mode 0600). Losing that file makes the stored credentials unreadable, so it is never
 * overwritten.
 */
export async function ensureSecretKey(
  configured: Buffer | null,
  dataDir: string,
): Promise<{ key: Buffer; generatedAt: string | null; path: string | null }> {
  if (configured) return { key: configured, generatedAt: null, path: null };
  const path = join(dataDir, SECRET_KEY_FILE);
  let text: string | null = null;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read the secret key in ${path}: ${(error as Error).message}`);
    }
  }
  if (text !== null) {
    if (!/^[0-9a-fA-F]{64}$/.test(text)) {
      throw new Error(`${path} does not hold a 32-byte key as 64 hex digits: restore it from a backup`);
    }
    return { key: decodeKey(text), generatedAt: null, path };
  }
  const key = randomBytes(32);
  // 'wx': if another process created it meanwhile, fail rather than replace a key already in use.
  await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, generatedAt: path, path };
}
