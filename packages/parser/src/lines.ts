/**
 * Line and value helpers shared by every parser. They are written for speed (see bench/parser.ts): character
 * checks and `indexOf` instead of regexes where a line is read once, no allocation that a caller does not keep.
 */
import type { Endpoint, ParseWarning } from './types.js';

/** Collects warnings with the 1-based line number and the trimmed text of the original line. */
export class Warnings {
  readonly list: ParseWarning[] = [];

  add(index: number, text: string, message: string): void {
    this.list.push({ line: index + 1, text, message });
  }
}

const CC_HASH = 35; // '#'
const CC_GT = 62; // '>'
const CC_SPACE = 32;

/**
 * True for the router prompt (`R1#`, `asa/pri/act# show crypto ipsec sa`, `R1>`) and for a bare command echo
 * (`show crypto ipsec sa`, `sh cry ips sa det`). A prompt has no space before its `#`/`>` (`R1#show …`);
 * counter lines start with `#` and are never prompts.
 */
export function isPromptOrEcho(t: string): boolean {
  const c0 = t.charCodeAt(0);
  if (c0 === CC_HASH) return false;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === CC_SPACE || c === 9) break;
    if (c === CC_HASH || c === CC_GT) return true;
  }
  return (c0 === 115 || c0 === 83) && /^sh(?:o|ow)?\s+cr/i.test(t);
}

/** A non-negative decimal integer, or null when `s` is anything else (empty, sign, letters, fraction). */
export function toInt(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  return v;
}

/** Space, tab, CR, VT, FF: the blanks around and inside router output lines. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * True when `text` has `word` at position `p`. Used instead of `text.startsWith(word, p)` on the whole
 * output: V8 calls a builtin for that (~3× slower per line), while this small loop is inlined.
 */
export function startsAt(text: string, p: number, word: string): boolean {
  const n = word.length;
  if (p + n > text.length) return false;
  for (let i = 0; i < n; i++) if (text.charCodeAt(p + i) !== word.charCodeAt(i)) return false;
  return true;
}

/** startsAt for a word that must also end by `e` (the end of the line or of the part being read). */
export function startsWithin(text: string, p: number, e: number, word: string): boolean {
  return e - p >= word.length && startsAt(text, p, word);
}

/** The first position in `[p, e)` that is not blank (or `e`). */
export function skipBlank(text: string, p: number, e: number): number {
  while (p < e && isBlank(text.charCodeAt(p))) p++;
  return p;
}

/** `text[from, to)` as a non-negative integer, without cutting it out; null unless it is 1–20 digits. */
export function readInt(text: string, from: number, to: number): number | null {
  if (to <= from || to - from > 20) return null;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  return v;
}

/** `0x1E8246FC(511854332)`, `0x1E8246FC (511854332)`, `0x0(0)`, ASA `DC15BF68`, `0x1a2b3c4d` → the number. */
export function parseSpi(s: string): number | null {
  const open = s.indexOf('(');
  if (open >= 0) {
    const close = s.indexOf(')', open);
    const dec = toInt(s.slice(open + 1, close < 0 ? s.length : close).trim());
    if (dec !== null) return dec;
    s = s.slice(0, open);
  }
  let hex = s.trim();
  if (hex.startsWith('0x') || hex.startsWith('0X')) hex = hex.slice(2);
  if (hex.length === 0 || hex.length > 13 || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  return Number.parseInt(hex, 16);
}

/** `23:59:12` → 86352; `0` → 0; anything else → null. */
export function parseHms(s: string): number | null {
  const parts = s.split(':');
  if (parts.length > 3) return null;
  let total = 0;
  for (const part of parts) {
    const v = toInt(part);
    if (v === null) return null;
    total = total * 60 + v;
  }
  return total;
}

/**
 * Where the value of a `label: value` / `label value` part starts: `p` is just after the label; blanks and
 * one `:` are skipped (as valueAfter does, without cutting the line out).
 */
export function valueStart(text: string, p: number, e: number): number {
  p = skipBlank(text, p, e);
  if (p < e && text.charCodeAt(p) === 58) p = skipBlank(text, p + 1, e);
  return p;
}

/** `(none)`, `none` and the empty string mean "not set". */
export function noneToNull(s: string): string | null {
  return s === '' || s === '(none)' || s === 'none' ? null : s;
}

/** The trimmed text after the first `:` (or after `label` when the line has no colon there). */
export function valueAfter(t: string, label: string): string {
  let i = label.length;
  while (i < t.length && (t.charCodeAt(i) === CC_SPACE || t.charCodeAt(i) === 9)) i++;
  if (t.charCodeAt(i) === 58) i++; // ':'
  return t.slice(i).trim();
}

/** `10.0.0.1/500`, `2001:db8::1/4500` → address and port; no `/` → port null. */
export function parseAddressPort(s: string): Endpoint {
  const slash = s.lastIndexOf('/');
  if (slash > 0) {
    const port = toInt(s.slice(slash + 1));
    if (port !== null) return { address: s.slice(0, slash), port };
  }
  return { address: s, port: null };
}

/** Dotted IPv4 mask → prefix length; null for a non-contiguous or malformed mask. */
export function maskToPrefix(mask: string): number | null {
  if (mask === lastMask) return lastPrefix;
  lastMask = mask;
  lastPrefix = computePrefix(mask);
  return lastPrefix;
}

// Outputs repeat a handful of masks: the last one is remembered.
let lastMask = '';
let lastPrefix: number | null = null;

function computePrefix(mask: string): number | null {
  const octets = mask.split('.');
  if (octets.length !== 4) return null;
  let bits = 0;
  let ended = false;
  for (const octet of octets) {
    const v = toInt(octet);
    if (v === null || v > 255) return null;
    for (let b = 7; b >= 0; b--) {
      if ((v >> b) & 1) {
        if (ended) return null;
        bits++;
      } else {
        ended = true;
      }
    }
  }
  return bits;
}

/** `esp-256-aes esp-sha-hmac ,` → two transforms; `esp-gcm 256 ,` stays one. */
export function parseTransforms(s: string): string[] {
  const out: string[] = [];
  for (const word of s.split(/[\s,]+/)) {
    if (word === '') continue;
    const last = out.length - 1;
    if (last >= 0 && toInt(word) !== null) {
      out[last] = `${out[last]} ${word}`;
    } else {
      out.push(word);
    }
  }
  return out;
}

/** Splits `a, b, c` on commas, trimming each part and dropping empty ones. */
export function splitSegments(t: string): string[] {
  const out: string[] = [];
  for (const part of t.split(',')) {
    const s = part.trim();
    if (s !== '') out.push(s);
  }
  return out;
}

/** Whitespace-separated tokens. */
export function tokens(t: string): string[] {
  return t.split(/\s+/).filter((s) => s !== '');
}

/** `Y`/`Yes`/`True` → true, `N`/`No`/`False` → false, else null. */
export function yesNo(s: string): boolean | null {
  const v = s.trim().toLowerCase();
  if (v === 'y' || v === 'yes' || v === 'true') return true;
  if (v === 'n' || v === 'no' || v === 'false') return false;
  return null;
}
