import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoingCli, type ScriptedServer, startScriptedServer } from '../test/scripted-server.js';
import { sshAlgorithms } from './algorithms.js';
import { openCliSession } from './cli-session.js';
import { SessionError } from './errors.js';

// An old-IOS-like SSH server: SHA-1 key exchange and an `ssh-rsa` host key only (the simulator offers modern
// algorithms, so a scripted ssh2 server stands in for a 15.0 box).
let server: ScriptedServer;
let port = 0;

beforeAll(async () => {
  server = await startScriptedServer((shell) => echoingCli('old#', shell), {
    kex: ['diffie-hellman-group14-sha1'],
    serverHostKey: ['ssh-rsa'],
  });
  port = server.port;
});
afterAll(() => {
  server?.close();
});

const options = {
  host: '127.0.0.1',
  username: 'admin',
  password: 'cisco',
  platform: 'ios' as const,
  pinnedHostKey: null,
  timeouts: { connectMs: 1_000, loginMs: 3_000, commandMs: 1_000, sessionMs: 5_000 },
};

describe('legacy algorithms', () => {
  it('are not offered by default: an old router fails the handshake, classified and not retried', async () => {
    const error = await openCliSession({ ...options, port }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ reason: 'unreachable', retry: false });
    expect((error as SessionError).message).toMatch(/handshake/i);
  });

  it('let a router marked legacy log in', async () => {
    const session = await openCliSession({ ...options, port, legacyAlgorithms: true });
    try {
      expect(session.prompt).toBe('old#');
      expect(session.hostKey.algorithm).toBe('ssh-rsa');
    } finally {
      session.close();
    }
  });

  it('are appended after the modern defaults, never preferred', () => {
    const legacy = sshAlgorithms(true);
    expect(legacy.kex).toMatchObject({
      append: expect.arrayContaining(['diffie-hellman-group14-sha1']),
      prepend: [],
    });
    expect(sshAlgorithms(false).serverHostKey).toMatchObject({ remove: ['ssh-rsa'] });
  });
});
