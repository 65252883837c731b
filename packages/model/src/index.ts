export { canonicalAddress, identText } from './addresses.js';
export { normalizePoll, type ParsedPoll } from './normalize-poll.js';
export * from './types.js';
