import type { Db } from './client.js';
import { secretContext } from './repositories/credentials-repository.js';
import { createSecretBox } from './secret-box.js';

/**
 * Re-encrypts every stored secret from `oldKey` to `newKey` in one transaction. Every secret is decrypted first, so a
 * wrong old key changes nothing (SecretDecryptionError names the first credential that failed).
 */
export async function rotateSecretKey(
  db: Db,
  oldKey: Buffer,
  newKey: Buffer,
): Promise<{ credentials: number }> {
  const from = createSecretBox(oldKey);
  const to = createSecretBox(newKey);
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{
        id: string;
        name: string;
        secret_encrypted: Buffer | null;
        enable_encrypted: Buffer | null;
        private_key_encrypted: Buffer | null;
      }>(
        'SELECT id, name, secret_encrypted, enable_encrypted, private_key_encrypted FROM credentials ORDER BY id FOR UPDATE',
      );
      const reencrypt = (id: string, field: 'secret' | 'enable' | 'privateKey', value: Buffer | null) => {
        if (value === null) return null;
        const context = secretContext(id, field);
        return to.encrypt(from.decrypt(value, context), context);
      };
      const updated = rows.map((row) => [
        row.id,
        reencrypt(row.id, 'secret', row.secret_encrypted),
        reencrypt(row.id, 'enable', row.enable_encrypted),
        reencrypt(row.id, 'privateKey', row.private_key_encrypted),
      ]);
      for (const values of updated) {
        await client.query(
          `UPDATE credentials SET secret_encrypted = $2, enable_encrypted = $3, private_key_encrypted = $4,
             updated_at = now() WHERE id = $1`,
          values,
        );
      }
      await client.query('COMMIT');
      return { credentials: rows.length };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    client.release();
  }
}
