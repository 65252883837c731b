import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeHostKey, fingerprintsMatch } from './host-key.js';

/** An SSH wire-format key blob: string(type) followed by key material. */
function blob(type: string, material: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(type.length);
  return Buffer.concat([length, Buffer.from(type), material]);
}

describe('host keys', () => {
  it('fingerprints like OpenSSH (SHA256, base64 without padding) and reads the key type', () => {
    const key = blob('ssh-ed25519', Buffer.alloc(36, 7));
    const expected = createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
    expect(describeHostKey(key)).toEqual({ algorithm: 'ssh-ed25519', fingerprint: `SHA256:${expected}` });
    expect(describeHostKey(key).fingerprint).not.toContain('=');
  });

  it('compares pins with or without the SHA256: prefix, and nothing else', () => {
    expect(fingerprintsMatch('SHA256:abc', 'SHA256:abc')).toBe(true);
    expect(fingerprintsMatch('abc', 'SHA256:abc')).toBe(true);
    expect(fingerprintsMatch('SHA256:abd', 'SHA256:abc')).toBe(false);
    expect(fingerprintsMatch('', 'SHA256:abc')).toBe(false);
  });
});
