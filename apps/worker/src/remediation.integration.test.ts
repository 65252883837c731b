import { randomBytes } from 'node:crypto';
import { createLogger, type loadConfig } from '@tunnelwatch/config';
import {
  type ActionRequest,
  ActionsRepository,
  AuditLogRepository,
  EventsRepository,
  RoutersRepository,
  TunnelsRepository,
} from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { importInventory, parseInventory } from '@tunnelwatch/inventory';
import { REMEDIATION_JOB_NAMES, REMEDIATION_JOB_OPTIONS, REMEDIATION_QUEUE_NAME } from '@tunnelwatch/model';
import { type Fleet, inventoryYaml, type RouterSpec, type RouterTruth, startFleet } from '@tunnelwatch/sim';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, testRedis, uniquePrefix } from '../test/redis.js';
import { testConfig } from '../test/test-config.js';
import { type PollRouterDeps, pollRouterOnce } from './poll-router.js';
import type { PollWorker } from './poll-worker.js';
import { type RemediationDeps, runRemediation } from './remediation-runner.js';
import { pollDepsFromConfig, startWorkerProcess } from './run-worker.js';

// Remediation against the simulator over real SSH, real Postgres and real Redis (docs/remediation.md).

const prefix = uniquePrefix('remediation');
const secretKey = randomBytes(32);
const redis = testRedis();
const logger = createLogger({ level: 'silent' });
const LIMITS = { maxPerWindow: 100, windowMs: 60_000, staleAfterMs: 600_000 };

const FLEET: RouterSpec[] = [
  {
    name: 'r1',
    platform: 'iosxe',
    tunnels: [
      { peer: '198.51.100.2' },
      { peer: '198.51.100.3', ikeVersion: 2 },
      { peer: '198.51.100.4', fvrf: 'INET' },
    ],
  },
  {
    name: 'asa1',
    platform: 'asa',
    tunnels: [{ peer: '192.0.2.201' }, { peer: '192.0.2.202', ikeVersion: 2 }],
  },
];

let database: TestDatabase;
let fleet: Fleet;
let pollDeps: PollRouterDeps;
let deps: RemediationDeps;
let actions: ActionsRepository;
let config: ReturnType<typeof loadConfig>;
const routerIds = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  // Frozen sim time: counters and SPIs change only through what the test (or a clear command) does.
  fleet = await startFleet({ routers: FLEET, timeScale: 0 });
  fleet.clock.advance(900); // 15 min of traffic on the counters
  const summary = await importInventory(
    database.db,
    secretKey,
    parseInventory(inventoryYaml(fleet.routers), 'yaml'),
  );
  expect(summary.problems).toEqual([]);
  config = testConfig(database.url, secretKey, {
    LOG_LEVEL: 'silent',
    REMEDIATION_ENABLED: 'true',
    SSH_CONNECT_TIMEOUT_MS: '3000',
    SSH_COMMAND_TIMEOUT_MS: '3000',
    SSH_SESSION_TIMEOUT_MS: '10000',
  });
  pollDeps = pollDepsFromConfig(config, database.db, redis, logger, prefix);
  actions = new ActionsRepository(database.db);
  deps = { actions, events: new EventsRepository(database.db), poll: pollDeps };
  for (const { name } of FLEET) {
    const id = (await new RoutersRepository(database.db).getByName(name))!.id;
    routerIds.set(name, id);
    // The first poll pins the host key: remediation only talks to a pinned key.
    expect((await pollRouterOnce(pollDeps, id, new AbortController().signal)).outcome.ok).toBe(true);
  }
});

afterAll(async () => {
  await fleet?.close();
  await database?.drop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

function spis(truth: RouterTruth, peer: string): number[] {
  return truth.tunnels.find((t) => t.peer === peer)!.flows.flatMap((f) => f.sas.map((sa) => sa.spi));
}

function encaps(truth: RouterTruth, peer: string): number {
  return truth.tunnels.find((t) => t.peer === peer)!.flows[0]!.counters.encaps;
}

async function queued(router: string, peer: string, overrides: Partial<ActionRequest> = {}) {
  return actions.create(
    {
      kind: 'clear_crypto_sa',
      routerId: routerIds.get(router)!,
      routerName: router,
      tunnelId: (await new TunnelsRepository(database.db).getByKey(router, peer))?.id ?? null,
      peer,
      fvrf: '',
      command: `clear crypto sa peer ${peer}`,
      requestedBy: 'noc-test',
      ...overrides,
    },
    LIMITS,
  );
}

const run = (actionId: string) => runRemediation(deps, actionId, new AbortController().signal);

describe('clear crypto sa peer X', () => {
  it('resets the peer’s counters and SAs on the router, re-polls, and records event and audit rows', async () => {
    const tunnels = new TunnelsRepository(database.db);
    const before = fleet.router('r1').truth();
    const stored = (await tunnels.getByKey('r1', '198.51.100.2'))!;
    const storedSpi = stored.flows[0]!.inbound.spi;
    expect(storedSpi).toBe(spis(before, '198.51.100.2')[0]);
    expect(encaps(before, '198.51.100.2')).toBeGreaterThan(1000);

    const action = await queued('r1', '198.51.100.2');
    const result = await run(action.id);

    expect(result.ran).toBe(true);
    const done = (await actions.get(action.id))!;
    expect(done).toMatchObject({ status: 'succeeded', output: '', error: null, pollOk: true });
    expect(done.sentAt).toBeInstanceOf(Date);
    expect(done.pollId).toEqual(expect.any(String));

    const after = fleet.router('r1').truth();
    expect(encaps(after, '198.51.100.2')).toBe(0);
    const newSpis = spis(after, '198.51.100.2');
    expect(newSpis.some((spi) => spis(before, '198.51.100.2').includes(spi))).toBe(false);
    // Other peers are untouched.
    expect(spis(after, '198.51.100.3')).toEqual(spis(before, '198.51.100.3'));
    expect(encaps(after, '198.51.100.3')).toBe(encaps(before, '198.51.100.3'));

    // The re-poll stored the new SPI and the reset counters.
    const repolled = (await tunnels.getByKey('r1', '198.51.100.2'))!;
    expect(repolled.flows[0]!.inbound.spi).not.toBe(storedSpi);
    expect(newSpis).toContain(repolled.flows[0]!.inbound.spi);
    expect(repolled.flows[0]!.counters.encaps).toBe(0);

    const events = (await deps.events.list({ tunnelId: stored.id, kind: 'remediation' })).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      peer: '198.51.100.2',
      detail: { actionId: action.id, outcome: 'succeeded', requestedBy: 'noc-test' },
    });
    const audit = (await new AuditLogRepository(database.db).list({ routerId: routerIds.get('r1')! })).items;
    expect(audit.filter((a) => a.detail.actionId === action.id).map((a) => a.detail.outcome)).toEqual([
      'succeeded',
      'accepted',
    ]);
  });

  it('clears a peer in its front-door VRF with the vrf form, and only that peer', async () => {
    const before = fleet.router('r1').truth();
    const action = await queued('r1', '198.51.100.4', {
      fvrf: 'INET',
      command: 'clear crypto sa peer vrf INET 198.51.100.4',
    });
    await run(action.id);
    expect((await actions.get(action.id))!).toMatchObject({ status: 'succeeded', error: null, pollOk: true });
    const after = fleet.router('r1').truth();
    expect(encaps(after, '198.51.100.4')).toBe(0);
    expect(spis(after, '198.51.100.4').some((spi) => spis(before, '198.51.100.4').includes(spi))).toBe(false);
    expect(spis(after, '198.51.100.3')).toEqual(spis(before, '198.51.100.3'));
  });

  it('sends nothing for a peer that is not an IP address, even if such an action reached the queue', async () => {
    const before = fleet.router('r1').truth();
    const action = await queued('r1', '198.51.100.2', {
      peer: '198.51.100.2 ; reload',
      command: 'clear crypto sa peer 198.51.100.2 ; reload',
    });
    await run(action.id);
    expect(await actions.get(action.id)).toMatchObject({
      status: 'failed',
      sentAt: null,
      error: expect.stringMatching(/must be an IPv4 or IPv6 address/),
    });
    expect(fleet.router('r1').truth()).toEqual(before);
  });

  it('sends nothing for an action the API abandoned meanwhile', async () => {
    const before = fleet.router('r1').truth();
    const action = await queued('r1', '198.51.100.2');
    await actions.finish(action.id, { status: 'failed', error: 'abandoned' });
    expect(await run(action.id)).toMatchObject({ ran: false });
    expect(fleet.router('r1').truth()).toEqual(before);
  });

  it('reports the router’s own error message as a failure', async () => {
    // An IOS release without `clear crypto sa peer vrf …` answers it like any unknown input.
    await fleet.router('r1').setFault({ kind: 'reject-command', prefix: 'clear crypto sa peer vrf' });
    const action = await queued('r1', '198.51.100.4', {
      fvrf: 'INET',
      command: 'clear crypto sa peer vrf INET 198.51.100.4',
    });
    try {
      await run(action.id);
    } finally {
      await fleet.router('r1').setFault(null);
    }
    const done = (await actions.get(action.id))!;
    expect(done.status).toBe('failed');
    expect(done.sentAt).toBeInstanceOf(Date);
    expect(done.error).toMatch(/the router refused the command: % Invalid input/);
  });
});

describe('clear crypto ipsec sa peer X on an ASA', () => {
  const asaSa = (peer: string, overrides: Partial<ActionRequest> = {}) =>
    queued('asa1', peer, { command: `clear crypto ipsec sa peer ${peer}`, ...overrides });

  it('resets that peer’s counters and SAs on the router, and the re-poll shows it', async () => {
    const tunnels = new TunnelsRepository(database.db);
    const before = fleet.router('asa1').truth();
    const storedSpi = (await tunnels.getByKey('asa1', '192.0.2.201'))!.flows[0]!.inbound.spi;
    expect(storedSpi).toBe(spis(before, '192.0.2.201')[0]);
    expect(encaps(before, '192.0.2.201')).toBeGreaterThan(1000);

    const action = await asaSa('192.0.2.201');
    expect((await run(action.id)).ran).toBe(true);
    expect(await actions.get(action.id)).toMatchObject({
      status: 'succeeded',
      command: 'clear crypto ipsec sa peer 192.0.2.201',
      error: null,
      pollOk: true,
    });

    const after = fleet.router('asa1').truth();
    expect(encaps(after, '192.0.2.201')).toBe(0);
    const newSpis = spis(after, '192.0.2.201');
    expect(newSpis.some((spi) => spis(before, '192.0.2.201').includes(spi))).toBe(false);
    expect(spis(after, '192.0.2.202')).toEqual(spis(before, '192.0.2.202'));
    expect(encaps(after, '192.0.2.202')).toBe(encaps(before, '192.0.2.202'));

    const repolled = (await tunnels.getByKey('asa1', '192.0.2.201'))!;
    expect(repolled.flows[0]!.inbound.spi).not.toBe(storedSpi);
    expect(newSpis).toContain(repolled.flows[0]!.inbound.spi);
    expect(repolled.flows[0]!.counters.encaps).toBe(0);
  });

  it('sends nothing for a tunnel with a front-door VRF, the IOS spelling, or clearing every IKE SA', async () => {
    const before = fleet.router('asa1').truth();
    // One active action per router: each is created once the previous one has finished.
    const refusals: [() => Promise<{ id: string }>, RegExp][] = [
      [() => asaSa('192.0.2.201', { fvrf: 'OUTSIDE' }), /no VRF keyword/],
      // The worker rebuilds the ASA form and refuses to send the (different) stored command.
      [() => queued('asa1', '192.0.2.201'), /refusing to send "clear crypto sa peer 192\.0\.2\.201"/],
      [
        () =>
          queued('asa1', '192.0.2.201', {
            kind: 'clear_crypto_isakmp',
            tunnelId: null,
            peer: null,
            command: 'clear crypto ikev1 sa',
          }),
        /not supported on ASA/,
      ],
    ];
    for (const [create, error] of refusals) {
      const action = await create();
      await run(action.id);
      expect(await actions.get(action.id)).toMatchObject({ status: 'failed', sentAt: null, error });
    }
    expect(fleet.router('asa1').truth()).toEqual(before);
  });

  it('fails the action with the ASA’s `ERROR: %` line', async () => {
    await fleet.router('asa1').setFault({ kind: 'reject-command', prefix: 'clear crypto ipsec sa' });
    const action = await asaSa('192.0.2.202');
    try {
      await run(action.id);
    } finally {
      await fleet.router('asa1').setFault(null);
    }
    const done = (await actions.get(action.id))!;
    expect(done.status).toBe('failed');
    expect(done.sentAt).toBeInstanceOf(Date);
    expect(done.error).toBe("the router refused the command: ERROR: % Invalid input detected at '^' marker.");
  });
});

describe('clear crypto isakmp through the worker process', () => {
  it('runs a queued job on the remediation queue: new IKE SAs on every tunnel of the router', async () => {
    let worker: PollWorker | null = null;
    const queue = new Queue(REMEDIATION_QUEUE_NAME, { connection: redis, prefix });
    const queueEvents = new QueueEvents(REMEDIATION_QUEUE_NAME, { connection: redis.duplicate(), prefix });
    try {
      worker = await startWorkerProcess(config, database.db, logger, { prefix, defaultEveryMs: 3_600_000 });
      await queueEvents.waitUntilReady();
      const ikeBefore = fleet
        .router('r1')
        .truth()
        .tunnels.map((t) => t.ike?.localSpi);
      const action = await actions.create(
        {
          kind: 'clear_crypto_isakmp',
          routerId: routerIds.get('r1')!,
          routerName: 'r1',
          command: 'clear crypto isakmp',
          requestedBy: 'noc-test',
        },
        LIMITS,
      );
      const job = await queue.add(
        REMEDIATION_JOB_NAMES.clear_crypto_isakmp,
        { actionId: action.id },
        { ...REMEDIATION_JOB_OPTIONS, jobId: action.id },
      );
      await job.waitUntilFinished(queueEvents, 30_000);
      expect(await actions.get(action.id)).toMatchObject({ status: 'succeeded', pollOk: true });
      const ikeAfter = fleet
        .router('r1')
        .truth()
        .tunnels.map((t) => t.ike?.localSpi);
      expect(ikeAfter.filter((spi, i) => spi !== undefined && spi !== ikeBefore[i]).length).toBe(
        ikeAfter.filter((spi) => spi !== undefined).length,
      );
    } finally {
      await worker?.close();
      await queueEvents.close();
      await queue.close();
    }
  });
});
