import type { Algorithms, CipherAlgorithm, KexAlgorithm, ServerHostKeyAlgorithm } from 'ssh2';

/**
 * Algorithms old IOS images still need (12.x/15.0 offer only SHA-1 key exchange, `ssh-rsa` host-key
 * signatures and CBC ciphers). ssh2 offers `ssh-rsa` by default, so "off by default" means removing it unless
 * the router is marked legacy; the rest is only appended then.
 */
const LEGACY_KEX: KexAlgorithm[] = [
  'diffie-hellman-group14-sha1',
  'diffie-hellman-group-exchange-sha1',
  'diffie-hellman-group1-sha1',
];
const LEGACY_HOST_KEYS: ServerHostKeyAlgorithm[] = ['ssh-rsa'];
const LEGACY_CIPHERS: CipherAlgorithm[] = ['aes256-cbc', 'aes192-cbc', 'aes128-cbc', '3des-cbc'];

/** The algorithm offer for one router. */
export function sshAlgorithms(legacy: boolean): Algorithms {
  if (legacy) {
    return {
      kex: { append: LEGACY_KEX, prepend: [], remove: [] },
      cipher: { append: LEGACY_CIPHERS, prepend: [], remove: [] },
    };
  }
  return { serverHostKey: { append: [], prepend: [], remove: LEGACY_HOST_KEYS } };
}
