import type { ApiTokenView } from '@tunnelwatch/db';
import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from './verified-token-cache.js';

function view(name: string, expiresAt: Date | null = null): ApiTokenView {
  return {
    id: `id-${name}`,
    name,
    scopes: ['read'],
    createdAt: new Date(0),
    expiresAt,
    lastUsedAt: null,
    revokedAt: null,
  };
}

describe('VerifiedTokenCache', () => {
  it('keeps a verified token for the TTL, then forgets it (a revocation takes effect)', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(5000, 100, () => now);
    cache.set('h1', view('a'));
    now += 4999;
    expect(cache.get('h1')?.name).toBe('a');
    now += 1;
    expect(cache.get('h1')).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('never trusts a token past its own expiry', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(60_000, 100, () => now);
    cache.set('h1', view('a', new Date(now + 1000)));
    now += 999;
    expect(cache.get('h1')).not.toBeNull();
    now += 1;
    expect(cache.get('h1')).toBeNull();
  });

  it('caches nothing with a TTL of 0', () => {
    const cache = new VerifiedTokenCache(0);
    cache.set('h1', view('a'));
    expect(cache.get('h1')).toBeNull();
  });

  it('drops the oldest entry when full', () => {
    const cache = new VerifiedTokenCache(5000, 2);
    cache.set('h1', view('a'));
    cache.set('h2', view('b'));
    cache.set('h3', view('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('h1')).toBeNull();
    expect(cache.get('h3')?.name).toBe('c');
  });

  it('drop forgets one token by id, and only that one', () => {
    const cache = new VerifiedTokenCache(60_000);
    cache.set('h1', view('a'));
    cache.set('h2', view('b'));
    expect(cache.drop('id-a')).toBe(true);
    expect(cache.get('h1')).toBeNull();
    expect(cache.get('h2')?.name).toBe('b');
    expect(cache.drop('id-unknown')).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('does not cache a verification that was in flight while a token was dropped or the cache cleared', () => {
    const cache = new VerifiedTokenCache(60_000);
    const beforeDrop = cache.mark();
    cache.drop('id-a');
    cache.set('h1', view('a'), beforeDrop);
    expect(cache.get('h1')).toBeNull();
    const beforeClear = cache.mark();
    cache.clear();
    cache.set('h1', view('a'), beforeClear);
    expect(cache.get('h1')).toBeNull();
    cache.set('h1', view('a'), cache.mark());
    expect(cache.get('h1')?.name).toBe('a');
  });
});
