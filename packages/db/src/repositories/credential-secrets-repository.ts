import type { Db } from '../client.js';
import { NotFoundError } from '../errors.js';
import { createSecretBox, type SecretBox } from '../secret-box.js';
import { type SecretField, secretContext } from './credentials-repository.js';

/** Decrypted login material: for the worker's SSH session only. Never log it, never put it in job data. */
export type CredentialSecrets = {
  username: string;
  secret: string | null;
  enableSecret: string | null;
  privateKey: string | null;
};

/** The only reader of decrypted secrets (the worker's). A wrong key fails with SecretDecryptionError. */
export class CredentialSecretsRepository {
  private readonly box: SecretBox;

  constructor(
    private readonly db: Db,
    secretKey: Buffer | null,
  ) {
    this.box = createSecretBox(secretKey);
  }

  async get(credentialId: string): Promise<CredentialSecrets> {
    const row = await this.db.prisma.credential.findUnique({ where: { id: credentialId } });
    if (!row) throw new NotFoundError(`credential ${credentialId} not found`);
    const open = (field: SecretField, value: Uint8Array | null) =>
      value === null ? null : this.box.decrypt(value, secretContext(row.id, field));
    return {
      username: row.username,
      secret: open('secret', row.secretEncrypted),
      enableSecret: open('enable', row.enableEncrypted),
      privateKey: open('privateKey', row.privateKeyEncrypted),
    };
  }
}
