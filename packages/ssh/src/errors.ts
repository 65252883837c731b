/**
 * Why a CLI session failed (the `reason` label of DESIGN.md §6, restricted to what a session can cause).
 * `timeout`: the router was reached but did not answer in time. `unreachable`: no TCP/SSH connection, or the
 * connection was lost. `auth`: login or enable rejected. `host_key`: the presented host key is not the pinned
 * one. `prompt`: the CLI could not be driven (no recognisable prompt, output not attributable to its command).
 */
export type SessionFailureReason = 'timeout' | 'unreachable' | 'auth' | 'host_key' | 'prompt';

/** The router's SSH host key as presented in the key exchange. */
export type HostKeyInfo = {
  /** Key type from the key blob: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, … */
  algorithm: string;
  /** OpenSSH-style `SHA256:<base64 without padding>` of the key blob. */
  fingerprint: string;
};

/** Retrying cannot help (and could lock the account) for these; the rest may be transient. */
const PERMANENT_REASONS: ReadonlySet<SessionFailureReason> = new Set(['auth', 'host_key']);

export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly reason: SessionFailureReason;
  /** Whether polling again later may succeed (false for `auth`, `host_key` and algorithm mismatches). */
  readonly retry: boolean;
  /** For `host_key`: the key the router presented (so the operator can compare and accept it). */
  readonly presentedHostKey: HostKeyInfo | null;

  constructor(
    reason: SessionFailureReason,
    message: string,
    options: { retry?: boolean; presentedHostKey?: HostKeyInfo; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.retry = options.retry ?? !PERMANENT_REASONS.has(reason);
    this.presentedHostKey = options.presentedHostKey ?? null;
  }
}

/** A programming error: the caller asked to send a command that is not on the allow-list. Nothing was sent. */
export class CommandNotAllowedError extends Error {
  override readonly name = 'CommandNotAllowedError';
  readonly command: string;

  constructor(command: string) {
    super(`command not on the allow-list: ${JSON.stringify(command)}`);
    this.command = command;
  }
}
