import type { CliSessionOptions, SessionTimeouts } from '@tunnelwatch/ssh';
import type { LoginSecrets, PollTarget } from './poll-store.js';

/** How to log in to a router, for a poll or a remediation alike: its address, pinned host key and secrets. */
export function sessionOptionsFor(
  router: PollTarget,
  secrets: LoginSecrets,
  timeouts: Partial<SessionTimeouts> | undefined,
): CliSessionOptions {
  return {
    host: router.host,
    port: router.port,
    username: secrets.username,
    password: secrets.password,
    privateKey: secrets.privateKey,
    enableSecret: secrets.enableSecret,
    platform: router.platform,
    pinnedHostKey: router.hostKey,
    ...(timeouts ? { timeouts } : {}),
  };
}
