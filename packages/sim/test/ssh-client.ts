import ssh2 from 'ssh2';
import type { RouterAccess } from '../src/index.js';

/** A real ssh2 client shell for tests: connect, type lines, wait for text. */
export type TestShell = {
  client: ssh2.Client;
  /** Everything received so far. */
  output(): string;
  write(text: string): void;
  /** Resolves with the output received since the last `waitFor` once it matches; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  close(): void;
};

export type ConnectOptions = Partial<ssh2.ConnectConfig> & { pty?: boolean };

export function connect(access: RouterAccess, options: ConnectOptions = {}): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('ready', () => resolve(client));
    client.on('error', reject);
    client.connect({
      host: access.host,
      port: access.port,
      username: access.username,
      password: access.password,
      readyTimeout: 5000,
      ...options,
    });
  });
}

export async function openShell(access: RouterAccess, options: ConnectOptions = {}): Promise<TestShell> {
  const client = await connect(access, options);
  const stream = await new Promise<ssh2.ClientChannel>((resolve, reject) => {
    client.shell(options.pty === false ? false : { term: 'vt100', rows: 24, cols: 80 }, (error, channel) =>
      error ? reject(error) : resolve(channel),
    );
  });
  let received = '';
  let consumed = 0;
  const listeners = new Set<() => void>();
  stream.on('data', (data: Buffer) => {
    received += data.toString('latin1');
    for (const listener of listeners) listener();
  });
  return {
    client,
    output: () => received,
    write: (text) => stream.write(text),
    waitFor: (pattern, timeoutMs = 3000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const pending = received.slice(consumed);
          const found = typeof pattern === 'string' ? pending.indexOf(pattern) : pending.search(pattern);
          if (found < 0) return false;
          const length =
            typeof pattern === 'string' ? pattern.length : (pending.match(pattern)?.[0].length ?? 0);
          consumed += found + length;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(pending.slice(0, found + length));
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(received.slice(consumed))}`),
          );
        }, timeoutMs);
        if (!check()) listeners.add(check);
      }),
    close: () => client.end(),
  };
}
