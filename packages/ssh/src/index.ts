export { ALLOWED_COMMANDS, isCommandAllowed } from './allowed-commands.js';
export {
  type AuthMethod,
  CliSession,
  type CliSessionOptions,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_TIMEOUTS,
  openCliSession,
  type Platform,
  type SessionTimeouts,
  withCliSession,
} from './cli-session.js';
export {
  CommandNotAllowedError,
  type HostKeyInfo,
  SessionError,
  type SessionFailureReason,
} from './errors.js';
export { describeHostKey, fingerprintsMatch } from './host-key.js';
export {
  InvalidRemediationTargetError,
  type RemediationTarget,
  remediationCommand,
  routerErrorIn,
} from './remediation-commands.js';
