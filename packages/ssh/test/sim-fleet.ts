import { type Fleet, type RouterAccess, type RouterSpec, startFleet } from '@tunnelwatch/sim';
import ssh2 from 'ssh2';
import type { CliSessionOptions } from '../src/index.js';

/**
 * A client key pair for `publickey` logins. ssh2's ed25519 generator sometimes drops a leading zero byte of
 * the public key (STACK.md), so a key is only used once it parses back.
 */
export function clientKeyPair(): { privateKey: string; publicKey: string } {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    const parsed = ssh2.utils.parseKey(pair.public);
    if (!(parsed instanceof Error) && !(ssh2.utils.parseKey(pair.private) instanceof Error)) {
      return { privateKey: pair.private, publicKey: pair.public };
    }
  }
}

const TUNNELS: RouterSpec['tunnels'] = [
  { peer: '198.51.100.2', flows: [{ local: '10.1.0.0/24', remote: '10.2.0.0/24' }] },
  { peer: '198.51.100.3', ikeVersion: 2 },
];

/** A frozen-clock fleet covering the login variants the session must handle. */
export function startTestFleet(publicKey: string): Promise<Fleet> {
  return startFleet({
    timeScale: 0,
    routers: [
      // User exec at login, enable secret, banner with its newline.
      { name: 'ios-user', platform: 'ios', banner: 'Authorised access only.', tunnels: TUNNELS },
      // Privileged at login, banner without its final newline.
      {
        name: 'xe-priv',
        platform: 'iosxe',
        loginPrivileged: true,
        banner: 'NO UNAUTHORISED ACCESS #####',
        bannerWithoutNewline: true,
        tunnels: TUNNELS,
      },
      { name: 'asa', platform: 'asa', hostname: 'asa/pri/act', tunnels: TUNNELS },
      {
        name: 'keyed',
        platform: 'ios',
        loginPrivileged: true,
        authorizedKeys: [publicKey],
        tunnels: TUNNELS,
      },
      // One router per fault test, so a fault never leaks into another test.
      ...[
        'refuse',
        'hang-connect',
        'hang-output',
        'drop',
        'slow',
        'too-slow',
        'garbage',
        'reject',
        'paging',
      ].map((name) => ({
        name: `fault-${name}`,
        platform: 'ios' as const,
        loginPrivileged: true,
        tunnels: TUNNELS,
      })),
    ],
  });
}

/** Session options for a simulated router, with short timeouts so fault tests stay fast. */
export function sessionOptions(
  access: RouterAccess,
  overrides: Partial<CliSessionOptions> = {},
): CliSessionOptions {
  return {
    host: access.host,
    port: access.port,
    username: access.username,
    password: access.password,
    enableSecret: access.enableSecret,
    platform: access.platform,
    pinnedHostKey: access.hostKeyFingerprint,
    timeouts: { connectMs: 1_000, loginMs: 2_000, commandMs: 1_500, sessionMs: 10_000 },
    ...overrides,
  };
}

/** What the simulator's own renderer prints for a command, as the session returns it (LF line ends). */
export function expectedOutput(text: string): string {
  // `run` joins the output lines; the shell ends each of them, the last one included.
  return text === '' ? '' : `${text.replace(/\r\n/g, '\n')}\n`;
}
