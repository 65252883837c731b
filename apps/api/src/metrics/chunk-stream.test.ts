import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { chunkStream } from './chunk-stream.js';

describe('chunkStream', () => {
  it('streams the buffers in order, themselves (no copies), skipping empty ones', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.from(`line ${i}\n`));
    chunks.splice(10, 0, Buffer.alloc(0));
    const seen: Buffer[] = [];
    await pipeline(
      chunkStream(chunks),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          seen.push(chunk);
          done();
        },
      }),
    );
    expect(seen).toHaveLength(50);
    expect(seen.every((c, i) => c === chunks[i < 10 ? i : i + 1])).toBe(true);
  });

  it('waits for a slow reader (backpressure): it hands over about a highWaterMark at a time', async () => {
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(64 * 1024, 97)); // 4 MB
    const stream = chunkStream(chunks);
    await new Promise((resolve) => setImmediate(resolve));
    stream.read(0); // starts filling up to the high-water mark, then stops
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.readableLength).toBeGreaterThan(0);
    expect(stream.readableLength).toBeLessThanOrEqual(stream.readableHighWaterMark + 64 * 1024);
    let total = 0;
    for await (const chunk of stream) total += (chunk as Buffer).length;
    expect(total).toBe(4 * 1024 * 1024);
  });
});
