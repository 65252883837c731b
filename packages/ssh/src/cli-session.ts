import { connect as connectTcp, type Socket } from 'node:net';
import ssh2, { type ClientChannel, type ConnectConfig } from 'ssh2';
import { sshAlgorithms } from './algorithms.js';
import { isCommandAllowed } from './allowed-commands.js';
import { frameCommandOutput, quote } from './command-framing.js';
import { CommandNotAllowedError, type HostKeyInfo, SessionError } from './errors.js';
import { describeHostKey, fingerprintsMatch } from './host-key.js';
import {
  confirmPrompt,
  isPager,
  isPasswordRequest,
  mayEndInPrompt,
  type Prompt,
  promptAtLevel,
} from './prompt.js';
import { TerminalScreen } from './terminal-screen.js';

export type Platform = 'ios' | 'iosxe' | 'asa';

export type AuthMethod = 'publickey' | 'password' | 'keyboard-interactive';
const DEFAULT_AUTH_METHODS: readonly AuthMethod[] = ['publickey', 'password', 'keyboard-interactive'];

export type SessionTimeouts = {
  /** TCP connect. */
  connectMs: number;
  /** From TCP connected to the first confirmed prompt: SSH handshake, authentication, banner. */
  loginMs: number;
  /** Each command, `enable` included: from sending it to its prompt. */
  commandMs: number;
  /** The whole session, from connect to close. */
  sessionMs: number;
};

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  connectMs: 5_000,
  loginMs: 15_000,
  commandMs: 30_000,
  sessionMs: 120_000,
};

/** A router that streams more than this for one command is not printing `show crypto` output. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export type CliSessionOptions = {
  host: string;
  /** Default 22. */
  port?: number;
  username: string;
  /** Used for `password` and `keyboard-interactive` authentication. */
  password?: string | null;
  /** PEM / OpenSSH private key for `publickey` authentication. */
  privateKey?: string | Buffer | null;
  passphrase?: string | null;
  /**
   * Authentication methods to try, in order, among those with credentials given. Default: `publickey`, then
   * `password`, then `keyboard-interactive` (some AAA setups offer only one of the last two).
   */
  authMethods?: readonly AuthMethod[];
  /** Sent when the login lands in user exec (`R1>`); without it the session stays there. */
  enableSecret?: string | null;
  platform: Platform;
  /**
   * The router's pinned host key fingerprint (`SHA256:…`), or null on first contact: the session then
   * accepts the presented key and reports it in `hostKey` so the caller can pin it. A different key fails
   * the session with `host_key`, before any credential is sent.
   */
  pinnedHostKey: string | null;
  /** Offer SHA-1 key exchange, `ssh-rsa` and CBC ciphers for old IOS (off by default). */
  legacyAlgorithms?: boolean;
  timeouts?: Partial<SessionTimeouts>;
  maxOutputBytes?: number;
};

/** What a check returns while the awaited state has not been reached yet. */
const NOT_YET = Symbol('not yet');
type Check<T> = () => T | typeof NOT_YET;

type Pending = {
  check: Check<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: SessionError) => void;
};

/** Terminal setup per platform: no paging, no wrapping (`--More--` handling stays as a fallback). */
const TERMINAL_SETUP: Record<Platform, readonly string[]> = {
  ios: ['terminal length 0', 'terminal width 0'],
  iosxe: ['terminal length 0', 'terminal width 0'],
  asa: ['terminal pager 0'],
};

/** Socket errors that mean "nothing answers there" rather than "the router misbehaved". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * One interactive Cisco CLI session over SSH (DESIGN.md §9). Open it with `openCliSession` (or
 * `withCliSession`, which always closes it), then `run` allow-listed commands one at a time. Any failure is a
 * `SessionError` with a classified `reason`, ends the session and closes the socket.
 */
export class CliSession {
  private readonly options: CliSessionOptions;
  private readonly timeouts: SessionTimeouts;
  private readonly client = new ssh2.Client();
  private readonly screen = new TerminalScreen();
  private socket: Socket | null = null;
  private channel: ClientChannel | null = null;
  private pending: Pending | null = null;
  private failure: SessionError | null = null;
  private closed = false;
  private sessionTimer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private currentPrompt: Prompt | null = null;
  private presentedHostKey: HostKeyInfo | null = null;
  private hostKeyRejected = false;
  private tcpConnected = false;
  private authenticated = false;
  private received = 0;
  private receivedAtCommandStart = 0;

  private constructor(options: CliSessionOptions) {
    this.options = options;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  /** Connect, verify the host key, log in, find the prompt, `enable` if needed and set up the terminal. */
  static async open(options: CliSessionOptions): Promise<CliSession> {
    const session = new CliSession(options);
    try {
      await session.start();
      return session;
    } catch (error) {
      session.close();
      throw error;
    }
  }

  /** The key the router presented (pin it when `pinnedHostKey` was null). */
  get hostKey(): HostKeyInfo {
    if (this.presentedHostKey === null) throw new Error('the session has not completed its key exchange');
    return this.presentedHostKey;
  }

  /** The prompt commands end at, e.g. `R1#`. */
  get prompt(): string {
    return this.currentPrompt?.text ?? '';
  }

  /** Bytes of CLI output received so far (channel data, login banner included). */
  get bytesRead(): number {
    return this.received;
  }

  /**
   * Run one allow-listed command and return exactly the text between its echo and the next prompt, one `\n`
   * after each line (CRLF, paging and terminal control sequences removed). Calls are queued, never interleaved.
   */
  run(command: string): Promise<string> {
    if (!isCommandAllowed(command)) return Promise.reject(new CommandNotAllowedError(command));
    const result = this.queue.then(() => this.runNow(command));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Close the connection (idempotent). The socket is destroyed if the router does not finish closing it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearSessionTimer();
    this.pending?.reject(this.failure ?? new SessionError('prompt', 'the session was closed'));
    this.pending = null;
    const socket = this.socket;
    try {
      this.client.end();
    } catch {
      // Ending an already broken connection may throw; the socket is destroyed below either way.
    }
    if (socket && !socket.destroyed) {
      const destroyTimer = setTimeout(() => socket.destroy(), 1_000);
      destroyTimer.unref();
      socket.once('close', () => clearTimeout(destroyTimer));
    }
  }

  /**
   * True while the session can take another command: open, not failed, idle at its prompt, and nothing printed
   * since the last command (a kept session is reused only then; stray output would blur the next boundary).
   */
  get reusable(): boolean {
    return (
      !this.closed &&
      this.failure === null &&
      this.pending === null &&
      this.currentPrompt !== null &&
      this.screen.lines.length === 0 &&
      this.screen.current === this.currentPrompt.text
    );
  }

  /** Stops the whole-session timeout while a kept session waits for its next use. */
  pauseSessionTimeout(): void {
    this.clearSessionTimer();
  }

  /** Gives a kept session a fresh `sessionMs` for its next use (one poll). */
  restartSessionTimeout(): void {
    if (this.closed || this.failure) return;
    this.clearSessionTimer();
    const { sessionMs } = this.timeouts;
    this.sessionTimer = setTimeout(
      () => this.fail(new SessionError('timeout', `session exceeded ${sessionMs} ms`)),
      sessionMs,
    );
  }

  private async start(): Promise<void> {
    const { loginMs } = this.timeouts;
    this.restartSessionTimeout();
    await this.connectTcp();
    const loginDeadline = Date.now() + loginMs;
    this.startSsh();
    await this.waitFor(
      () => (this.authenticated ? true : NOT_YET),
      loginMs,
      () => new SessionError('timeout', `no SSH login within ${loginMs} ms`),
    );
    await this.openShell(Math.max(1, loginDeadline - Date.now()));
    this.currentPrompt = await this.findPrompt(Math.max(1, loginDeadline - Date.now()));
    this.screen.clearLines(); // the banner
    if (this.currentPrompt.level === 'user' && this.options.enableSecret) await this.enable();
    for (const command of TERMINAL_SETUP[this.options.platform]) await this.run(command);
  }

  private connectTcp(): Promise<true> {
    const { host, port = 22 } = this.options;
    // Nagle's algorithm delays the small CLI writes by up to 40 ms each (STACK.md: ~300 → ~11 sessions/s).
    const socket = connectTcp({ host, port, noDelay: true });
    this.socket = socket;
    socket.once('connect', () => {
      socket.setNoDelay(true);
      this.tcpConnected = true;
      this.poke();
    });
    // ssh2 adds its own listeners once it owns the socket; this one covers the time before and after.
    socket.on('error', (error) => this.fail(classifySocketError(error, `${host}:${port}`)));
    socket.on('close', () =>
      this.fail(new SessionError('unreachable', `connection to ${host}:${port} closed`)),
    );
    return this.waitFor(
      () => (this.tcpConnected ? true : NOT_YET),
      this.timeouts.connectMs,
      // No SYN-ACK at all: the address does not answer, which is what `unreachable` means to an operator.
      () =>
        new SessionError(
          'unreachable',
          `no TCP connection to ${host}:${port} within ${this.timeouts.connectMs} ms`,
        ),
    );
  }

  private startSsh(): void {
    const { options } = this;
    const config: ConnectConfig = {
      sock: this.socket!,
      username: options.username,
      readyTimeout: this.timeouts.loginMs,
      algorithms: sshAlgorithms(options.legacyAlgorithms ?? false),
      hostVerifier: (key: Buffer) => this.verifyHostKey(key),
    };
    if (options.password != null) {
      config.password = options.password;
      config.tryKeyboard = true;
    }
    if (options.privateKey != null) config.privateKey = options.privateKey;
    if (options.passphrase != null) config.passphrase = options.passphrase;
    // An explicit list skips the `none` probe and never tries a method without its credential.
    config.authHandler = (options.authMethods ?? DEFAULT_AUTH_METHODS).filter((method) =>
      method === 'publickey' ? options.privateKey != null : options.password != null,
    );
    this.client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      // Cisco asks for the password alone; answering every prompt with it covers "Password:" variants.
      finish(prompts.map(() => options.password ?? ''));
    });
    this.client.on('ready', () => {
      this.authenticated = true;
      this.poke();
    });
    this.client.on('error', (error: Error & { level?: string }) => this.fail(this.classifySshError(error)));
    this.client.on('close', () =>
      this.fail(new SessionError('unreachable', 'SSH connection closed by the router')),
    );
    try {
      this.client.connect(config);
    } catch (error) {
      // ssh2 validates the private key synchronously.
      this.fail(
        new SessionError('auth', `cannot use the private key: ${(error as Error).message}`, { cause: error }),
      );
    }
  }

  private verifyHostKey(key: Buffer): boolean {
    const presented = describeHostKey(key);
    this.presentedHostKey = presented;
    const pinned = this.options.pinnedHostKey;
    if (pinned === null || fingerprintsMatch(pinned, presented.fingerprint)) return true;
    this.hostKeyRejected = true;
    return false;
  }

  private openShell(timeoutMs: number): Promise<true> {
    // A wide, tall pty keeps wrapping and paging out of the way until `terminal length/width 0` is in effect.
    this.client.shell({ term: 'vt100', cols: 511, rows: 512 }, (error, channel) => {
      if (error) {
        this.fail(
          new SessionError('prompt', `the router refused a shell: ${error.message}`, { cause: error }),
        );
        return;
      }
      this.channel = channel;
      channel.on('data', (chunk: Buffer) => this.onData(chunk));
      channel.stderr.on('data', (chunk: Buffer) => {
        this.received += chunk.length;
      });
      channel.on('close', () =>
        this.fail(new SessionError('unreachable', 'the router closed the CLI session')),
      );
      this.poke();
    });
    return this.waitFor(
      () => (this.channel ? true : NOT_YET),
      timeoutMs,
      () => new SessionError('timeout', `no shell within ${this.timeouts.loginMs} ms of connecting`),
    );
  }

  /** Wait for a prompt-like line, press Enter, and accept the prompt once the router prints it again. */
  private findPrompt(timeoutMs: number): Promise<Prompt> {
    let enterPressed = false;
    return this.waitFor(
      () => {
        if (!enterPressed) {
          if (!mayEndInPrompt(this.screen.current)) return NOT_YET;
          this.screen.clearLines();
          this.write('\n');
          enterPressed = true;
          return NOT_YET;
        }
        return confirmPrompt(this.screen.lines, this.screen.current) ?? NOT_YET;
      },
      timeoutMs,
      () =>
        this.received === 0
          ? new SessionError(
              'timeout',
              `the router sent nothing within ${this.timeouts.loginMs} ms of connecting`,
            )
          : new SessionError(
              'prompt',
              `no CLI prompt recognised within ${this.timeouts.loginMs} ms of connecting; last line ${quote(this.screen.current)}`,
            ),
    );
  }

  /** `enable`, answer `Password:` with the secret, and expect the privileged prompt. */
  private async enable(): Promise<void> {
    const userPrompt = this.currentPrompt!;
    const privileged = promptAtLevel(userPrompt, 'privileged');
    let secretSent = false;
    this.screen.clearLines();
    this.write('enable\n');
    await this.waitFor(
      () => {
        // Until `enable` itself is echoed, the prompt on the line is the old one.
        if (this.screen.lines.length === 0) return NOT_YET;
        const current = this.screen.current;
        if (current === privileged.text) return true;
        if (isPasswordRequest(current) && !secretSent) {
          this.screen.clearLines();
          this.write(`${this.options.enableSecret}\n`);
          secretSent = true;
          return NOT_YET;
        }
        if ((isPasswordRequest(current) && secretSent) || current === userPrompt.text) {
          throw new SessionError('auth', 'the enable secret was rejected');
        }
        return NOT_YET;
      },
      this.timeouts.commandMs,
      () => new SessionError('timeout', `enable did not complete within ${this.timeouts.commandMs} ms`),
    );
    this.currentPrompt = privileged;
    this.screen.clearLines();
  }

  private async runNow(command: string): Promise<string> {
    if (this.failure) throw this.failure;
    if (this.closed) throw new SessionError('prompt', 'the session is closed');
    const prompt = this.currentPrompt!.text;
    // Output that arrived since the last prompt belongs to no command; sending now would blur the boundary.
    if (this.screen.lines.length > 0 || this.screen.current !== prompt) {
      const unexpected = this.screen.lines.at(-1) ?? this.screen.current;
      const error = new SessionError(
        'prompt',
        `unexpected output before ${quote(command)}: ${quote(unexpected)}`,
      );
      this.fail(error);
      throw error;
    }
    this.receivedAtCommandStart = this.received;
    const oddBefore = this.screen.oddCharacterCount;
    let pagerAnsweredAt = -1;
    this.write(`${command}\n`);
    return this.waitFor(
      () => {
        const { lines, current } = this.screen;
        if (isPager(current) && pagerAnsweredAt !== lines.length) {
          pagerAnsweredAt = lines.length;
          this.write(' ');
          return NOT_YET;
        }
        const framed = frameCommandOutput(lines, current, prompt, command);
        if (framed.status === 'pending') return NOT_YET;
        if (framed.status === 'unattributable') {
          throw new SessionError('prompt', `output not attributable to ${quote(command)}: ${framed.detail}`);
        }
        this.screen.clearLines();
        return framed.output;
      },
      this.timeouts.commandMs,
      () =>
        this.screen.oddCharacterCount > oddBefore
          ? new SessionError(
              'prompt',
              `${quote(command)} produced undecodable output and no prompt within ${this.timeouts.commandMs} ms`,
            )
          : new SessionError(
              'timeout',
              `${quote(command)} did not complete within ${this.timeouts.commandMs} ms`,
            ),
    );
  }

  private onData(chunk: Buffer): void {
    this.received += chunk.length;
    const limit = this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (this.received - this.receivedAtCommandStart > limit) {
      this.fail(new SessionError('prompt', `more than ${limit} bytes of output without a prompt`));
      return;
    }
    this.screen.write(chunk);
    this.poke();
  }

  private write(text: string): void {
    this.channel?.write(text);
  }

  /**
   * Resolve once `check` returns a value (it is re-run whenever something arrives), or fail the whole session
   * on timeout: after a timeout nobody knows what the router will print next, so the session cannot go on.
   */
  private waitFor<T>(check: Check<T>, timeoutMs: number, onTimeout: () => SessionError): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failure || this.closed) {
        reject(this.failure ?? new SessionError('prompt', 'the session is closed'));
        return;
      }
      const timer = setTimeout(() => this.fail(onTimeout()), timeoutMs);
      this.pending = {
        check,
        resolve: (value) => {
          clearTimeout(timer);
          this.pending = null;
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          this.pending = null;
          reject(error);
        },
      };
      this.poke();
    });
  }

  private poke(): void {
    const pending = this.pending;
    if (!pending) return;
    let value: unknown;
    try {
      value = pending.check();
    } catch (error) {
      this.fail(
        error instanceof SessionError ? error : new SessionError('prompt', String(error), { cause: error }),
      );
      return;
    }
    if (value !== NOT_YET) pending.resolve(value);
  }

  /** The first failure wins: it is what every waiting and later call rejects with. */
  private fail(error: SessionError): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    this.clearSessionTimer();
    this.pending?.reject(error);
    this.client.end();
    this.socket?.destroy();
  }

  private clearSessionTimer(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = null;
  }

  private classifySshError(error: Error & { level?: string }): SessionError {
    const message = error.message;
    if (this.hostKeyRejected) {
      const presented = this.presentedHostKey!;
      return new SessionError(
        'host_key',
        `host key ${presented.fingerprint} (${presented.algorithm}) is not the pinned ${this.options.pinnedHostKey}`,
        { presentedHostKey: presented, cause: error },
      );
    }
    switch (error.level) {
      case 'client-authentication':
        return new SessionError('auth', `authentication rejected: ${message}`, { cause: error });
      case 'client-timeout':
        return new SessionError('timeout', `no SSH login within ${this.timeouts.loginMs} ms`, {
          cause: error,
        });
      case 'client-socket':
        return classifySocketError(error, `${this.options.host}:${this.options.port ?? 22}`);
      case 'handshake':
        // No common algorithm: retrying changes nothing until the router (or its legacy flag) does.
        return new SessionError('unreachable', `SSH handshake failed: ${message}`, {
          retry: false,
          cause: error,
        });
      default:
        return new SessionError('unreachable', `SSH protocol error: ${message}`, { cause: error });
    }
  }
}

function classifySocketError(error: Error & { code?: string }, target: string): SessionError {
  const code = error.code ?? '';
  const why = UNREACHABLE_CODES.has(code) ? code : error.message;
  return new SessionError('unreachable', `cannot reach ${target}: ${why}`, { cause: error });
}

/** Open a session. See `CliSession`. */
export function openCliSession(options: CliSessionOptions): Promise<CliSession> {
  return CliSession.open(options);
}

/** Open a session, hand it to `use`, and close it whatever happens. */
export async function withCliSession<T>(
  options: CliSessionOptions,
  use: (session: CliSession) => Promise<T>,
): Promise<T> {
  const session = await CliSession.open(options);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}
