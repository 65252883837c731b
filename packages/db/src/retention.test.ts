import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutersRepository } from './repositories/routers-repository.js';
import { applyRetention } from './retention.js';
import { savePollResult } from './save-poll-result.js';
import { createTestDatabase, sampleSnapshot, sampleTunnel, type TestDatabase } from './testing.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const day = 86_400_000;
const start = new Date('2026-11-01T00:00:00.000Z');
const after = (days: number) => new Date(start.getTime() + days * day);

describe('applyRetention', () => {
  it('deletes old polls, events and raw outputs in batches, and forgets only unconfigured tunnels down too long', async () => {
    const router = await new RoutersRepository(t.db).create({ name: 'r', host: 'h', platform: 'ios' });
    const poll = (at: Date, peers: { peer: string; configured?: boolean; state?: 'up' | 'down' }[]) =>
      savePollResult(t.db, router.id, {
        status: 'ok',
        startedAt: at,
        finishedAt: at,
        bytesRead: 1,
        snapshot: sampleSnapshot(
          at,
          peers.map((p) => sampleTunnel({ polledAt: at, ...p })),
        ),
        rawOutputs: { [`show at ${at.toISOString()}`]: 'x' },
      });
    // Day 0: three tunnels. Day 1: "gone" disappears (down since day 1), "cfg" stays configured but down.
    await poll(after(0), [{ peer: 'keep' }, { peer: 'gone' }, { peer: 'cfg', configured: true }]);
    await poll(after(1), [{ peer: 'keep' }, { peer: 'cfg', configured: true, state: 'down' }]);
    for (let d = 2; d <= 9; d++)
      await poll(after(d), [{ peer: 'keep' }, { peer: 'cfg', configured: true, state: 'down' }]);

    const result = await applyRetention(t.db, { retentionDays: 7, now: after(9.5), batchSize: 1 });
    // Cutoff is day 2.5: polls of days 0, 1, 2 go; so do their raw outputs and the events of days 0 (three
    // discoveries) and 1 (gone and cfg went down).
    expect(result).toEqual({ polls: 3, rawOutputs: 3, events: 5, tunnels: 1 });
    const tunnels = await t.db.pool.query('SELECT peer, state FROM tunnels ORDER BY peer');
    expect(tunnels.rows).toEqual([
      { peer: 'cfg', state: 'down' },
      { peer: 'keep', state: 'up' },
    ]);
    const events = await t.db.pool.query('SELECT kind, peer FROM events ORDER BY at');
    expect(events.rows).toEqual([{ kind: 'tunnel_forgotten', peer: 'gone' }]);
    expect(await applyRetention(t.db, { retentionDays: 7, now: after(9.5) })).toEqual({
      polls: 0,
      rawOutputs: 0,
      events: 0,
      tunnels: 0,
    });
  });

  it('deletes nothing more once its signal is aborted (checked before every batch)', async () => {
    const router = await new RoutersRepository(t.db).create({ name: 'aborted', host: 'h', platform: 'ios' });
    for (let d = 0; d < 3; d++) {
      await savePollResult(t.db, router.id, {
        status: 'failed',
        reason: 'timeout',
        startedAt: after(d),
        finishedAt: after(d),
        bytesRead: 0,
      });
    }
    const controller = new AbortController();
    controller.abort();
    const options = { retentionDays: 1, now: after(30), batchSize: 1 };
    expect(await applyRetention(t.db, { ...options, signal: controller.signal })).toEqual({
      polls: 0,
      rawOutputs: 0,
      events: 0,
      tunnels: 0,
    });
    const left = async () =>
      (await t.db.pool.query('SELECT count(*)::int AS n FROM polls WHERE router_id = $1', [router.id]))
        .rows[0].n;
    expect(await left()).toBe(3);
    await applyRetention(t.db, options);
    expect(await left()).toBe(0);
  });
});
