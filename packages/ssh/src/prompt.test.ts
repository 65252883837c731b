import { describe, expect, it } from 'vitest';
import {
  confirmPrompt,
  isPager,
  isPasswordRequest,
  mayEndInPrompt,
  parsePrompt,
  promptAtLevel,
} from './prompt.js';

describe('prompts', () => {
  it.each([
    ['R1>', 'R1', 'user'],
    ['R1#', 'R1', 'privileged'],
    ['asa/pri/act#', 'asa/pri/act', 'privileged'],
    ['core-rtr_01.lab>', 'core-rtr_01.lab', 'user'],
    ['ciscoasa# ', 'ciscoasa', 'privileged'],
  ])('parses %j', (text, base, level) => {
    expect(parsePrompt(text)).toEqual({ text, base, level });
  });

  it.each([
    '',
    '#####',
    'Password: ',
    ' --More-- ',
    'R1#show crypto map',
    'access denied > ',
    '% Invalid input',
  ])('does not take %j for a prompt', (text) => {
    expect(parsePrompt(text)).toBeNull();
  });

  it('confirms a prompt only when Enter produced the same prompt again', () => {
    expect(confirmPrompt(['R1>'], 'R1>')?.text).toBe('R1>');
    // A banner without its final newline: the prompt shares the banner's last line.
    expect(confirmPrompt(['Authorised access only!R1>'], 'R1>')?.base).toBe('R1');
    // Enter arrived while the banner was still printing: the line Enter ended is not the prompt yet.
    expect(confirmPrompt(['####', 'more banner'], 'R1>')).toBeNull();
    expect(confirmPrompt([], 'R1>')).toBeNull();
    expect(confirmPrompt(['R1>'], 'R2>')).toBeNull();
  });

  it('tells a prompt-like line end from others', () => {
    expect(mayEndInPrompt('banner ####')).toBe(true);
    expect(mayEndInPrompt('R1> ')).toBe(true);
    expect(mayEndInPrompt('Password:')).toBe(false);
  });

  it('switches levels keeping the base and a trailing space', () => {
    expect(promptAtLevel(parsePrompt('R1>')!, 'privileged').text).toBe('R1#');
    expect(promptAtLevel(parsePrompt('asa> ')!, 'privileged').text).toBe('asa# ');
  });

  it('recognises pagers and password requests', () => {
    expect(isPager(' --More-- ')).toBe(true);
    expect(isPager('<--- More --->')).toBe(true);
    expect(isPager('More')).toBe(false);
    expect(isPasswordRequest('Password: ')).toBe(true);
    expect(isPasswordRequest('R1>')).toBe(false);
  });
});
