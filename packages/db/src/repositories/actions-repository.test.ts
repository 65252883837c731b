import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import {
  ActionRateLimitError,
  type ActionRequest,
  ActionsRepository,
  RouterBusyError,
} from './actions-repository.js';
import { AuditLogRepository } from './audit-log-repository.js';
import { RoutersRepository } from './routers-repository.js';

let t: TestDatabase;
let actions: ActionsRepository;
let audit: AuditLogRepository;
let routers: RoutersRepository;

const LIMITS = { maxPerWindow: 2, windowMs: 60_000, staleAfterMs: 300_000 };

beforeAll(async () => {
  t = await createTestDatabase();
  actions = new ActionsRepository(t.db);
  audit = new AuditLogRepository(t.db);
  routers = new RoutersRepository(t.db);
});
afterAll(async () => {
  await t?.drop();
});

async function request(name: string): Promise<ActionRequest> {
  const router =
    (await routers.getByName(name)) ?? (await routers.create({ name, host: 'h', platform: 'ios' }));
  return {
    kind: 'clear_crypto_sa',
    routerId: router.id,
    routerName: name,
    peer: '198.51.100.2',
    fvrf: '',
    command: 'clear crypto sa peer 198.51.100.2',
    requestedBy: 'noc-alice',
  };
}

describe('remediation actions', () => {
  it('goes queued → sent → succeeded, with an audit row when accepted and when finished', async () => {
    const req = await request('r-life');
    const created = await actions.create(req, LIMITS);
    expect(created).toMatchObject({ status: 'queued', sentAt: null, command: req.command });
    const claimed = await actions.claim(created.id);
    expect(claimed).toMatchObject({ status: 'sent' });
    expect(claimed?.sentAt).toBeInstanceOf(Date);
    expect(await actions.claim(created.id)).toBeNull(); // only once
    const finished = await actions.finish(created.id, {
      status: 'succeeded',
      output: '',
      poll: { pollId: null, ok: false },
    });
    expect(finished).toMatchObject({ status: 'succeeded', output: '', pollOk: false });
    expect(await actions.finish(created.id, { status: 'failed', error: 'late' })).toBeNull();
    expect(await actions.get(created.id)).toMatchObject({ status: 'succeeded', pollOk: false });

    const rows = (await audit.list({ routerId: req.routerId })).items;
    expect(rows.map((r) => [r.actor, r.action, r.target, r.detail.outcome])).toEqual([
      ['noc-alice', 'remediation.clear-crypto-sa', '198.51.100.2', 'succeeded'],
      ['noc-alice', 'remediation.clear-crypto-sa', '198.51.100.2', 'accepted'],
    ]);
    expect(rows[0]?.detail).toMatchObject({ actionId: created.id, command: req.command });
  });

  it('allows one queued or sent action per router, also when requests race', async () => {
    const req = await request('r-busy');
    const other = await request('r-other');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => actions.create(req, LIMITS)));
    const accepted = results.filter((r) => r.status === 'fulfilled');
    expect(accepted).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RouterBusyError);
    }
    // Another router is not affected.
    await expect(actions.create(other, LIMITS)).resolves.toMatchObject({ status: 'queued' });
    const first = (accepted[0] as PromiseFulfilledResult<{ id: string }>).value;
    await actions.finish(first.id, { status: 'failed', error: 'unreachable' });
    await expect(actions.create(req, LIMITS)).resolves.toMatchObject({ status: 'queued' });
  });

  it('limits accepted actions per router per window and says when to retry', async () => {
    const req = await request('r-rate');
    const t0 = new Date('2026-11-30T01:00:00Z');
    const a = await actions.create(req, LIMITS, t0);
    await actions.finish(a.id, { status: 'succeeded' });
    const b = await actions.create(req, LIMITS, new Date(t0.getTime() + 10_000));
    await actions.finish(b.id, { status: 'succeeded' });
    const refused = actions.create(req, LIMITS, new Date(t0.getTime() + 20_000));
    await expect(refused).rejects.toThrow(ActionRateLimitError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 40 });
    // Nothing was written for the refused request.
    expect(await actions.listForRouter(req.routerId)).toHaveLength(2);
    // Once the first action leaves the window, one more is allowed.
    await expect(actions.create(req, LIMITS, new Date(t0.getTime() + 61_000))).resolves.toBeTruthy();
  });

  it('fails an abandoned action so a dead worker cannot block the router forever', async () => {
    const req = await request('r-stale');
    const t0 = new Date(Date.now() - 3_600_000);
    const stale = await actions.create(req, LIMITS, t0);
    await expect(actions.create(req, LIMITS, new Date(t0.getTime() + 1_000))).rejects.toThrow(
      RouterBusyError,
    );
    const fresh = await actions.create(req, LIMITS, new Date(t0.getTime() + LIMITS.staleAfterMs + 1_000));
    expect(fresh.status).toBe('queued');
    expect(await actions.get(stale.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/abandoned/),
    });
    // The abandoned action can no longer be claimed: its command is never sent.
    expect(await actions.claim(stale.id)).toBeNull();
  });
});
