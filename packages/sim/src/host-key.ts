import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

/**
 * Deterministic ed25519 host keys: the key is derived from a seed (router name + key generation), so a router
 * keeps its key across restarts and a "host key changed" fault is just the next generation. Built by hand in
 * OpenSSH format from the 32-byte seed, which also avoids ssh2's generateKeyPairSync('ed25519') bug that drops
 * leading zero bytes of the public key (STACK.md).
 */
export type HostKey = {
  /** OpenSSH private key (PEM), as ssh2's Server `hostKeys` takes it. */
  privateKey: string;
  /** `ssh-ed25519 AAAA…` */
  publicKey: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
};

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function deriveHostKey(name: string, generation: number): HostKey {
  const seed = createHash('sha256').update(`tunnelwatch-sim host key\0${name}\0${generation}`).digest();
  const privateKeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKeyObject).export({ format: 'der', type: 'spki' });
  const publicBytes = spki.subarray(spki.length - 32);
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicBytes)]);
  const check = createHash('sha256').update(seed).digest().readUInt32BE(0);
  const comment = `${name}-sim`;
  let privateSection = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString('ssh-ed25519'),
    sshString(publicBytes),
    sshString(Buffer.concat([seed, publicBytes])),
    sshString(comment),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (privateSection.length % 8)) % 8 }, (_, i) => i + 1));
  privateSection = Buffer.concat([privateSection, padding]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(privateSection),
  ]);
  const base64 = body.toString('base64').replace(/.{70}/g, '$&\n');
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${base64}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${publicBlob.toString('base64')}`,
    fingerprint: fingerprintOf(publicBlob),
  };
}

/** OpenSSH-style fingerprint of a public key blob (the wire format). */
export function fingerprintOf(publicBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

function sshString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([uint32(bytes.length), bytes]);
}
