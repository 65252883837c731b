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
