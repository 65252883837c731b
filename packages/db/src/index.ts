export { createDb, type Db, type DbOptions } from './client.js';
export { type DatabaseServer, embeddedDataDir, openDatabaseServer } from './database-server.js';
export {
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
  startEmbeddedPostgres,
} from './embedded-postgres.js';
export { ConflictError, InvalidCursorError, NotFoundError } from './errors.js';
export {
  DEFAULT_MIGRATIONS_DIR,
  type MigrateResult,
  MigrationError,
  type MigrationFile,
  migrate,
  readMigrations,
} from './migrate.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, type PageRequest } from './paging.js';
export {
  type ActionKind,
  type ActionLimits,
  ActionRateLimitError,
  type ActionRequest,
  type ActionStatus,
  ActionsRepository,
  type ActionView,
  auditActionOf,
  RouterBusyError,
} from './repositories/actions-repository.js';
export {
  ApiTokensRepository,
  type ApiTokenView,
  hashToken,
  TOKEN_SCOPES,
  type TokenScope,
} from './repositories/api-tokens-repository.js';
export {
  type AuditEntryInput,
  type AuditEntryView,
  type AuditFilter,
  AuditLogRepository,
} from './repositories/audit-log-repository.js';
export {
  type CredentialSecrets,
  CredentialSecretsRepository,
} from './repositories/credential-secrets-repository.js';
export {
  type CredentialInput,
  CredentialsRepository,
  type CredentialView,
} from './repositories/credentials-repository.js';
export {
  type EventFilter,
  type EventInput,
  EventsRepository,
  type EventView,
} from './repositories/events-repository.js';
export { type PollFilter, PollsRepository, type PollView } from './repositories/polls-repository.js';
export { RawOutputsRepository, type RawOutputView } from './repositories/raw-outputs-repository.js';
export {
  type HostKeyCheck,
  type Platform,
  type PollTarget,
  type RouterFilter,
  type RouterInput,
  RoutersRepository,
  type RouterView,
  type ScheduledRouter,
} from './repositories/routers-repository.js';
export {
  type FlowDirectionView,
  type FlowView,
  type RouterState,
  type SaView,
  type TunnelDetail,
  type TunnelFilter,
  TunnelsRepository,
  type TunnelView,
} from './repositories/tunnels-repository.js';
export {
  type ApiRepositories,
  createApiRepositories,
  createWorkerRepositories,
  type WorkerRepositories,
} from './repositories.js';
export { applyRetention, type RetentionOptions, type RetentionResult } from './retention.js';
export { rotateSecretKey } from './rotate-secret-key.js';
export {
  type FailedPoll,
  type PollToSave,
  type SavedEvent,
  type SavePollOutcome,
  type SuccessfulPoll,
  savePollResult,
} from './save-poll-result.js';
export { SecretDecryptionError, SecretKeyMissingError } from './secret-box.js';
