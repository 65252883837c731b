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
export { type PollWorker, type PollWorkerOptions, startPollWorker } from './poll-worker.js';
export { createProducerRedis, createWorkerRedis, waitUntilReady } from './redis-connections.js';
export {
  offsetFor,
  type ScheduledRouter,
  type SchedulerSyncResult,
  syncSchedulers,
} from './scheduler-sync.js';
