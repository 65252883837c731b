import { isPromptOrEcho, splitLines, Warnings } from './lines.js';

/**
 * The line loop of the isakmp, ikev2, crypto map and crypto session parsers: every trimmed, non-blank line goes to
 * `readLine`; a line no parser reads that is not the prompt or the command echo becomes a warning pointing at it.
 */
export abstract class LineParser {
  readonly warnings = new Warnings();
  /** The current line (0-based index, trimmed text): where `warn` points. */
  protected index = 0;
  protected line = '';

  parse(text: string): void {
    const lines = splitLines(text);
    for (let i = 0; i < lines.length; i++) {
      const t = lines[i]!.trim();
      if (t === '') continue;
      this.index = i;
      this.line = t;
      if (!this.readLine(t) && !isPromptOrEcho(t)) this.warn('unrecognized line');
    }
    this.end();
  }

  /** Reads one trimmed line; false when it is not a line this command prints. */
  protected abstract readLine(t: string): boolean;

  /** After the last line: close whatever is still open. */
  protected end(): void {}

  protected warn(message: string): void {
    this.warnings.add(this.index, this.line, message);
  }
}
