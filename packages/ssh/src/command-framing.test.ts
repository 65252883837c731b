import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameCommandOutput } from './command-framing.js';
import { TerminalScreen } from './terminal-screen.js';

const COMMAND = 'show crypto map';

/** Frame what the router sent after the command was written (the prompt was already on the line). */
function frame(...chunks: string[]) {
  const screen = new TerminalScreen();
  screen.write('R1#');
  screen.clearLines();
  for (const chunk of chunks) screen.write(chunk);
  return frameCommandOutput(screen.lines, screen.current, 'R1#', COMMAND);
}

describe('frameCommandOutput', () => {
  it('returns exactly the lines between the echo and the next prompt', () => {
    expect(
      frame('show crypto map\r\n', 'Crypto Map "VPN" 10 ipsec-isakmp\r\n', '\tPeer = 10.0.0.2\r\nR1#'),
    ).toEqual({
      status: 'complete',
      output: 'Crypto Map "VPN" 10 ipsec-isakmp\n\tPeer = 10.0.0.2\n',
    });
  });

  it('returns an empty string for a command with no output', () => {
    expect(frame('show crypto map\r\nR1#')).toEqual({ status: 'complete', output: '' });
  });

  it('waits while the echo is still arriving or the prompt has not come', () => {
    expect(frame('show cry')).toEqual({ status: 'pending' });
    expect(frame('show crypto map\r\nsome output\r\n')).toEqual({ status: 'pending' });
    expect(frame('show crypto map\r\nsome output\r\nR1')).toEqual({ status: 'pending' });
  });

  it("refuses output that starts with something other than this command's echo", () => {
    // The previous command's tail arriving late: a naive reader would return it as this command's output.
    const late = frame('Interfaces using crypto map VPN:\r\nR1#show crypto map\r\nR1#');
    expect(late.status).toBe('unattributable');
    expect(frame('show crypto ipsec sa\r\nR1#').status).toBe('unattributable');
    expect(frame('garbage').status).toBe('unattributable');
  });

  it('refuses output with a second prompt inside it', () => {
    const result = frame('show crypto map\r\nR1#\r\nmore\r\nR1#');
    expect(result.status).toBe('unattributable');
  });

  it('frames output that was paged and erased', () => {
    const erase = `${'\b'.repeat(9)}${' '.repeat(9)}${'\b'.repeat(9)}`;
    expect(frame('show crypto map\r\nA\r\n--More-- ', erase, 'B\r\nR1#')).toEqual({
      status: 'complete',
      output: 'A\nB\n',
    });
  });
});

describe('frameCommandOutput on arbitrary output and chunking', () => {
  // Printable lines with the odd tab and trailing space; none starts with the prompt (no CLI output does).
  const line = fc
    .string({ unit: fc.constantFrom(...'abcXYZ019 .:/#>-\t(){}%'.split('')), maxLength: 40 })
    .filter((text) => !text.startsWith('R1#'));

  it('returns exactly the output, only once the prompt has arrived, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 12 }), (lines, cuts) => {
        const stream = `${COMMAND}\r\n${lines.map((text) => `${text}\r\n`).join('')}R1#`;
        const boundaries = [...new Set(cuts.map((cut) => cut % stream.length))].sort((a, b) => a - b);
        const screen = new TerminalScreen();
        screen.write('R1#');
        screen.clearLines();
        let start = 0;
        for (const end of [...boundaries, stream.length]) {
          screen.write(stream.slice(start, end));
          start = end;
          const framed = frameCommandOutput(screen.lines, screen.current, 'R1#', COMMAND);
          if (end < stream.length) expect(framed.status).toBe('pending');
          else
            expect(framed).toEqual({ status: 'complete', output: lines.map((text) => `${text}\n`).join('') });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const screen = new TerminalScreen();
        for (const chunk of chunks) {
          screen.write(Buffer.from(chunk));
          frameCommandOutput(screen.lines, screen.current, 'R1#', COMMAND);
        }
      }),
      { numRuns: 500 },
    );
  });
});
