import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect, openShell, type TestShell } from './ssh-client.js';

let fleet: Fleet;
const router = () => fleet.router('R1');

beforeAll(async () => {
  fleet = await startFleet({
    timeScale: 0,
    routers: [
      { name: 'R1', loginPrivileged: true, tunnels: [{ peer: '198.51.100.2' }, { peer: '198.51.100.3' }] },
    ],
  });
});
afterEach(() => router().setFault(null));
afterAll(() => fleet.close());

/** A privileged shell with paging off, ready for a command. */
async function readyShell(): Promise<TestShell> {
  const shell = await openShell(router().access);
  await shell.waitFor('R1#');
  shell.write('terminal length 0\r');
  await shell.waitFor('R1#');
  return shell;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('faults', () => {
  it('refuse: connections are refused until the fault is cleared, on the same port', async () => {
    const port = router().port;
    await router().setFault({ kind: 'refuse' });
    await expect(connect(router().access)).rejects.toThrow(/ECONNREFUSED/);
    await router().setFault(null);
    expect(router().port).toBe(port);
    (await connect(router().access)).end();
  });

  it('hang-on-connect: TCP connects but the SSH handshake never comes, until the client gives up', async () => {
    await router().setFault({ kind: 'hang-on-connect' });
    const started = Date.now();
    await expect(connect(router().access, { readyTimeout: 400 })).rejects.toThrow(
      /Timed out while waiting for handshake/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('hang-mid-output: part of the output, then silence on a live connection', async () => {
    const shell = await readyShell();
    await router().setFault({ kind: 'hang-mid-output', afterBytes: 100 });
    shell.write('show crypto ipsec sa\r');
    await sleep(300);
    const received = shell.output();
    expect(received.endsWith('R1#')).toBe(false);
    const tail = received.slice(
      received.lastIndexOf('show crypto ipsec sa\r\n') + 'show crypto ipsec sa\r\n'.length,
    );
    expect(tail).toHaveLength(100);
    await expect(shell.waitFor('R1#', 400)).rejects.toThrow(/timed out/);
    shell.close();
  });

  it('drop-mid-output: part of the output, then the connection is gone', async () => {
    const shell = await readyShell();
    await router().setFault({ kind: 'drop-mid-output', afterBytes: 150 });
    const closed = new Promise<void>((resolve) => shell.client.on('close', () => resolve()));
    shell.client.on('error', () => {});
    shell.write('show crypto ipsec sa\r');
    await closed;
    expect(shell.output()).toContain('interface: GigabitEthernet0/1');
    expect(shell.output()).not.toContain('198.51.100.3');
  });

  it('slow: bytes trickle in small chunks', async () => {
    const shell = await readyShell();
    await router().setFault({ kind: 'slow', bytes: 4, intervalMs: 10 });
    const started = Date.now();
    shell.write('show crypto isakmp sa\r');
    const output = await shell.waitFor(/\r\nR1#$/, 5000);
    // The output (~200 bytes) in 4-byte chunks 10 ms apart takes ≥ 0.5 s.
    expect(output.length).toBeGreaterThan(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual((output.length / 4) * 10 * 0.9);
    shell.close();
  });

  it('garbage: junk instead of the output, then a normal prompt', async () => {
    const shell = await readyShell();
    await router().setFault({ kind: 'garbage' });
    shell.write('show crypto ipsec sa\r');
    const output = await shell.waitFor(/\r\nR1#$/);
    expect(output).not.toContain('interface:');
    expect(output.split('\r\n').length).toBeGreaterThan(10);
    shell.close();
  });

  it('reject-login: the right password is refused', async () => {
    await router().setFault({ kind: 'reject-login' });
    await expect(connect(router().access)).rejects.toThrow(/authentication methods failed/);
  });

  it('change host key: a new key from then on, and the access data says so', async () => {
    const before = router().access.hostKey;
    const fingerprint = router().changeHostKey();
    const after = router().access;
    expect(after.hostKey).not.toBe(before);
    expect(after.hostKeyFingerprint).toBe(fingerprint);
    let presented = '';
    const client = await connect(after, {
      hostVerifier: (key: Buffer) => {
        presented = `ssh-ed25519 ${key.toString('base64')}`;
        return true;
      },
    });
    client.end();
    expect(presented).toBe(after.hostKey);
  });

  it('dropConnections: every open session ends (a reload, `clear line vty`); logins are counted', async () => {
    const logins = router().loginCount;
    router().dropConnections(); // earlier tests' connections may still be closing
    await expect.poll(() => router().connectionCount).toBe(0);
    const first = await readyShell();
    const second = await readyShell();
    expect(router().loginCount).toBe(logins + 2);
    expect(router().connectionCount).toBe(2);
    const closed = [first, second].map(
      (shell) => new Promise((resolve) => shell.client.once('close', resolve)),
    );
    expect(router().dropConnections()).toBe(2);
    await Promise.all(closed);
    await expect.poll(() => router().connectionCount).toBe(0);
    const third = await readyShell();
    expect(router().loginCount).toBe(logins + 3);
    third.close();
  });

  it('reject-command: only commands with the prefix get the invalid-input error', async () => {
    await router().setFault({ kind: 'reject-command', prefix: 'clear crypto sa peer vrf' });
    const shell = await readyShell();
    shell.write('clear crypto sa peer vrf INET 198.51.100.2\r');
    expect(await shell.waitFor('R1#')).toContain("% Invalid input detected at '^' marker.");
    shell.write('show crypto map\r');
    expect(await shell.waitFor('R1#')).not.toContain('Invalid input');
    shell.close();
  });

  it('force-paging: --More-- even after terminal length 0', async () => {
    const shell = await readyShell();
    await router().setFault({ kind: 'force-paging' });
    shell.write('show crypto ipsec sa\r');
    await shell.waitFor(' --More-- ');
    shell.write(' ');
    await shell.waitFor(' --More-- ');
    shell.write('q');
    await shell.waitFor('R1#');
    shell.close();
  });
});
