import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Stored layout: version (1 byte) | IV (12) | GCM tag (16) | ciphertext. The version leaves room for another scheme.
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

export class SecretKeyMissingError extends Error {
  override readonly name = 'SecretKeyMissingError';
  constructor() {
    super(
      'TUNNELWATCH_SECRET_KEY is not set, so credentials cannot be encrypted or decrypted; ' +
        'create a key with `openssl rand -hex 32` and set it for every api and worker process',
    );
  }
}

/** The stored value does not decrypt under this key: a different key, or a corrupted value. Never garbage. */
export class SecretDecryptionError extends Error {
  override readonly name = 'SecretDecryptionError';
}

/** AES-256-GCM with a 32-byte key. `context` is authenticated too, so a ciphertext cannot be moved to another row. */
export type SecretBox = {
  encrypt(plaintext: string, context: string): Buffer;
  decrypt(stored: Uint8Array, context: string): string;
};

export function createSecretBox(key: Buffer | null | undefined): SecretBox {
  const checked = (): Buffer => {
    if (!key) throw new SecretKeyMissingError();
    if (key.length !== 32) throw new RangeError(`the secret key must be 32 bytes, got ${key.length}`);
    return key;
  };
  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', checked(), iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
    },
    decrypt(stored, context) {
      const k = checked();
      const data = Buffer.from(stored);
      if (data.length < HEADER_BYTES || data[0] !== VERSION) {
        throw new SecretDecryptionError(
          `${context}: the stored value is not a tunnelwatch secret (corrupted?)`,
        );
      }
      const decipher = createDecipheriv('aes-256-gcm', k, data.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(data.subarray(1 + IV_BYTES, HEADER_BYTES));
      try {
        return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SecretDecryptionError(
          `${context} cannot be decrypted with the configured TUNNELWATCH_SECRET_KEY: it was encrypted under ` +
            'another key (rotate with `tunnelwatch rotate-secret-key`) or the stored value is corrupted',
        );
      }
    },
  };
}
