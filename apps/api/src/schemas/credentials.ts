import Type from 'typebox';
import { DateTime, Name, Nullable, Text } from './common.js';

/** A credential as it leaves the API: which secrets are set, never a secret. */
export const CredentialSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  username: Type.String(),
  hasSecret: Type.Boolean(),
  hasEnableSecret: Type.Boolean(),
  hasPrivateKey: Type.Boolean(),
  routerCount: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const Secret = Nullable(Type.String({ minLength: 1, maxLength: 16_384, writeOnly: true }));

export const CreateCredentialSchema = Type.Object(
  {
    name: Name,
    username: Text({ maxLength: 200 }),
    secret: Type.Optional(Type.Union([Secret], { description: 'login password (write-only)' })),
    enableSecret: Type.Optional(Type.Union([Secret], { description: 'enable password (write-only)' })),
    privateKey: Type.Optional(Type.Union([Secret], { description: 'OpenSSH/PEM private key (write-only)' })),
  },
  { additionalProperties: false },
);
