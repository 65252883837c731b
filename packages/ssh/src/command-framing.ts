/**
 * Attributing output to the command that produced it (DESIGN.md §9): the command's output is exactly what the
 * terminal shows between the line holding that command's own echo (`R1#show crypto map`) and the next prompt.
 * Anything else — output before the echo, a different echo, a second prompt inside the output — means the
 * session and the router disagree about where output starts or ends, and the command fails rather than
 * returning someone else's text.
 */

export type FramedOutput =
  | { status: 'pending' }
  | { status: 'complete'; output: string }
  | { status: 'unattributable'; detail: string };

/**
 * @param lines lines the terminal completed since the command was sent (the first is the echo line)
 * @param current the line being written
 * @param prompt the prompt as printed (`R1#`), which the echo line starts with and the output ends at
 * @param command the command as sent
 */
export function frameCommandOutput(
  lines: readonly string[],
  current: string,
  prompt: string,
  command: string,
): FramedOutput {
  const echo = `${prompt}${command}`.trimEnd();
  const echoLine = lines[0];
  if (echoLine === undefined) {
    // Nothing completed yet: only the echo being typed out may be on the line.
    const typed = current.trimEnd();
    if (echo.startsWith(typed) || current.startsWith(echo)) return { status: 'pending' };
    return { status: 'unattributable', detail: `expected the echo ${quote(echo)}, got ${quote(current)}` };
  }
  if (echoLine.trimEnd() !== echo) {
    return { status: 'unattributable', detail: `expected the echo ${quote(echo)}, got ${quote(echoLine)}` };
  }
  if (current !== prompt) return { status: 'pending' };
  const output = lines.slice(1);
  const promptLine = prompt.trimEnd();
  const strayPrompt = output.findIndex((line) => line.trimEnd() === promptLine);
  if (strayPrompt >= 0) {
    return {
      status: 'unattributable',
      detail: `a prompt appeared inside the output of ${quote(command)} (output line ${strayPrompt + 1})`,
    };
  }
  return { status: 'complete', output: output.length === 0 ? '' : `${output.join('\n')}\n` };
}

/** Short, printable rendering of router text for error messages. */
export function quote(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
