/** Small deterministic hashes: SPIs, conn ids and start offsets are derived, not stored, so state stays tiny. */

/** FNV-1a of a string, as an unsigned 32-bit integer. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mixes integers into a seed (murmur3 finalizer per step); unsigned 32-bit. */
export function mix(seed: number, ...values: number[]): number {
  let h = seed >>> 0;
  for (const value of values) {
    h ^= value >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A number in [0, 1) from a seed. */
export function unitFloat(seed: number): number {
  return mix(seed, 0x9e3779b9) / 0x100000000;
}
