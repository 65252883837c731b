import { createHash } from 'node:crypto';
import type { HostKeyInfo } from './errors.js';

const FINGERPRINT_PREFIX = 'SHA256:';

/** Type and OpenSSH-style SHA256 fingerprint of a host key blob (SSH wire format, as ssh2 hands it over). */
export function describeHostKey(blob: Buffer): HostKeyInfo {
  const digest = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return { algorithm: keyAlgorithm(blob), fingerprint: `${FINGERPRINT_PREFIX}${digest}` };
}

/** Whether a presented fingerprint is the pinned one (the `SHA256:` prefix is optional in the pin). */
export function fingerprintsMatch(pinned: string, presented: string): boolean {
  const strip = (fingerprint: string) =>
    fingerprint.trim().startsWith(FINGERPRINT_PREFIX)
      ? fingerprint.trim().slice(FINGERPRINT_PREFIX.length)
      : fingerprint.trim();
  return strip(pinned) === strip(presented);
}

/** The blob starts with the key type as an SSH string (uint32 length + bytes). */
function keyAlgorithm(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return 'unknown';
  return blob.toString('latin1', 4, 4 + length);
}
