import { StringDecoder } from 'node:string_decoder';

/**
 * What a terminal would show for the bytes a Cisco CLI sends: the completed lines plus the line being written
 * (where prompts, `--More--` and `Password:` appear, without a newline). Routers erase `--More--` by moving the
 * cursor back (`\b`, or a bare `\r`) and overwriting it with spaces, so a plain "strip control characters"
 * would leave the marker in the output; this keeps a cursor instead. CRLF becomes one line end, ANSI escape
 * sequences and other control characters are dropped.
 */
export class TerminalScreen {
  private readonly decoder = new StringDecoder('utf8');
  private completed: string[] = [];
  private line = '';
  private cursor = 0;
  /** The current line had text overwritten (paging erasure): its trailing padding is not output. */
  private overwritten = false;
  /** An escape sequence cut by a chunk boundary. */
  private pendingEscape = '';
  /** Bytes that are neither text nor the control characters a CLI uses: a hint that the stream is garbage. */
  private oddCharacters = 0;

  write(chunk: Buffer | string): void {
    const text = this.pendingEscape + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    this.pendingEscape = '';
    let runStart = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!isSpecial(code)) continue;
      if (i > runStart) this.put(text.slice(runStart, i));
      runStart = i + 1;
      if (code === LF) this.endLine();
      else if (code === CR) this.cursor = 0;
      else if (code === BS) this.cursor = Math.max(0, this.cursor - 1);
      else if (code === ESC) {
        const end = escapeSequenceEnd(text, i);
        if (end === null) {
          this.pendingEscape = text.slice(i);
          return;
        }
        i = end;
        runStart = end + 1;
      } else if (code === REPLACEMENT_CHARACTER) {
        this.oddCharacters++;
        this.put(text[i]!);
      } else if (code !== BELL && code !== NUL) {
        this.oddCharacters++;
      }
    }
    if (runStart < text.length) this.put(text.slice(runStart));
  }

  /** Completed lines, oldest first, without line ends. */
  get lines(): readonly string[] {
    return this.completed;
  }

  /** The line being written (the cursor's line), e.g. `R1#` while the router waits for input. */
  get current(): string {
    return this.line;
  }

  /** Count of undecodable bytes and unexpected control characters seen so far. */
  get oddCharacterCount(): number {
    return this.oddCharacters;
  }

  /** Forget the completed lines (keeps the current line), e.g. before sending the next command. */
  clearLines(): void {
    this.completed = [];
  }

  private put(text: string): void {
    if (this.cursor === this.line.length) {
      this.line += text;
    } else {
      this.overwritten = true;
      this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor + text.length);
    }
    this.cursor += text.length;
  }

  private endLine(): void {
    this.completed.push(this.overwritten ? this.line.trimEnd() : this.line);
    this.line = '';
    this.cursor = 0;
    this.overwritten = false;
  }
}

const NUL = 0x00;
const BELL = 0x07;
const BS = 0x08;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const ESC = 0x1b;
const DEL = 0x7f;
const REPLACEMENT_CHARACTER = 0xfffd;
const MAX_ESCAPE_LENGTH = 32;

function isSpecial(code: number): boolean {
  return (code < 0x20 && code !== TAB) || code === DEL || code === REPLACEMENT_CHARACTER;
}

/**
 * Index of the last character of the escape sequence starting at `start`, or null when the text ends first.
 * CSI (`ESC [ params final`) is what VT100-style CLIs send; any other `ESC x` is two characters long.
 */
function escapeSequenceEnd(text: string, start: number): number | null {
  const next = text.charCodeAt(start + 1);
  if (Number.isNaN(next)) return null;
  if (next !== 0x5b /* [ */) return start + 1;
  for (let i = start + 2; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A real CSI is a few characters long; garbage that never ends one must not be buffered forever.
    if ((code >= 0x40 && code <= 0x7e) || i - start >= MAX_ESCAPE_LENGTH) return i;
  }
  return null;
}
