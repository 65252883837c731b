/**
 * Recognising the CLI's state from the line being written (the terminal's current line): an exec prompt
 * (`R1>`, `R1#`, ASA `asa/pri/act#`), a pager (`--More--`, ASA `<--- More --->`) or a password request.
 */

/** A hostname-like word followed by `>` or `#` and at most one space, alone on its line. */
const PROMPT_PATTERN = /^[A-Za-z0-9][\w.\-/():@]{0,80}[>#] ?$/;
const PAGER_PATTERN = /(?:--More--|<--- More --->) ?$/;
const PASSWORD_PATTERN = /[Pp]assword: ?$/;

/** The privilege a prompt shows: `>` user exec, `#` privileged exec. */
export type PromptLevel = 'user' | 'privileged';

export type Prompt = {
  /** The prompt exactly as printed, e.g. `R1#` or `asa/pri/act# `. */
  text: string;
  /** The part before `>`/`#`: stays the same when `enable` changes the level. */
  base: string;
  level: PromptLevel;
};

/** A line ending the way a prompt ends: worth pressing Enter to see whether a prompt is really there. */
export function mayEndInPrompt(current: string): boolean {
  return /[>#] ?$/.test(current);
}

/**
 * The prompt, once it is certain: after Enter was pressed on a prompt-like line, the router printed the same
 * prompt on a fresh line. This tells a prompt apart from a banner that happens to end in `#` or that lacks its
 * final newline (`…authorised use only.R1>`), so `lines` is what the terminal completed since Enter was sent
 * (the line Enter ended must be the last one) and `current` the fresh line.
 */
export function confirmPrompt(lines: readonly string[], current: string): Prompt | null {
  if (!PROMPT_PATTERN.test(current)) return null;
  const enteredOn = lines.at(-1);
  if (enteredOn === undefined || !enteredOn.trimEnd().endsWith(current.trimEnd())) return null;
  return parsePrompt(current);
}

/** `text` as a prompt, if it is one. */
export function parsePrompt(text: string): Prompt | null {
  if (!PROMPT_PATTERN.test(text)) return null;
  const trimmed = text.trimEnd();
  return {
    text,
    base: trimmed.slice(0, -1),
    level: trimmed.endsWith('#') ? 'privileged' : 'user',
  };
}

/** The same router's prompt at the other privilege level (`R1>` → `R1#`). */
export function promptAtLevel(prompt: Prompt, level: PromptLevel): Prompt {
  const trailingSpace = prompt.text.endsWith(' ') ? ' ' : '';
  return {
    text: `${prompt.base}${level === 'privileged' ? '#' : '>'}${trailingSpace}`,
    base: prompt.base,
    level,
  };
}

/** The router waits for a key to show the next page. */
export function isPager(current: string): boolean {
  return PAGER_PATTERN.test(current);
}

/** The router asks for a password (the enable secret). */
export function isPasswordRequest(current: string): boolean {
  return PASSWORD_PATTERN.test(current);
}
