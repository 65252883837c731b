import type { Db } from './client.js';
import { ApiTokensRepository } from './repositories/api-tokens-repository.js';
import { AuditLogRepository } from './repositories/audit-log-repository.js';
import { CredentialSecretsRepository } from './repositories/credential-secrets-repository.js';
import { CredentialsRepository } from './repositories/credentials-repository.js';
import { EventsRepository } from './repositories/events-repository.js';
import { PollsRepository } from './repositories/polls-repository.js';
import { RawOutputsRepository } from './repositories/raw-outputs-repository.js';
import { RoutersRepository } from './repositories/routers-repository.js';
import { TunnelsRepository } from './repositories/tunnels-repository.js';

/** What the API serves from: no repository here returns a decrypted secret. */
export type ApiRepositories = {
  routers: RoutersRepository;
  credentials: CredentialsRepository;
  polls: PollsRepository;
  tunnels: TunnelsRepository;
  events: EventsRepository;
  rawOutputs: RawOutputsRepository;
  apiTokens: ApiTokensRepository;
  auditLog: AuditLogRepository;
};

export function createApiRepositories(db: Db, options: { secretKey: Buffer | null }): ApiRepositories {
  return {
    routers: new RoutersRepository(db),
    credentials: new CredentialsRepository(db, options.secretKey),
    polls: new PollsRepository(db),
    tunnels: new TunnelsRepository(db),
    events: new EventsRepository(db),
    rawOutputs: new RawOutputsRepository(db),
    apiTokens: new ApiTokensRepository(db),
    auditLog: new AuditLogRepository(db),
  };
}

/** What a worker needs: poll targets, host keys, decrypted credentials, and the poll writer. */
export type WorkerRepositories = {
  routers: RoutersRepository;
  credentialSecrets: CredentialSecretsRepository;
  polls: PollsRepository;
  events: EventsRepository;
};

export function createWorkerRepositories(db: Db, options: { secretKey: Buffer | null }): WorkerRepositories {
  return {
    routers: new RoutersRepository(db),
    credentialSecrets: new CredentialSecretsRepository(db, options.secretKey),
    polls: new PollsRepository(db),
    events: new EventsRepository(db),
  };
}
