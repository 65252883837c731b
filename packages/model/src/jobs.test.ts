import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, parseRemediationPayload, parseRouterPollPayload } from './jobs.js';

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

describe('remediation payload', () => {
  const ID = '0b7f4c1e-52a4-4b0e-9a59-7b8f0e7f9d11';

  it('accepts { actionId } with a UUID only', () => {
    expect(parseRemediationPayload({ actionId: ID })).toEqual({ actionId: ID });
    for (const bad of [null, [], 'x', {}, { actionId: 'r1' }, { actionId: ID, password: 'x' }]) {
      expect(() => parseRemediationPayload(bad)).toThrow(InvalidPayloadError);
    }
  });
});
