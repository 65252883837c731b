export { createDbPollStore } from './db-poll-store.js';
export { type ImportSummary, importInventory } from './import-inventory.js';
export {
  type Inventory,
  type InventoryCredential,
  type InventoryFormat,
  type InventoryProblem,
  type InventoryRouter,
  inlineCredentialName,
  inventoryFormatOf,
  parseInventory,
} from './inventory-file.js';
export { createPollProcessor, type PollRouter, SHUTDOWN_REASON } from './job-processor.js';
export {
  DEFAULT_JOB_OPTIONS,
  InvalidPayloadError,
  JOB_NAMES,
  POLL_QUEUE_NAME,
  parseRouterPollPayload,
  type RouterPollPayload,
  schedulerIdFor,
} from './jobs.js';
export { LoginSemaphore, type LoginSemaphoreOptions, LoginSlotTimeoutError } from './login-semaphore.js';
export { type Platform, POLL_COMMANDS } from './platform-commands.js';
export type { PollOutcome } from './poll-outcome.js';
export { createPollRouter, type PollResult, type PollRouterDeps, pollRouterOnce } from './poll-router.js';
export type { LoginSecrets, PollPublisher, PollStore, PollTarget } from './poll-store.js';
export { type PollWorker, type PollWorkerOptions, startPollWorker } from './poll-worker.js';
export { readPoll } from './read-poll.js';
export { createProducerRedis, createWorkerRedis, waitUntilReady } from './redis-connections.js';
export {
  InvalidRemediationTargetError,
  type RemediationTarget,
  remediationCommand,
  routerErrorIn,
} from './remediation-commands.js';
export {
  parseRemediationPayload,
  REMEDIATION_JOB_NAMES,
  REMEDIATION_JOB_OPTIONS,
  REMEDIATION_QUEUE_NAME,
  type RemediationPayload,
} from './remediation-jobs.js';
export {
  createRemediationRunner,
  type RemediationDeps,
  type RemediationResult,
  runRemediation,
} from './remediation-runner.js';
export {
  createRemediationProcessor,
  type RemediationWorker,
  type RemediationWorkerOptions,
  startRemediationWorker,
} from './remediation-worker.js';
export { DEFAULT_PREFIX, pollDepsFromConfig, startWorkerProcess } from './run-worker.js';
export {
  offsetFor,
  type ScheduledRouter,
  type SchedulerSyncResult,
  syncSchedulers,
} from './scheduler-sync.js';
