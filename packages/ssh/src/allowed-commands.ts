import { isIP } from 'node:net';

/**
 * The only commands a session will send (DESIGN.md §9). This list is the single place to extend: remediation
 * will add `clear crypto sa peer <address>` and `clear crypto isakmp` here. `<address>` stands for one IPv4 or
 * IPv6 address and nothing else. The enable secret is typed in answer to the `Password:` prompt of `enable`
 * and is not a command.
 */
export const ALLOWED_COMMANDS: readonly string[] = [
  // Session setup (IOS / IOS-XE, then ASA).
  'enable',
  'terminal length 0',
  'terminal width 0',
  'terminal pager 0',
  // What the poller reads.
  'show crypto ipsec sa',
  'show crypto ipsec sa detail',
  'show crypto ipsec sa peer <address>',
  'show crypto isakmp sa',
  'show crypto isakmp sa detail',
  'show crypto ikev1 sa',
  'show crypto ikev1 sa detail',
  'show crypto ikev2 sa',
  'show crypto ikev2 sa detail',
  'show crypto map',
  'show crypto session',
  'show crypto session detail',
];

const ADDRESS_PLACEHOLDER = '<address>';

/** Whether `command` is exactly an allow-listed command (placeholders filled with a valid IP address). */
export function isCommandAllowed(command: string): boolean {
  return ALLOWED_COMMANDS.some((allowed) => matchesAllowed(allowed, command));
}

function matchesAllowed(allowed: string, command: string): boolean {
  const placeholderAt = allowed.indexOf(ADDRESS_PLACEHOLDER);
  if (placeholderAt < 0) return command === allowed;
  const prefix = allowed.slice(0, placeholderAt);
  const suffix = allowed.slice(placeholderAt + ADDRESS_PLACEHOLDER.length);
  if (!command.startsWith(prefix) || !command.endsWith(suffix)) return false;
  const argument = command.slice(prefix.length, command.length - suffix.length);
  return isIP(argument) !== 0;
}
