import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';

const run = promisify(execFile);
let fleet: Fleet;

beforeAll(async () => {
  // The point of this file is a foreign client: without it the test must fail loudly, not pass vacuously.
  await run('sh', ['-c', 'command -v ssh && command -v sshpass']).catch(() => {
    throw new Error(
      'the OpenSSH interop test needs `ssh` and `sshpass` (apt-get install openssh-client sshpass)',
    );
  });
  fleet = await startFleet({
    timeScale: 0,
    routers: [{ name: 'R1', loginPrivileged: true, password: 's3cret', tunnels: [{ peer: '198.51.100.2' }] }],
  });
});
afterAll(() => fleet.close());

/** The Debian OpenSSH client with the password from sshpass: proof that this is real SSH. */
function openssh(args: string[], input?: string) {
  const { host, port, username, password } = fleet.router('R1').access;
  const child = run(
    'sshpass',
    [
      '-p',
      password,
      'ssh',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'PubkeyAuthentication=no',
      '-o',
      'LogLevel=ERROR',
      '-p',
      String(port),
      `${username}@${host}`,
      ...args,
    ],
    { timeout: 10_000 },
  );
  if (input !== undefined) child.child.stdin?.end(input);
  return child;
}

describe('OpenSSH interop', () => {
  it('runs show crypto ipsec sa as an exec request', async () => {
    const { stdout } = await openssh(['show crypto ipsec sa']);
    expect(stdout.replace(/\r/g, '')).toBe(
      `${fleet.router('R1').run('show crypto ipsec sa').replace(/\r/g, '')}\n`,
    );
  });

  it('logs in to the interactive CLI and runs show crypto ipsec sa', async () => {
    const { stdout } = await openssh(['-tt'], 'terminal length 0\rshow crypto ipsec sa\rexit\r');
    expect(stdout).toContain('R1#show crypto ipsec sa');
    expect(stdout).toContain('current_peer 198.51.100.2 port 500');
  });
});
