export { canonicalAddress, identText } from './addresses.js';
export * from './jobs.js';
export { normalizePoll, type ParsedPoll } from './normalize-poll.js';
export * from './types.js';
export * from './uuid.js';
