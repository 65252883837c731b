import { Readable } from 'node:stream';

/**
 * Streams already-built buffers as they are, with backpressure. A fleet exposition is tens of MB: copying it into
 * one fresh Buffer per scrape costs far more than the copy itself (every page of a new 84 MB allocation is
 * faulted in on first touch: ~300 ms on this machine), while the cached chunks are immutable (a poll replaces
 * a router's buffers, it never changes them), so the socket can write them directly.
 */
export function chunkStream(chunks: readonly Buffer[]): Readable {
  let next = 0;
  return new Readable({
    // Fewer, larger socket writes: each read() call hands over up to 1 MB of references, no copies.
    highWaterMark: 1 << 20,
    read() {
      while (next < chunks.length) {
        const chunk = chunks[next++] as Buffer;
        if (chunk.length > 0 && !this.push(chunk)) return;
      }
      this.push(null);
    },
  });
}
