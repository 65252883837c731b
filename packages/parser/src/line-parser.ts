import { isPromptOrEcho, Warnings } from './lines.js';

/**
 * The line loop of the isakmp, ikev2, crypto map and crypto session parsers: every trimmed, non-blank line goes to
 * `readLine`; a line no parser reads that is not the prompt or the command echo becomes a warning pointing at it.
 */
export abstract class LineParser {
  readonly warnings = new Warnings();
  /** The current line (0-based index, trimmed text): where `warn` points. */
  protected index = 0;
  protected line = '';

  /**
   * Walks the text without splitting it: an array of every line lives through the whole parse, so on a large
   * output the young-generation GC copies and promotes all of it. Each line here is garbage right after use.
   */
  parse(text: string): void {
    const n = text.length;
    let index = 0;
    for (let pos = 0; pos <= n; index++) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = n;
      const t = trimmed(text, pos, end);
      pos = end + 1;
      if (t === '') continue;
      this.index = index;
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

/** `text.slice(s, e).trim()`, cutting out only the trimmed part when its ends are ASCII. */
function trimmed(text: string, s: number, e: number): string {
  while (s < e && isAsciiSpace(text.charCodeAt(s))) s++;
  while (e > s && isAsciiSpace(text.charCodeAt(e - 1))) e--;
  if (s === e) return '';
  // trim() also removes Unicode spaces (NBSP, U+2028 …): leave any non-ASCII end to it.
  if (text.charCodeAt(s) > 127 || text.charCodeAt(e - 1) > 127) return text.slice(s, e).trim();
  return text.slice(s, e);
}

/** The ASCII characters `trim()` removes: tab, LF, VT, FF, CR, space. */
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
