export { createDbPollStore } from './db-poll-store.js';
export { createPollProcessor, type PollRouter, SHUTDOWN_REASON } from './job-processor.js';
export { DEFAULT_JOB_OPTIONS, schedulerIdFor } from './jobs.js';
export { LoginSemaphore, type LoginSemaphoreOptions, LoginSlotTimeoutError } from './login-semaphore.js';
export { type Platform, POLL_COMMANDS } from './platform-commands.js';
export type { PollOutcome } from './poll-outcome.js';
export { createPollRouter, type PollResult, type PollRouterDeps, pollRouterOnce } from './poll-router.js';
export type { LoginSecrets, PollPublisher, PollStore, PollTarget } from './poll-store.js';
export { type PollWorker, type PollWorkerOptions, startPollWorker } from './poll-worker.js';
export { readPoll } from './read-poll.js';
export { createProducerRedis, createWorkerRedis, waitUntilReady } from './redis-connections.js';
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
export { pollDepsFromConfig, startWorkerProcess } from './run-worker.js';
export {
  offsetFor,
  type ScheduledRouter,
  type SchedulerSyncResult,
  syncSchedulers,
} from './scheduler-sync.js';
