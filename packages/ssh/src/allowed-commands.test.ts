import { describe, expect, it } from 'vitest';
import { ALLOWED_COMMANDS, isCommandAllowed } from './allowed-commands.js';

describe('isCommandAllowed', () => {
  it('allows what the poller and the session setup send', () => {
    for (const command of [
      'show crypto ipsec sa',
      'show crypto ikev2 sa detail',
      'terminal length 0',
      'enable',
    ]) {
      expect(isCommandAllowed(command)).toBe(true);
    }
  });

  it('fills <address> with exactly one IPv4 or IPv6 address', () => {
    expect(ALLOWED_COMMANDS).toContain('show crypto ipsec sa peer <address>');
    expect(isCommandAllowed('show crypto ipsec sa peer 192.0.2.1')).toBe(true);
    expect(isCommandAllowed('show crypto ipsec sa peer 2001:db8::1')).toBe(true);
    expect(isCommandAllowed('show crypto ipsec sa peer router1')).toBe(false);
    expect(isCommandAllowed('show crypto ipsec sa peer 192.0.2.1 | include spi')).toBe(false);
  });

  it.each([
    'configure terminal',
    'show crypto map\nreload',
    'show crypto map ',
    'SHOW CRYPTO MAP',
    'sh cry map',
    'clear crypto sa',
    'reload',
  ])('refuses %j', (command) => {
    expect(isCommandAllowed(command)).toBe(false);
  });
});
