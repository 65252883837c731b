import { describe, expect, it } from 'vitest';
import { routerIdOfScheduler, schedulerIdFor } from './jobs.js';

describe('scheduler ids', () => {
  it('round-trip a router id and ignore foreign schedulers', () => {
    expect(routerIdOfScheduler(schedulerIdFor('abc'))).toBe('abc');
    expect(routerIdOfScheduler('retention:daily')).toBeNull();
  });
});
