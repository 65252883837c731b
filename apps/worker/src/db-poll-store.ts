import { CredentialSecretsRepository, type Db, NotFoundError, RoutersRepository } from '@tunnelwatch/db';
import type { PollStore } from './poll-store.js';

/** The poll's view of Postgres, over packages/db's repositories. */
export function createDbPollStore(db: Db, secretKey: Buffer | null): PollStore {
  const routers = new RoutersRepository(db);
  const credentials = new CredentialSecretsRepository(db, secretKey);
  return {
    getRouter: (routerId) => routers.getPollTarget(routerId),
    async getSecrets(credentialId) {
      try {
        const secrets = await credentials.get(credentialId);
        return {
          username: secrets.username,
          password: secrets.secret,
          enableSecret: secrets.enableSecret,
          privateKey: secrets.privateKey,
        };
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
    },
    checkHostKey: (routerId, fingerprint) => routers.checkHostKey(routerId, fingerprint),
  };
}
