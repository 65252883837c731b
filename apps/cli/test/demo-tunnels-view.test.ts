import { describe, expect, it } from 'vitest';
import type { TunnelItem } from '../src/tunnels-view/api-client.js';
import { formatDuration, renderTunnelsTable } from '../src/tunnels-view/render-table.js';
import { TrafficRates } from '../src/tunnels-view/traffic-rates.js';

const now = Date.parse('2026-11-30T12:00:00Z');
const tunnel = (over: Partial<TunnelItem>): TunnelItem => ({
  id: 't1',
  routerName: 'hq',
  peer: '198.51.100.2',
  fvrf: '',
  state: 'up',
  interface: 'Gi0/1',
  ikeVersion: 'ikev2',
  saExpiresAt: new Date(now + 252_000).toISOString(),
  lastChangeAt: new Date(now - 60_000).toISOString(),
  ...over,
});
const flows = (encaps: number, decaps: number, at: number) => ({
  flows: [{ counters: { encaps, decaps }, updatedAt: new Date(at).toISOString() }],
});

describe('tunnelwatch tunnels table', () => {
  it('lists down tunnels first with state, router, peer, rate and time to expiry', () => {
    const table = renderTunnelsTable(
      [
        tunnel({ id: 'a', peer: '198.51.100.10' }),
        tunnel({ id: 'b', peer: '198.51.100.9', state: 'down', saExpiresAt: null }),
        tunnel({
          id: 'c',
          peer: '198.51.100.2',
          fvrf: 'INET',
          saExpiresAt: new Date(now - 1000).toISOString(),
        }),
      ],
      (id) => (id === 'a' ? 12.5 : null),
      now,
    );
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATE\s+ROUTER\s+PEER\s+VRF\s+INTERFACE\s+IKE\s+TRAFFIC\s+SA EXPIRES IN$/);
    expect(lines[1]).toMatch(/^down\s+hq\s+198\.51\.100\.9\s/);
    // Peers sort numerically: .2 before .10.
    expect(lines[2]).toMatch(/^up\s+hq\s+198\.51\.100\.2\s+INET\s.*expired$/);
    expect(lines[3]).toMatch(/198\.51\.100\.10\s+-\s+Gi0\/1\s+ikev2\s+13 pkt\/s\s+4m12s$/);
    expect(lines[4]).toBe('3 tunnels: 2 up, 1 down, 0 negotiating');
  });

  it('says so when there is nothing to show', () => {
    expect(renderTunnelsTable([], () => null, now)).toBe('no tunnels\n');
  });

  it('formats durations the way an operator reads them', () => {
    expect([5, 65, 3725, 90_000].map(formatDuration)).toEqual(['5s', '1m05s', '1h2m', '1d1h']);
  });
});

describe('traffic rates from two polls', () => {
  it('is packets in + out per second between two poll times, and none from one poll', () => {
    const rates = new TrafficRates();
    rates.update('t', flows(1000, 500, now));
    expect(rates.rate('t')).toBeNull();
    rates.update('t', flows(1300, 700, now + 10_000));
    expect(rates.rate('t')).toBe(50);
  });

  it('keeps the rate while the poll has not changed, and drops it when counters reset', () => {
    const rates = new TrafficRates();
    rates.update('t', flows(0, 0, now));
    rates.update('t', flows(100, 100, now + 10_000));
    rates.update('t', flows(100, 100, now + 10_000));
    expect(rates.rate('t')).toBe(20);
    rates.update('t', flows(5, 5, now + 20_000));
    expect(rates.rate('t')).toBeNull();
    rates.update('t', flows(105, 5, now + 30_000));
    expect(rates.rate('t')).toBe(10);
  });
});
