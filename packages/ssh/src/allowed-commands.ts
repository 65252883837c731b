import { isIP } from 'node:net';

/**
 * The only commands a session will send (DESIGN.md §9). This list is the single place to extend. `<address>`
 * stands for one IPv4 or IPv6 address and nothing else; `<vrf>` for one VRF name (letters, digits, `_.:-`, at
 * most 32). The enable secret is typed in answer to the `Password:` prompt of `enable` and is not a command.
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
  // Remediation (docs/remediation.md), off unless REMEDIATION_ENABLED: IOS / IOS-XE, then ASA.
  'clear crypto sa peer <address>',
  'clear crypto sa peer vrf <vrf> <address>',
  'clear crypto isakmp',
  'clear crypto ipsec sa peer <address>',
];

/** What each placeholder token may be filled with. */
const PLACEHOLDERS: Record<string, (token: string) => boolean> = {
  // isIP accepts IPv6 zone ids (`fe80::1%eth0`); a router command has no use for them.
  '<address>': (token) => isIP(token) !== 0 && !token.includes('%'),
  '<vrf>': (token) => /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,31}$/.test(token),
};

/** Whether `command` is exactly an allow-listed command (placeholders filled with valid values). */
export function isCommandAllowed(command: string): boolean {
  return ALLOWED_COMMANDS.some((allowed) => matchesAllowed(allowed, command));
}

/** Word by word, single spaces only: a newline, a pipe or an extra word anywhere makes it a different command. */
function matchesAllowed(allowed: string, command: string): boolean {
  const expected = allowed.split(' ');
  const given = command.split(' ');
  if (given.length !== expected.length) return false;
  return expected.every((word, index) => {
    const token = given[index]!;
    const placeholder = PLACEHOLDERS[word];
    return placeholder ? placeholder(token) : token === word;
  });
}
