import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flow, ident, ikev2Sa, isakmpSa, mapEntry, sa, session } from '../test/parsed-values.js';
import { normalizePoll } from './normalize-poll.js';

// Whatever mix of partial, contradictory or odd parser values a poll yields, normalizePoll returns a
// consistent snapshot and never throws (a missing or strange output means fewer facts, not a lost poll).
const address = fc.oneof(
  fc.constantFrom(
    '198.51.100.2',
    '198.51.100.3',
    '192.0.2.1',
    '2001:DB8::2',
    '2001:db8:0::2',
    '0.0.0.0',
    '::',
    '',
  ),
  fc.constantFrom('PEER-OBJ', 'not an address', 'FE80::1%Gi0'),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const seconds = maybe(fc.integer({ min: 0, max: 100_000 }));
const status = maybe(fc.constantFrom('ACTIVE', 'ACTIVE(ACTIVE)', 'active', 'STANDBY', 'DELETED', ''));

const arbitrarySa = fc
  .record({
    direction: fc.constantFrom('inbound' as const, 'outbound' as const),
    spi: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    protocol: fc.constantFrom('esp' as const, 'ah' as const, 'pcp' as const),
    remainingSeconds: seconds,
    remainingKilobytes: seconds,
    status,
  })
  .map((overrides) => sa(overrides));

const arbitraryFlow = fc
  .record({
    peer: maybe(fc.record({ address, port: maybe(fc.integer({ min: 0, max: 65535 })) })),
    localIdent: maybe(
      fc.constantFrom(ident('10.1.0.0/24'), ident('2001:DB8:1::/64'), ident('10.0.0.1/32', 47, 0)),
    ),
    remoteIdent: maybe(fc.constantFrom(ident('10.2.0.0/24'), ident('2001:db8:2::/64'))),
    cryptoMapTag: maybe(fc.constantFrom('VPN', 'DYN', 'Tunnel0-head-0')),
    cryptoMapSequence: maybe(fc.integer({ min: 1, max: 65540 })),
    localAddress: maybe(address),
    remoteEndpoint: maybe(fc.record({ address, port: fc.constant(null) })),
    sas: fc.array(arbitrarySa, { maxLength: 5 }),
  })
  .map((overrides) => flow(overrides));

const arbitraryPoll = fc.record(
  {
    ipsecSa: maybe(
      fc.record({
        interfaces: fc.array(
          fc.record({
            name: fc.constantFrom('Gi0/0', 'Tunnel0', 'outside'),
            cryptoMapTag: maybe(fc.constantFrom('VPN', 'DYN')),
            localAddress: maybe(address),
            flows: fc.array(arbitraryFlow, { maxLength: 4 }),
          }),
          { maxLength: 3 },
        ),
      }),
    ),
    isakmpSa: maybe(
      fc.record({
        sas: fc.array(
          fc
            .record({
              dst: maybe(address),
              src: maybe(address),
              remoteAddress: maybe(address),
              state: maybe(fc.constantFrom('QM_IDLE', 'MM_NO_STATE', 'MM_ACTIVE')),
              status,
              lifetimeSeconds: seconds,
            })
            .map((overrides) => isakmpSa(overrides)),
          { maxLength: 3 },
        ),
      }),
    ),
    ikev2Sa: maybe(
      fc.record({
        sas: fc.array(
          fc
            .record({
              remoteAddress: maybe(address),
              fvrf: maybe(fc.constantFrom('INET', 'blue')),
              status: maybe(fc.constantFrom('READY', 'IN-NEG', 'DELETE')),
              lifetimeSeconds: seconds,
              activeTimeSeconds: seconds,
            })
            .map((overrides) => ikev2Sa(overrides)),
          { maxLength: 3 },
        ),
      }),
    ),
    cryptoMap: maybe(
      fc.record({
        maps: fc.array(
          fc
            .record({
              name: fc.constantFrom('VPN', 'DYN'),
              sequence: maybe(fc.integer({ min: 1, max: 65535 })),
              dynamic: fc.boolean(),
              peers: fc.array(address, { maxLength: 3 }),
              type: maybe(fc.constantFrom('ipsec-isakmp', 'ipsec-manual')),
            })
            .map((overrides) => mapEntry(overrides)),
          { maxLength: 3 },
        ),
      }),
    ),
    cryptoSession: maybe(
      fc.record({
        sessions: fc.array(
          fc
            .record({
              peer: maybe(fc.record({ address, port: fc.constant(500) })),
              fvrf: maybe(fc.constantFrom('INET', 'blue')),
              status: maybe(fc.constantFrom('UP-ACTIVE', 'DOWN', 'DOWN-NEGOTIATING', 'UP-IDLE')),
            })
            .map((overrides) => session(overrides)),
          { maxLength: 3 },
        ),
      }),
    ),
  },
  { requiredKeys: [] },
);

describe('normalizePoll on arbitrary parser values', () => {
  it('never throws and keeps its invariants', () => {
    const polledAt = new Date('2026-11-30T01:00:00Z');
    fc.assert(
      fc.property(arbitraryPoll, (parsed) => {
        const snapshot = normalizePoll({ polledAt, ...parsed });
        const keys = snapshot.tunnels.map((tunnel) => `${tunnel.fvrf}|${tunnel.peer}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const tunnel of snapshot.tunnels) {
          expect(['', '0.0.0.0', '::']).not.toContain(tunnel.peer);
          expect(['up', 'down', 'negotiating']).toContain(tunnel.state);
          const flowKeys = tunnel.flows.map((f) => f.key);
          expect(new Set(flowKeys).size).toBe(flowKeys.length);
          for (const f of tunnel.flows) {
            for (const direction of [f.inbound, f.outbound]) {
              expect(direction.saCount).toBeLessThanOrEqual(f.sas.length);
              expect(direction.newest === null).toBe(direction.saCount === 0);
            }
            if (tunnel.state === 'up')
              expect(tunnel.flows.some((x) => x.inbound.saCount && x.outbound.saCount)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});
