import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';

/** What the scripted shell can do: write to the client, and learn each line the client typed. */
export type ScriptedShell = {
  write(text: string | Buffer): void;
  onLine(handler: (line: string) => void): void;
};

export type ScriptedServer = { port: number; close(): void };

/** RSA, so that the legacy test can offer `ssh-rsa` alone; generated once, it takes a moment. */
let hostKey: string | undefined;

/**
 * An in-process ssh2 server whose shell is a test script: for router behaviour the simulator does not
 * model (old algorithms, unsolicited output, no prompt at all). Accepts user `admin`, password `cisco`.
 */
export async function startScriptedServer(
  script: (shell: ScriptedShell) => void,
  algorithms?: ssh2.ServerConfig['algorithms'],
): Promise<ScriptedServer> {
  hostKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
  const server = new ssh2.Server({ hostKeys: [hostKey], ...(algorithms ? { algorithms } : {}) }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) =>
      ctx.method === 'password' && ctx.username === 'admin' && ctx.password === 'cisco'
        ? ctx.accept()
        : ctx.reject(),
    );
    client.on('session', (accept) => {
      const session = accept();
      session.on('pty', (acceptPty) => acceptPty?.());
      session.on('shell', (acceptShell) => {
        const stream = acceptShell();
        stream.on('error', () => {});
        let typed = '';
        const handlers: ((line: string) => void)[] = [];
        stream.on('data', (data: Buffer) => {
          typed += data.toString('latin1');
          for (let end = typed.indexOf('\n'); end >= 0; end = typed.indexOf('\n')) {
            const line = typed.slice(0, end).replace(/\r$/, '');
            typed = typed.slice(end + 1);
            for (const handler of handlers) handler(line);
          }
        });
        script({ write: (text) => stream.write(text), onLine: (handler) => handlers.push(handler) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

/** A well-behaved router CLI: echo, empty output, prompt. */
export function echoingCli(prompt: string, shell: ScriptedShell): void {
  shell.write(`\r\n${prompt}`);
  shell.onLine((line) => shell.write(`${line}\r\n${prompt}`));
}
