import { describe, expect, it } from 'vitest';
import { InvalidRemediationTargetError, remediationCommand, routerErrorIn } from './remediation-commands.js';

describe('remediationCommand', () => {
  it('builds the allow-listed IOS forms', () => {
    expect(remediationCommand('clear_crypto_sa', { platform: 'ios', peer: '198.51.100.2', fvrf: '' })).toBe(
      'clear crypto sa peer 198.51.100.2',
    );
    expect(
      remediationCommand('clear_crypto_sa', { platform: 'iosxe', peer: '2001:db8::2', fvrf: null }),
    ).toBe('clear crypto sa peer 2001:db8::2');
    expect(
      remediationCommand('clear_crypto_sa', { platform: 'iosxe', peer: '192.0.2.9', fvrf: 'INET' }),
    ).toBe('clear crypto sa peer vrf INET 192.0.2.9');
    expect(remediationCommand('clear_crypto_isakmp', { platform: 'ios' })).toBe('clear crypto isakmp');
  });

  it.each([
    { peer: 'peer-b.example.net', fvrf: '' },
    { peer: '198.51.100.2\nreload', fvrf: '' },
    { peer: '', fvrf: '' },
    { peer: null, fvrf: '' },
    { peer: '198.51.100.2', fvrf: 'A B' },
  ])('refuses peer $peer in VRF $fvrf', (target) => {
    expect(() => remediationCommand('clear_crypto_sa', { platform: 'ios', ...target })).toThrow(
      InvalidRemediationTargetError,
    );
  });

  it('refuses ASA routers for both kinds', () => {
    expect(() => remediationCommand('clear_crypto_sa', { platform: 'asa', peer: '192.0.2.1' })).toThrow(
      /ASA/,
    );
    expect(() => remediationCommand('clear_crypto_isakmp', { platform: 'asa' })).toThrow(/ASA/);
  });
});

describe('routerErrorIn', () => {
  it('finds the IOS error line, and nothing in an empty or plain answer', () => {
    expect(routerErrorIn('')).toBeNull();
    expect(routerErrorIn('\n')).toBeNull();
    expect(routerErrorIn("                        ^\n% Invalid input detected at '^' marker.\n")).toBe(
      "% Invalid input detected at '^' marker.",
    );
  });
});
