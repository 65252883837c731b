import { randomUUID } from 'node:crypto';
import type { Db } from '../client.js';
import { NotFoundError, translatePrismaError } from '../errors.js';
import { createSecretBox, type SecretBox } from '../secret-box.js';

export type CredentialInput = {
  name: string;
  username: string;
  /** Login password. */
  secret?: string | null;
  /** `enable` password (IOS). */
  enableSecret?: string | null;
  /** OpenSSH/PEM private key text. */
  privateKey?: string | null;
};

/** A credential as the API may show it: which secrets are set, never the secrets. */
export type CredentialView = {
  id: string;
  name: string;
  username: string;
  hasSecret: boolean;
  hasEnableSecret: boolean;
  hasPrivateKey: boolean;
  routerCount: number;
  createdAt: Date;
  updatedAt: Date;
};

export type SecretField = 'secret' | 'enable' | 'privateKey';

/** The authenticated context of one stored secret: a ciphertext only decrypts in the row and column it was made for. */
export function secretContext(credentialId: string, field: SecretField): string {
  return `credential:${credentialId}:${field}`;
}

const select = {
  id: true,
  name: true,
  username: true,
  secretEncrypted: true,
  enableEncrypted: true,
  privateKeyEncrypted: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { routers: true } },
} as const;

/**
 * Credentials for the API: secrets go in (encrypted with AES-256-GCM under the configured key) and never come out.
 * Creating or changing a secret without a key fails with SecretKeyMissingError.
 */
export class CredentialsRepository {
  private readonly box: SecretBox;

  constructor(
    private readonly db: Db,
    secretKey: Buffer | null,
  ) {
    this.box = createSecretBox(secretKey);
  }

  async create(input: CredentialInput): Promise<CredentialView> {
    const id = randomUUID();
    try {
      const row = await this.db.prisma.credential.create({
        data: {
          id,
          name: input.name,
          username: input.username,
          secretEncrypted: this.seal(id, 'secret', input.secret),
          enableEncrypted: this.seal(id, 'enable', input.enableSecret),
          privateKeyEncrypted: this.seal(id, 'privateKey', input.privateKey),
        },
        select,
      });
      return toView(row);
    } catch (error) {
      throw translatePrismaError(error, `credential ${input.name}`);
    }
  }

  /** Changes the given fields; a secret set to null is removed, an absent one is kept. */
  async update(name: string, patch: Partial<CredentialInput>): Promise<CredentialView> {
    const current = await this.db.prisma.credential.findUnique({ where: { name }, select: { id: true } });
    if (!current) throw new NotFoundError(`credential ${name} not found`);
    const { id } = current;
    try {
      const row = await this.db.prisma.credential.update({
        where: { id },
        data: {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.username !== undefined ? { username: patch.username } : {}),
          ...(patch.secret !== undefined ? { secretEncrypted: this.seal(id, 'secret', patch.secret) } : {}),
          ...(patch.enableSecret !== undefined
            ? { enableEncrypted: this.seal(id, 'enable', patch.enableSecret) }
            : {}),
          ...(patch.privateKey !== undefined
            ? { privateKeyEncrypted: this.seal(id, 'privateKey', patch.privateKey) }
            : {}),
        },
        select,
      });
      return toView(row);
    } catch (error) {
      throw translatePrismaError(error, `credential ${patch.name ?? name}`);
    }
  }

  /** Fails with ConflictError while a router still uses the credential. */
  async delete(name: string): Promise<void> {
    try {
      const { count } = await this.db.prisma.credential.deleteMany({ where: { name } });
      if (count === 0) throw new NotFoundError(`credential ${name} not found`);
    } catch (error) {
      throw translatePrismaError(error, `credential ${name}`);
    }
  }

  async getByName(name: string): Promise<CredentialView | null> {
    const row = await this.db.prisma.credential.findUnique({ where: { name }, select });
    return row ? toView(row) : null;
  }

  async list(): Promise<CredentialView[]> {
    const rows = await this.db.prisma.credential.findMany({ select, orderBy: { name: 'asc' } });
    return rows.map(toView);
  }

  private seal(
    id: string,
    field: SecretField,
    value: string | null | undefined,
  ): Uint8Array<ArrayBuffer> | null {
    if (value === null || value === undefined) return null;
    return new Uint8Array(this.box.encrypt(value, secretContext(id, field)));
  }
}

type Row = {
  id: string;
  name: string;
  username: string;
  secretEncrypted: Uint8Array | null;
  enableEncrypted: Uint8Array | null;
  privateKeyEncrypted: Uint8Array | null;
  createdAt: Date;
  updatedAt: Date;
  _count: { routers: number };
};

function toView(row: Row): CredentialView {
  return {
    id: row.id,
    name: row.name,
    username: row.username,
    hasSecret: row.secretEncrypted !== null,
    hasEnableSecret: row.enableEncrypted !== null,
    hasPrivateKey: row.privateKeyEncrypted !== null,
    routerCount: row._count.routers,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
