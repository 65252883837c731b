import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted a bad environment');
}

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      databaseUrl: null,
      redisUrl: 'redis://127.0.0.1:6379',
      secretKey: null,
      pollIntervalSeconds: 60,
      retentionDays: 7,
      metricsPublic: false,
      remediationEnabled: false,
    });
  });

  it('converts numbers and booleans from their text', () => {
    const config = loadConfig({ PORT: '9100', METRICS_PUBLIC: 'true', POLL_INTERVAL_SECONDS: '30' });
    expect(config.port).toBe(9100);
    expect(config.metricsPublic).toBe(true);
    expect(config.pollIntervalSeconds).toBe(30);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ' })).toMatchObject({ port: 8080, databaseUrl: null });
  });

  it('names the bad variable and what it expects', () => {
    const problems = problemsOf({ PORT: 'eighty' });
    expect(problems).toEqual([
      { variable: 'PORT', message: 'expected TCP port of the API (0-65535), got "eighty"' },
    ]);
  });

  it('reports every bad variable at once, once each', () => {
    const problems = problemsOf({ PORT: '70000', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect(problems.find((p) => p.variable === 'LOG_LEVEL')?.message).toContain('one of fatal, error');
  });

  it('rejects a poll interval below the floor', () => {
    expect(problemsOf({ POLL_INTERVAL_SECONDS: '1' })[0]?.variable).toBe('POLL_INTERVAL_SECONDS');
  });

  it('decodes the secret key from hex and from base64 to the same 32 bytes', () => {
    const bytes = Buffer.alloc(32, 7);
    const fromHex = loadConfig({ TUNNELWATCH_SECRET_KEY: bytes.toString('hex') }).secretKey;
    const fromBase64 = loadConfig({ TUNNELWATCH_SECRET_KEY: bytes.toString('base64') }).secretKey;
    expect(fromHex).toEqual(bytes);
    expect(fromBase64).toEqual(bytes);
  });

  it('rejects a secret key of the wrong length without echoing it in full', () => {
    const problems = problemsOf({ TUNNELWATCH_SECRET_KEY: 'abcd' });
    expect(problems[0]?.variable).toBe('TUNNELWATCH_SECRET_KEY');
    expect(problems[0]?.message).toContain('32-byte key');
  });

  it('the error message lists each problem on its own line', () => {
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/invalid configuration:\n {2}PORT: expected/);
  });
});
