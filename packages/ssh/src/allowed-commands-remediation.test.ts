import { describe, expect, it } from 'vitest';
import { isCommandAllowed } from './allowed-commands.js';

// The remediation forms (docs/remediation.md): exactly these four, with the peer an IP address.
describe('isCommandAllowed: remediation commands', () => {
  it.each([
    'clear crypto sa peer 198.51.100.2',
    'clear crypto sa peer 2001:db8:2::2',
    'clear crypto sa peer vrf CUST-A 198.51.100.2',
    'clear crypto sa peer vrf blue_1.x:2 2001:db8::1',
    'clear crypto isakmp',
    'clear crypto ipsec sa peer 198.51.100.2',
    'clear crypto ipsec sa peer 2001:db8:2::2',
  ])('allows %j', (command) => {
    expect(isCommandAllowed(command)).toBe(true);
  });

  it.each([
    'clear crypto sa',
    'clear crypto sa peer',
    'clear crypto sa peer router-b.example.net',
    'clear crypto sa peer 198.51.100.2; reload',
    'clear crypto sa peer 198.51.100.2\nreload',
    'clear crypto sa peer 198.51.100.2 ',
    'clear crypto sa peer  198.51.100.2',
    'clear crypto sa peer 198.51.100.256',
    'clear crypto sa peer fe80::1%eth0',
    'clear crypto sa peer vrf 198.51.100.2',
    'clear crypto sa peer vrf CUST A 198.51.100.2',
    'clear crypto sa peer vrf -x 198.51.100.2',
    `clear crypto sa peer vrf ${'v'.repeat(33)} 198.51.100.2`,
    'clear crypto sa peer vrf CUST-A router-b',
    'clear crypto isakmp 1',
    'clear crypto isakmp sa',
    'clear crypto ikev1 sa',
    'clear crypto ikev2 sa',
    // ASA near misses: every peer at once, a VRF, a name, a second command, a bad address.
    'clear crypto ipsec sa',
    'clear crypto ipsec sa peer',
    'clear crypto ipsec sa peer vrf CUST-A 198.51.100.2',
    'clear crypto ipsec sa peer asa-peer.example.net',
    'clear crypto ipsec sa peer 198.51.100.2 ',
    'clear crypto ipsec sa peer 198.51.100.2\nreload',
    'clear crypto ipsec sa peer 198.51.100.2 | include x',
    'clear crypto ipsec sa peer 10.0.0.300',
    'clear crypto ipsec sa peer fe80::1%inside',
    'clear crypto ipsec sa entry 198.51.100.2 esp 1',
    'clear crypto ipsec sa counters',
    'clear crypto session',
    'clear cry sa peer 198.51.100.2',
  ])('refuses %j', (command) => {
    expect(isCommandAllowed(command)).toBe(false);
  });
});
