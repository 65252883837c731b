import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedServer, type ScriptedShell, startScriptedServer } from '../test/scripted-server.js';
import { type CliSessionOptions, openCliSession, withCliSession } from './cli-session.js';
import { SessionError } from './errors.js';

// Router behaviour the simulator does not produce, scripted on an in-process ssh2 server: output that
// belongs to no command must fail the session (`prompt`), never be returned as some command's output.
let server: ScriptedServer | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

async function options(script: (shell: ScriptedShell) => void): Promise<CliSessionOptions> {
  server = await startScriptedServer(script);
  return {
    host: '127.0.0.1',
    port: server.port,
    username: 'admin',
    password: 'cisco',
    platform: 'ios',
    pinnedHostKey: null,
    timeouts: { connectMs: 1_000, loginMs: 1_000, commandMs: 1_000, sessionMs: 5_000 },
  };
}

/** A CLI that answers every command with `outputFor(command)` and then the prompt. */
function cli(outputFor: (command: string, shell: ScriptedShell) => string) {
  return (shell: ScriptedShell) => {
    shell.write('\r\nR1#');
    shell.onLine((line) => shell.write(`${line}\r\n${outputFor(line, shell)}R1#`));
  };
}

async function rejection(promise: Promise<unknown>): Promise<SessionError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SessionError)) throw new Error(`expected a SessionError, got ${String(error)}`);
  return error;
}

describe('output attribution', () => {
  it('fails the next command when unsolicited output arrived after the prompt', async () => {
    const opts = await options(
      cli((command, shell) => {
        if (command === 'show crypto map')
          setTimeout(() => shell.write('\r\n%SYS-5-CONFIG_I: Configured\r\nR1#'), 20);
        return command === 'show crypto map' ? 'Crypto Map "VPN" 10\r\n' : '';
      }),
    );
    await withCliSession(opts, async (session) => {
      expect(await session.run('show crypto map')).toBe('Crypto Map "VPN" 10\n');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const error = await rejection(session.run('show crypto ipsec sa'));
      expect(error.reason).toBe('prompt');
      expect(error.message).toContain('unexpected output before "show crypto ipsec sa"');
    });
  });

  it('fails a command whose output starts before its echo', async () => {
    const opts = await options((shell) => {
      shell.write('\r\nR1#');
      shell.onLine((line) => {
        if (line.startsWith('terminal')) shell.write(`${line}\r\nR1#`);
        else shell.write(`\r\nleft over from before\r\nR1#${line}\r\nR1#`);
      });
    });
    await withCliSession(opts, async (session) => {
      const error = await rejection(session.run('show crypto map'));
      expect(error.reason).toBe('prompt');
      expect(error.message).toContain('expected the echo "R1#show crypto map"');
    });
  });

  it('fails a command whose output contains a second prompt', async () => {
    const opts = await options(
      cli((command) => (command === 'show crypto map' ? 'first\r\nR1#\r\nsecond\r\n' : '')),
    );
    await withCliSession(opts, async (session) => {
      const error = await rejection(session.run('show crypto map'));
      expect(error).toMatchObject({ reason: 'prompt', retry: true });
    });
  });

  it('fails with prompt when the router talks but never shows a prompt, and with timeout when it is silent', async () => {
    const talking = await rejection(
      openCliSession(await options((shell) => shell.write('Welcome to the lab\r\n'))),
    );
    expect(talking.reason).toBe('prompt');
    expect(talking.message).toContain('no CLI prompt recognised');
    server?.close();
    const silent = await rejection(openCliSession(await options(() => {})));
    expect(silent.reason).toBe('timeout');
  }, 15_000);

  it('fails with prompt, not timeout, when a command yields undecodable bytes and no prompt', async () => {
    const opts = await options((shell) => {
      shell.write('\r\nR1#');
      shell.onLine((line) => {
        if (line !== 'show crypto map') {
          shell.write(`${line}\r\nR1#`);
          return;
        }
        shell.write(`${line}\r\n`);
        const noise = setInterval(() => shell.write(Buffer.from([0xff, 0xfe, 0x01, 0x67, 0x61, 0x72])), 50);
        setTimeout(() => clearInterval(noise), 1_500);
      });
    });
    await withCliSession(opts, async (session) => {
      const error = await rejection(session.run('show crypto map'));
      expect(error.reason).toBe('prompt');
      expect(error.message).toContain('undecodable output');
    });
  });
});
