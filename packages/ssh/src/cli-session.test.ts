import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import type { Fleet } from '@tunnelwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKeyPair, expectedOutput, sessionOptions, startTestFleet } from '../test/sim-fleet.js';
import { openCliSession, withCliSession } from './cli-session.js';
import { CommandNotAllowedError, SessionError } from './errors.js';

// Real ssh2 sessions against the simulator (packages/sim): one SSH listener per router on loopback.
let fleet: Fleet;
const key = clientKeyPair();

beforeAll(async () => {
  fleet = await startTestFleet(key.publicKey);
});
afterAll(async () => {
  await fleet?.close();
});

const access = (name: string) => fleet.router(name).access;

/** The rejection of `promise` as a SessionError, and how long it took to come. */
async function failure(promise: Promise<unknown>): Promise<{ error: SessionError; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected a SessionError, but the call succeeded');
}

/**
 * Established client-side TCP connections to `port`, from the kernel's table: whether the session really
 * closed its socket (not just its SSH channel).
 */
function establishedTo(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[2]?.endsWith(`:${hexPort}`) && fields[3] === '01').length;
}

async function expectNoConnection(port: number): Promise<void> {
  await expect.poll(() => establishedTo(port), { timeout: 1_500, interval: 50 }).toBe(0);
}

describe('CliSession against the simulator', () => {
  it('logs in with a password at user exec, enables, and returns exactly each command’s output', async () => {
    const router = fleet.router('ios-user');
    await withCliSession(sessionOptions(router.access), async (session) => {
      expect(session.prompt).toBe('ios-user#');
      expect(session.hostKey.fingerprint).toBe(router.access.hostKeyFingerprint);
      expect(session.hostKey.algorithm).toBe('ssh-ed25519');
      for (const command of ['show crypto ipsec sa', 'show crypto isakmp sa', 'show crypto map']) {
        const output = await session.run(command);
        expect(output).toBe(expectedOutput(router.run(command)));
      }
      expect(session.bytesRead).toBeGreaterThan(1000);
    });
  });

  it('keeps concurrent calls apart: each gets its own command’s output', async () => {
    const router = fleet.router('ios-user');
    await withCliSession(sessionOptions(router.access), async (session) => {
      const commands = [
        'show crypto ipsec sa',
        'show crypto ikev2 sa',
        'show crypto session detail',
        'show crypto map',
      ];
      const outputs = await Promise.all(commands.map((command) => session.run(command)));
      outputs.forEach((output, index) => {
        expect(output).toBe(expectedOutput(router.run(commands[index]!)));
      });
    });
  });

  it('finds the prompt after a banner without its final newline, already privileged', async () => {
    const router = fleet.router('xe-priv');
    await withCliSession(sessionOptions(router.access, { enableSecret: null }), async (session) => {
      expect(session.prompt).toBe('xe-priv#');
      expect(await session.run('show crypto ikev2 sa')).toBe(
        expectedOutput(router.run('show crypto ikev2 sa')),
      );
    });
  });

  it('drives an ASA prompt with slashes and `terminal pager 0`', async () => {
    const router = fleet.router('asa');
    await withCliSession(sessionOptions(router.access), async (session) => {
      expect(session.prompt).toBe('asa/pri/act#');
      expect(await session.run('show crypto ipsec sa')).toBe(
        expectedOutput(router.run('show crypto ipsec sa')),
      );
    });
  });

  it('stays in user exec without an enable secret', async () => {
    await withCliSession(sessionOptions(access('ios-user'), { enableSecret: null }), async (session) => {
      expect(session.prompt).toBe('ios-user>');
    });
  });

  it.each([
    ['password', { authMethods: ['password'] as const }],
    ['keyboard-interactive', { authMethods: ['keyboard-interactive'] as const }],
  ])('authenticates with %s alone', async (_method, overrides) => {
    await withCliSession(sessionOptions(access('ios-user'), overrides), async (session) => {
      expect(session.prompt).toBe('ios-user#');
    });
  });

  it('authenticates with a private key', async () => {
    const options = sessionOptions(access('keyed'), { password: null, privateKey: key.privateKey });
    await withCliSession(options, async (session) => {
      expect(session.prompt).toBe('keyed#');
    });
  });

  it('fails with auth (no retry) on a wrong password, a wrong key, a rejecting router and a wrong enable secret', async () => {
    const wrongPassword = await failure(
      openCliSession(sessionOptions(access('ios-user'), { password: 'nope' })),
    );
    expect(wrongPassword.error).toMatchObject({ reason: 'auth', retry: false });
    const wrongKey = await failure(
      openCliSession(
        sessionOptions(access('keyed'), { password: null, privateKey: clientKeyPair().privateKey }),
      ),
    );
    expect(wrongKey.error.reason).toBe('auth');
    await fleet.router('fault-reject').setFault({ kind: 'reject-login' });
    const rejected = await failure(openCliSession(sessionOptions(access('fault-reject'))));
    expect(rejected.error.reason).toBe('auth');
    const badSecret = await failure(
      openCliSession(sessionOptions(access('ios-user'), { enableSecret: 'wrong' })),
    );
    expect(badSecret.error).toMatchObject({ reason: 'auth', message: 'the enable secret was rejected' });
    expect(badSecret.error.message).not.toContain('wrong');
  });

  it('reports the presented key on first contact and refuses a changed key with host_key', async () => {
    const router = fleet.router('keyed');
    const options = sessionOptions(router.access, { password: null, privateKey: key.privateKey });
    const first = await openCliSession({ ...options, pinnedHostKey: null });
    const pinned = first.hostKey.fingerprint;
    first.close();
    expect(pinned).toBe(router.access.hostKeyFingerprint);
    const newFingerprint = router.changeHostKey();
    expect(newFingerprint).not.toBe(pinned);
    const changed = await failure(openCliSession({ ...options, pinnedHostKey: pinned }));
    expect(changed.error).toMatchObject({
      reason: 'host_key',
      retry: false,
      presentedHostKey: { algorithm: 'ssh-ed25519', fingerprint: newFingerprint },
    });
    // Once the operator accepts (pins) the new key, sessions go through again.
    const accepted = await openCliSession({ ...options, pinnedHostKey: newFingerprint });
    accepted.close();
  });

  it('fails with unreachable when the connection is refused', async () => {
    const router = fleet.router('fault-refuse');
    const options = sessionOptions(router.access);
    await router.setFault({ kind: 'refuse' });
    const refused = await failure(openCliSession(options));
    expect(refused.error).toMatchObject({ reason: 'unreachable', retry: true });
    expect(refused.error.message).toContain('ECONNREFUSED');
    expect(refused.ms).toBeLessThan(1_000);
  });

  it('fails with unreachable on a port nothing listens on', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const closedPort = await failure(openCliSession(sessionOptions(access('ios-user'), { port })));
    expect(closedPort.error).toMatchObject({ reason: 'unreachable', retry: true });
    expect(closedPort.ms).toBeLessThan(1_000);
  });

  it('fails with timeout when the router accepts TCP but never speaks SSH', async () => {
    const router = fleet.router('fault-hang-connect');
    await router.setFault({ kind: 'hang-on-connect' });
    const hung = await failure(openCliSession(sessionOptions(router.access)));
    expect(hung.error).toMatchObject({ reason: 'timeout', retry: true });
    expect(hung.ms).toBeGreaterThanOrEqual(1_900);
    expect(hung.ms).toBeLessThan(3_000);
  });

  it('fails with timeout when output stops midway, within the command timeout', async () => {
    const router = fleet.router('fault-hang-output');
    const session = await openCliSession(sessionOptions(router.access));
    try {
      await router.setFault({ kind: 'hang-mid-output', afterBytes: 300 });
      const hung = await failure(session.run('show crypto ipsec sa'));
      expect(hung.error.reason).toBe('timeout');
      expect(hung.ms).toBeGreaterThanOrEqual(1_400);
      expect(hung.ms).toBeLessThan(2_500);
      // The session is over: later calls fail the same way instead of reading the rest of that output.
      expect((await failure(session.run('show crypto map'))).error).toBe(hung.error);
    } finally {
      session.close();
    }
  });

  it('fails with unreachable when the router drops the connection mid-output', async () => {
    const router = fleet.router('fault-drop');
    const session = await openCliSession(sessionOptions(router.access));
    try {
      await router.setFault({ kind: 'drop-mid-output', afterBytes: 300 });
      const dropped = await failure(session.run('show crypto ipsec sa'));
      expect(dropped.error).toMatchObject({ reason: 'unreachable', retry: true });
      expect(dropped.ms).toBeLessThan(1_000);
    } finally {
      session.close();
    }
  });

  it('reads a slow router that stays within its timeouts, and times out one that does not', async () => {
    const slow = fleet.router('fault-slow');
    await slow.setFault({ kind: 'slow', bytes: 64, intervalMs: 2 });
    await withCliSession(sessionOptions(slow.access), async (session) => {
      expect(await session.run('show crypto map')).toBe(expectedOutput(slow.run('show crypto map')));
    });
    const tooSlow = fleet.router('fault-too-slow');
    const session = await openCliSession(sessionOptions(tooSlow.access));
    try {
      await tooSlow.setFault({ kind: 'slow', bytes: 1, intervalMs: 20 });
      const crawled = await failure(session.run('show crypto ipsec sa'));
      expect(crawled.error.reason).toBe('timeout');
      expect(crawled.ms).toBeLessThan(2_500);
    } finally {
      session.close();
    }
  });

  it('bounds the whole session by its own timeout', async () => {
    const router = fleet.router('fault-too-slow');
    const options = sessionOptions(router.access, {
      timeouts: { connectMs: 1_000, loginMs: 2_000, commandMs: 20_000, sessionMs: 3_000 },
    });
    await router.setFault(null);
    const session = await openCliSession(options);
    try {
      await router.setFault({ kind: 'slow', bytes: 1, intervalMs: 20 });
      const overrun = await failure(session.run('show crypto ipsec sa'));
      expect(overrun.error).toMatchObject({ reason: 'timeout', message: 'session exceeded 3000 ms' });
      expect(overrun.ms).toBeLessThan(3_000);
    } finally {
      session.close();
      await router.setFault(null);
    }
  });

  it('says when a kept session can be reused, and gives each use its own session timeout', async () => {
    const router = fleet.router('fault-too-slow');
    await router.setFault(null);
    const options = sessionOptions(router.access, {
      timeouts: { connectMs: 1_000, loginMs: 2_000, commandMs: 20_000, sessionMs: 1_500 },
    });
    const session = await openCliSession(options);
    try {
      expect(session.reusable).toBe(true);
      expect(await session.run('show crypto map')).toBe(expectedOutput(router.run('show crypto map')));
      // Kept idle past sessionMs: the paused timeout does not end it.
      session.pauseSessionTimeout();
      await new Promise((resolve) => setTimeout(resolve, 1_800));
      expect(session.reusable).toBe(true);
      session.restartSessionTimeout();
      expect(await session.run('show crypto isakmp sa')).toBe(
        expectedOutput(router.run('show crypto isakmp sa')),
      );
      // The restarted timeout still bounds this use.
      await router.setFault({ kind: 'slow', bytes: 1, intervalMs: 20 });
      const overrun = await failure(session.run('show crypto ipsec sa'));
      expect(overrun.error).toMatchObject({ reason: 'timeout', message: 'session exceeded 1500 ms' });
      expect(session.reusable).toBe(false);
    } finally {
      session.close();
      await router.setFault(null);
    }
    expect(session.reusable).toBe(false);
  });

  it('returns garbage output attributed to its command (the parser judges it), then carries on', async () => {
    const router = fleet.router('fault-garbage');
    await withCliSession(sessionOptions(router.access), async (session) => {
      await router.setFault({ kind: 'garbage' });
      const output = await session.run('show crypto ipsec sa');
      const lines = output.split('\n').slice(0, -1);
      expect(lines).toHaveLength(12);
      for (const line of lines) expect(line).toMatch(/^[!-~]{60}$/);
      await router.setFault(null);
      expect(await session.run('show crypto map')).toBe(expectedOutput(router.run('show crypto map')));
    });
  });

  it('pages through --More-- when the router ignores terminal length 0', async () => {
    const router = fleet.router('fault-paging');
    await router.setFault({ kind: 'force-paging' });
    await withCliSession(sessionOptions(router.access), async (session) => {
      const expected = expectedOutput(router.run('show crypto ipsec sa'));
      expect(expected.split('\n').length).toBeGreaterThan(30);
      expect(await session.run('show crypto ipsec sa')).toBe(expected);
    });
  });

  it('closes its TCP connection after success and after every kind of failure', async () => {
    const ok = fleet.router('ios-user');
    await withCliSession(sessionOptions(ok.access), (session) => session.run('show crypto map'));
    await expectNoConnection(ok.access.port);
    const hung = fleet.router('fault-hang-connect');
    await hung.setFault({ kind: 'hang-on-connect' });
    await failure(openCliSession(sessionOptions(hung.access, { timeouts: { loginMs: 300 } })));
    await expectNoConnection(hung.access.port);
    await failure(openCliSession(sessionOptions(ok.access, { password: 'nope' })));
    await expectNoConnection(ok.access.port);
  });

  it('sends nothing that is not allow-listed and stays usable', async () => {
    const router = fleet.router('ios-user');
    await withCliSession(sessionOptions(router.access), async (session) => {
      await expect(session.run('configure terminal')).rejects.toBeInstanceOf(CommandNotAllowedError);
      await expect(session.run('show crypto map\nreload')).rejects.toBeInstanceOf(CommandNotAllowedError);
      expect(await session.run('show crypto map')).toBe(expectedOutput(router.run('show crypto map')));
    });
  });
});
