import { matchCommand } from './command-table.js';

/** What the shell needs from its router: prompt facts, the login state and a way to run show/clear commands. */
export type ShellHost = {
  readonly hostname: string;
  readonly platform: 'ios' | 'iosxe' | 'asa';
  readonly enableSecret: string;
  readonly lineEnding: string;
  readonly commandLatencyMs: number;
  /** Output lines of a show/clear command (already matched). */
  execute(line: string): string[];
  /** Current fault switches relevant inside a session. */
  forcePaging(): boolean;
  /** True when a fault makes this (otherwise valid) command unknown. */
  rejects(line: string): boolean;
  /** Called when a show command's output is about to be written; may replace it (garbage) or cut it. */
  outputFault(): { kind: 'hang' | 'drop'; afterBytes: number } | { kind: 'garbage' } | null;
};

/** The byte sink of a session: the SSH channel, possibly slowed down by a fault. */
export type ShellIo = {
  write(text: string): void;
  /** Ends the channel (exit). */
  close(): void;
  /** Destroys the TCP connection (drop fault). */
  drop(): void;
};

const MORE_IOS = ' --More-- ';
const MORE_ASA = '<--- More --->';

/**
 * An interactive IOS/ASA-like EXEC session on one SSH channel: echo, line editing, prompts, `enable`,
 * terminal settings, `--More--` paging and IOS-style error messages.
 */
export class ShellSession {
  private privileged: boolean;
  private pageLength: number;
  private buffer = '';
  private input = '';
  private lastWasCr = false;
  private state: 'command' | 'enable-password' | 'more' | 'busy' | 'hung' | 'closed' = 'command';
  private pendingLines: string[] = [];

  constructor(
    private readonly host: ShellHost,
    private readonly io: ShellIo,
    options: { privileged: boolean; banner: string | null; bannerWithoutNewline: boolean },
  ) {
    this.privileged = options.privileged;
    this.pageLength = 24;
    let greeting = this.host.lineEnding;
    if (options.banner !== null) {
      greeting += options.bannerWithoutNewline
        ? options.banner
        : `${options.banner}${this.host.lineEnding}${this.host.lineEnding}`;
    }
    this.io.write(greeting + this.prompt());
  }

  /** Feeds bytes typed by the client. */
  receive(data: string): void {
    this.input += data;
    this.drain();
  }

  private prompt(): string {
    return `${this.host.hostname}${this.privileged ? '#' : '>'}`;
  }

  private drain(): void {
    while (
      this.input.length > 0 &&
      (this.state === 'command' || this.state === 'enable-password' || this.state === 'more')
    ) {
      const char = this.input[0]!;
      this.input = this.input.slice(1);
      if (char === '\n' && this.lastWasCr) {
        this.lastWasCr = false;
        continue;
      }
      this.lastWasCr = char === '\r';
      if (this.state === 'more') {
        this.continuePaging(char);
        continue;
      }
      if (char === '\r' || char === '\n') {
        const line = this.buffer;
        this.buffer = '';
        this.io.write('\r\n');
        this.submit(line);
      } else if (char === '\x7f' || char === '\b') {
        if (this.buffer.length > 0) {
          this.buffer = this.buffer.slice(0, -1);
          if (this.state === 'command') this.io.write('\b \b');
        }
      } else if (char >= ' ' && char !== '\x7f') {
        this.buffer += char;
        if (this.state === 'command') this.io.write(char);
      }
    }
  }

  private submit(line: string): void {
    const eol = this.host.lineEnding;
    if (this.state === 'enable-password') {
      this.state = 'command';
      if (line === this.host.enableSecret) this.privileged = true;
      else this.io.write(`% Access denied${eol}${eol}`);
      this.io.write(this.prompt());
      return;
    }
    const known = matchCommand(line, this.host.platform, this.privileged);
    // A rejected command is reported at its last word, where a release without it stops understanding.
    const match = this.host.rejects(line)
      ? { kind: 'invalid' as const, offset: line.trimEnd().lastIndexOf(' ') + 1 }
      : known;
    const errorPrefix = this.host.platform === 'asa' ? 'ERROR: ' : '';
    switch (match.kind) {
      case 'empty':
        this.io.write(this.prompt());
        return;
      case 'invalid':
        this.io.write(
          `${' '.repeat(this.prompt().length + match.offset)}^${eol}${errorPrefix}% Invalid input detected at '^' marker.${eol}${eol}${this.prompt()}`,
        );
        return;
      case 'ambiguous':
        this.io.write(`% Ambiguous command:  "${line.trim()}"${eol}${this.prompt()}`);
        return;
      case 'incomplete':
        this.io.write(`% Incomplete command.${eol}${eol}${this.prompt()}`);
        return;
    }
    switch (match.id) {
      case 'enable':
        if (this.privileged) this.io.write(this.prompt());
        else {
          this.state = 'enable-password';
          this.io.write('Password: ');
        }
        return;
      case 'disable':
        this.privileged = false;
        this.io.write(this.prompt());
        return;
      case 'exit':
        this.state = 'closed';
        this.io.close();
        return;
      case 'terminal-length':
      case 'terminal-pager':
        this.pageLength = Number(match.args.number);
        this.io.write(this.prompt());
        return;
      case 'terminal-width':
        this.io.write(this.prompt());
        return;
      default:
        this.runOutputCommand(line);
    }
  }

  private runOutputCommand(line: string): void {
    this.state = 'busy';
    const run = () => {
      if (this.state === 'closed') return;
      const lines = this.host.execute(line);
      const fault = this.host.outputFault();
      const eol = this.host.lineEnding;
      if (fault?.kind === 'garbage') {
        this.finish(garbageLines());
        return;
      }
      if (fault) {
        const text = lines.join(eol);
        this.io.write(text.slice(0, fault.afterBytes));
        if (fault.kind === 'drop') this.io.drop();
        this.state = 'hung';
        return;
      }
      this.finish(lines);
    };
    if (this.host.commandLatencyMs > 0) setTimeout(run, this.host.commandLatencyMs);
    else run();
  }

  /** Writes output lines, paging when the terminal length says so, then the prompt. */
  private finish(lines: string[]): void {
    const length = this.pageLength === 0 && this.host.forcePaging() ? 24 : this.pageLength;
    this.pendingLines = lines;
    this.writePage(length === 0 ? Number.POSITIVE_INFINITY : length - 1);
  }

  private writePage(count: number): void {
    const eol = this.host.lineEnding;
    const page = this.pendingLines.slice(0, count);
    this.pendingLines = this.pendingLines.slice(count);
    const text = page.map((line) => line + eol).join('');
    if (this.pendingLines.length > 0) {
      this.state = 'more';
      this.io.write(text + this.moreText());
    } else {
      this.state = 'command';
      this.io.write(text + this.prompt());
      this.drain();
    }
  }

  private moreText(): string {
    return this.host.platform === 'asa' ? MORE_ASA : MORE_IOS;
  }

  private continuePaging(char: string): void {
    const more = this.moreText();
    // Erase the --More-- marker the way IOS does: back over it, blank it, back again.
    this.io.write('\b'.repeat(more.length) + ' '.repeat(more.length) + '\b'.repeat(more.length));
    const length = this.pageLength === 0 ? 24 : this.pageLength;
    if (char === ' ') this.writePage(length - 1);
    else if (char === '\r' || char === '\n') this.writePage(1);
    else {
      this.pendingLines = [];
      this.writePage(0);
    }
  }
}

function garbageLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) {
    let line = '';
    for (let j = 0; j < 60; j++) line += String.fromCharCode(33 + Math.floor(Math.random() * 94));
    lines.push(line);
  }
  return lines;
}
