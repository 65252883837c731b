import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, lines: () => chunks.join('').trim().split('\n').filter(Boolean) };
}

describe('createLogger', () => {
  it('writes JSON lines when not pretty', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, pretty: false, name: 'test' });
    log.info({ router: 'r1' }, 'polled');
    const line = JSON.parse(out.lines()[0] ?? '{}');
    expect(line).toMatchObject({ level: 30, name: 'test', router: 'r1', msg: 'polled' });
  });

  it.each([
    ['password', { password: 'hunter2' }],
    ['secret', { credential: { secret: 'hunter2' } }],
    ['privateKey', { auth: { ssh: { privateKey: 'hunter2' } } }],
    ['token', { token: 'hunter2' }],
    ['enableSecret', { router: { credential: { enableSecret: 'hunter2' } } }],
    ['authorization header', { req: { headers: { authorization: 'Bearer hunter2' } } }],
  ])('redacts %s', (_, fields) => {
    const out = capture();
    createLogger({ destination: out.stream, pretty: false }).info(fields, 'with secret');
    const text = out.lines().join('\n');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('[redacted]');
  });

  it('keeps fields that are not secret', () => {
    const out = capture();
    createLogger({ destination: out.stream, pretty: false }).info(
      { username: 'admin', host: '10.0.0.1' },
      'x',
    );
    expect(out.lines()[0]).toContain('"username":"admin"');
  });

  it('respects the level', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, pretty: false, level: 'warn' });
    log.info('hidden');
    log.warn('shown');
    expect(out.lines()).toHaveLength(1);
  });

  it('pretty output is not JSON and still redacts', () => {
    const out = capture();
    createLogger({ destination: out.stream, pretty: true }).info({ password: 'hunter2' }, 'pretty line');
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        const text = out.lines().join('\n');
        expect(text).toContain('pretty line');
        expect(text).not.toContain('hunter2');
        expect(() => JSON.parse(out.lines()[0] ?? '')).toThrow();
        resolve();
      }, 50),
    );
  });
});
