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

  it('builds the ASA form for a tunnel in the global table', () => {
    expect(remediationCommand('clear_crypto_sa', { platform: 'asa', peer: '192.0.2.1', fvrf: '' })).toBe(
      'clear crypto ipsec sa peer 192.0.2.1',
    );
    expect(remediationCommand('clear_crypto_sa', { platform: 'asa', peer: '2001:db8::7', fvrf: null })).toBe(
      'clear crypto ipsec sa peer 2001:db8::7',
    );
  });

  it('refuses on ASA a front-door VRF, a non-IP peer, and clearing every IKE SA', () => {
    expect(() =>
      remediationCommand('clear_crypto_sa', { platform: 'asa', peer: '192.0.2.1', fvrf: 'OUTSIDE' }),
    ).toThrow(/ASA.*no VRF keyword/);
    expect(() =>
      remediationCommand('clear_crypto_sa', { platform: 'asa', peer: 'peer.example.net' }),
    ).toThrow(InvalidRemediationTargetError);
    expect(() => remediationCommand('clear_crypto_sa', { platform: 'asa', peer: null })).toThrow(
      InvalidRemediationTargetError,
    );
    expect(() => remediationCommand('clear_crypto_isakmp', { platform: 'asa' })).toThrow(
      /not supported on ASA.*ikev1.*ikev2/,
    );
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

  it('finds the ASA error line with its ERROR: prefix', () => {
    expect(routerErrorIn("          ^\nERROR: % Invalid input detected at '^' marker.\n")).toBe(
      "ERROR: % Invalid input detected at '^' marker.",
    );
    expect(routerErrorIn('ERROR: Unable to clear SAs\n')).toBe('ERROR: Unable to clear SAs');
    expect(routerErrorIn('cleared 2 SAs\n')).toBeNull();
  });
});
