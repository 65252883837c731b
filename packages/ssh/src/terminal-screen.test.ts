import { describe, expect, it } from 'vitest';
import { TerminalScreen } from './terminal-screen.js';

function screenOf(...chunks: (string | Buffer)[]): TerminalScreen {
  const screen = new TerminalScreen();
  for (const chunk of chunks) screen.write(chunk);
  return screen;
}

describe('TerminalScreen', () => {
  it('turns CRLF and LF into lines and keeps the unfinished line apart', () => {
    const screen = screenOf('R1#show crypto map\r\nline one\nline two\r\nR1#');
    expect(screen.lines).toEqual(['R1#show crypto map', 'line one', 'line two']);
    expect(screen.current).toBe('R1#');
  });

  it('joins lines and multi-byte characters cut across chunks', () => {
    const euro = Buffer.from('€');
    const screen = screenOf(
      'inter',
      Buffer.from('face: Gi0/0 '),
      euro.subarray(0, 1),
      euro.subarray(1),
      '\r',
      '\nR1',
    );
    expect(screen.lines).toEqual(['interface: Gi0/0 €']);
    expect(screen.current).toBe('R1');
    expect(screen.oddCharacterCount).toBe(0);
  });

  it('erases the IOS --More-- marker the way a terminal does (backspaces, spaces, backspaces)', () => {
    const erase = `${'\b'.repeat(9)}${' '.repeat(9)}${'\b'.repeat(9)}`;
    const screen = screenOf(
      'first page\r\n--More-- ',
      erase,
      'next\r\n',
      '--More-- ',
      erase,
      '\r\nlast\r\nR1#',
    );
    expect(screen.lines).toEqual(['first page', 'next', '', 'last']);
    expect(screen.current).toBe('R1#');
  });

  it('erases the ASA <--- More ---> marker (carriage return, spaces, carriage return)', () => {
    const screen = screenOf('page one\r\n<--- More --->', `\r${' '.repeat(14)}\r`, 'page two\r\nasa#');
    expect(screen.lines).toEqual(['page one', 'page two']);
  });

  it('keeps trailing spaces of lines nothing was overwritten on', () => {
    expect(screenOf('Peer: 10.1.1.2 port 500 \r\n').lines).toEqual(['Peer: 10.1.1.2 port 500 ']);
  });

  it('drops ANSI escape sequences, also when cut across chunks', () => {
    const screen = screenOf('\x1b[2K\x1b[', '1;1HR1#\x1b7');
    expect(screen.current).toBe('R1#');
  });

  it('counts undecodable bytes and stray control characters as odd', () => {
    const screen = screenOf(Buffer.from([0xff, 0xfe, 0x41, 0x01, 0x02, 0x0a]));
    expect(screen.oddCharacterCount).toBe(4);
    expect(screen.lines).toEqual(['\ufffd\ufffdA']);
  });

  it('clearLines forgets completed lines but keeps the line being written', () => {
    const screen = screenOf('banner\r\nR1>');
    screen.clearLines();
    expect(screen.lines).toEqual([]);
    expect(screen.current).toBe('R1>');
  });
});
