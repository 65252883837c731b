import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, parseRouterPollPayload, routerIdOfScheduler, schedulerIdFor } from './jobs.js';

describe('router.poll payload', () => {
  it('accepts a router id and nothing else', () => {
    expect(parseRouterPollPayload({ routerId: 'r-1' })).toEqual({ routerId: 'r-1' });
  });

  it.each([
    ['null', null],
    ['an array', ['r-1']],
    ['a string', 'r-1'],
    ['no id', {}],
    ['an empty id', { routerId: ' ' }],
    ['a numeric id', { routerId: 7 }],
  ])('refuses %s', (_label, data) => {
    expect(() => parseRouterPollPayload(data)).toThrow(InvalidPayloadError);
  });

  it('refuses extra keys, so a credential can never ride along in Redis', () => {
    expect(() => parseRouterPollPayload({ routerId: 'r-1', password: 'x' })).toThrow(
      /unexpected keys: password/,
    );
  });
});

describe('scheduler ids', () => {
  it('round-trip a router id and ignore foreign schedulers', () => {
    expect(routerIdOfScheduler(schedulerIdFor('abc'))).toBe('abc');
    expect(routerIdOfScheduler('retention:daily')).toBeNull();
  });
});
