import { connect } from 'node:net';
import { type RouterSpec, scenarioRouters } from '@tunnelwatch/sim';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolCheck } from '../../apps/api/test/promtool.js';
import { parseExposition, select } from '../src/exposition.js';
import { waitForPollRound } from '../src/poll-round.js';
import { REDIS_URL, type Stack, startStack } from '../src/stack.js';
import { compareWithTruth } from '../src/truth-metrics.js';

// Issue 7 end to end: simulated routers over real SSH → worker → Postgres → api snapshot → /metrics, compared with
// the simulator's ground truth. The sim clock stands still (timeScale 0), so counters read during a poll are the
// truth's counters exactly; tests move it by hand.

/** IOS, IOS-XE (long counter block, lifetimes in seconds), ASA, IPv6, a front-door VRF, a DMVPN hub. */
const ROUTERS: RouterSpec[] = [
  {
    name: 'ios-1',
    platform: 'ios',
    interfaces: [{ name: 'GigabitEthernet0/1', address: '192.0.2.1' }],
    tunnels: [
      { peer: '198.51.100.1', flows: [{ local: '10.1.0.0/24', remote: '10.2.0.0/24' }], ratePps: 25 },
      {
        peer: '198.51.100.2',
        ikeVersion: 2,
        pfs: 'group14',
        fvrf: 'blue',
        flows: [
          { local: '10.1.1.0/24', remote: '10.3.1.0/24' },
          { local: '10.1.2.0/24', remote: '10.3.2.0/24', protocol: 47 },
        ],
      },
      { peer: '198.51.100.3', state: 'down' },
      // A short lifetime, so the test can stop the clock inside a rekey (two SAs per direction).
      { peer: '198.51.100.4', lifetimeSeconds: 600, ratePps: 3, inboundRatePps: 7 },
    ],
  },
  {
    name: 'xe-1',
    platform: 'iosxe',
    render: { counterBlock: 'long', lifetimeStyle: 'sec' },
    interfaces: [{ name: 'GigabitEthernet1', address: '198.51.100.2' }],
    tunnels: [{ peer: '192.0.2.1', ikeVersion: 2, flows: [{ local: '10.3.1.0/24', remote: '10.1.1.0/24' }] }],
  },
  {
    name: 'asa-1',
    platform: 'asa',
    interfaces: [{ name: 'outside', address: '172.16.248.119' }],
    tunnels: [
      { peer: '198.51.100.7', flows: [{ local: '10.7.0.0/24', remote: '10.70.0.0/16' }] },
      { peer: '198.51.100.8', ikeVersion: 2, pfs: 'group14' },
    ],
  },
  {
    name: 'v6-1',
    platform: 'iosxe',
    interfaces: [{ name: 'GigabitEthernet1', address: '2001:db8:100::1' }],
    tunnels: [
      { peer: '2001:DB8:200:0::2', flows: [{ local: '2001:db8:1::/64', remote: '2001:db8:2::/64' }] },
      { peer: '2001:db8:300::3', ikeVersion: 2 },
    ],
  },
  ...scenarioRouters({ dmvpnHubs: [{ name: 'hub-1', spokes: 5 }] }),
];
const REKEYING = { router: 'ios-1', peer: '198.51.100.4' };

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ fleet: { routers: ROUTERS, timeScale: 0 }, pollEveryMs: 2_000 });
});
afterAll(() => stack?.close());

/** Waits for a poll round that started after now and compares every router's /metrics?router=NAME with the truth. */
async function expectMetricsEqualTruth(): Promise<void> {
  const since = Date.now();
  await waitForPollRound(stack, since);
  const problems: string[] = [];
  for (const router of stack.fleet.all()) {
    const { name } = router.access;
    const samples = parseExposition(await stack.get(`/metrics?router=${name}`));
    const printsKilobytes =
      (ROUTERS.find((r) => r.name === name)?.render?.lifetimeStyle ?? 'k/sec') === 'k/sec';
    problems.push(
      ...compareWithTruth(samples, router.truth(), {
        elapsedSeconds: (Date.now() - since) / 1000,
        printsKilobytes,
      }),
    );
  }
  expect(problems).toEqual([]);
}

/** Moves the frozen sim clock forward until the tunnel's flow lists two SAs per direction (inside a rekey). */
function stopInsideRekey(router: string, peer: string): void {
  const sim = stack.fleet.router(router);
  const saCount = () => sim.truth().tunnels.find((t) => t.peer === peer)?.flows[0]?.sas.length ?? 0;
  // The lifetime is 600 s: a rekey every 540 s, the old SA listed for 30 s after it.
  for (let step = 0; step < 600 && saCount() !== 4; step += 10) stack.fleet.clock.advance(10);
  if (saCount() !== 4) throw new Error(`${router} → ${peer} never showed two SAs per direction`);
}

describe('/metrics against the simulator ground truth', () => {
  it('tells the truth for every router after a poll round: IOS, IOS-XE, ASA, IPv6, fVRF, a DMVPN hub', async () => {
    stopInsideRekey(REKEYING.router, REKEYING.peer);
    await expectMetricsEqualTruth();
    // The comparison covered the interesting cases: a flow inside a rekey and the hub's five spokes.
    const ios = parseExposition(await stack.get('/metrics?router=ios-1'));
    expect(select(ios, 'tunnelwatch_ipsec_sa_count', { peer: REKEYING.peer }).map((s) => s.value)).toEqual([
      2, 2,
    ]);
    const hub = parseExposition(await stack.get('/metrics?router=hub-1'));
    expect(select(hub, 'tunnelwatch_tunnel_up', { interface: 'Tunnel0' }).map((s) => s.value)).toEqual([
      1, 1, 1, 1, 1,
    ]);
    // And it is sharp: the same exposition against the truth one sim minute later fails on counters and expiry.
    const later = stack.fleet.router('ios-1').truth(stack.fleet.clock.now() + 60_000);
    const problems = compareWithTruth(ios, later, { elapsedSeconds: 5, printsKilobytes: true });
    expect(problems.some((p) => p.includes('tunnelwatch_ipsec_packets_total'))).toBe(true);
    expect(problems.some((p) => p.includes('expiry_timestamp'))).toBe(true);
  });

  it('follows the sim as time passes: counters grow, SAs rekey, expiry timestamps move', async () => {
    const before = parseExposition(await stack.get('/metrics?router=asa-1'));
    stack.fleet.clock.advance(1_800);
    await expectMetricsEqualTruth();
    const after = parseExposition(await stack.get('/metrics?router=asa-1'));
    const packets = (samples: typeof before) =>
      select(samples, 'tunnelwatch_ipsec_packets_total', { peer: '198.51.100.7', direction: 'out' })[0]
        ?.value;
    expect(packets(after)).toBeGreaterThan(packets(before) ?? Number.POSITIVE_INFINITY);
  });

  it('keeps a tunnel taken down in the sim, at 0 with all its series', async () => {
    // A series is its name and labels. Only tunnel_info's `state` may change; the labels describing the session
    // (IKE version, transform, mode, pfs) keep their last known values, so no series is replaced by a new one.
    const seriesOf = (samples: ReturnType<typeof parseExposition>) =>
      samples
        .filter((s) => s.labels.peer === '198.51.100.1')
        .map((s) => {
          const { state, ...identity } = s.labels;
          return `${s.name}${JSON.stringify(identity)}`;
        })
        .sort();
    const upSeries = seriesOf(parseExposition(await stack.get('/metrics?router=ios-1')));
    expect(stack.fleet.router('ios-1').down('198.51.100.1')).toBe(1);
    await expectMetricsEqualTruth();
    const samples = parseExposition(await stack.get('/metrics?router=ios-1'));
    expect(select(samples, 'tunnelwatch_tunnel_up', { peer: '198.51.100.1' }).map((s) => s.value)).toEqual([
      0,
    ]);
    // Every series it had while up is still there: nothing vanished.
    expect(seriesOf(samples)).toEqual(upSeries);
  });

  it('serves an exposition that promtool parses and lints clean (plain and per router)', async () => {
    for (const path of ['/metrics', '/metrics?router=ios-1', '/metrics?router=v6-1']) {
      const { parseError, findings } = promtoolCheck(await stack.get(path));
      expect({ path, parseError, findings }).toEqual({ path, parseError: null, findings: [] });
    }
  });

  it('lists every router in /sd, each as a target on the api with its router parameter', async () => {
    const groups = JSON.parse(await stack.get('/sd')) as {
      targets: string[];
      labels: Record<string, string>;
    }[];
    expect(groups.map((group) => group.labels.router).sort()).toEqual(ROUTERS.map((r) => r.name).sort());
    for (const group of groups) {
      expect(group).toEqual({
        targets: [stack.apiAddress],
        labels: { router: group.labels.router, __param_router: group.labels.router },
      });
    }
  });
});

/** Whether a TCP connection to 127.0.0.1:`port` is refused (nothing listens there any more). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('the stack harness', () => {
  // Last in the file: it closes the stack (afterAll's close is then a no-op).
  it('leaves nothing behind on close: api and sim listeners gone, Redis keys deleted', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const keys = () => redis.keys(`${stack.redisPrefix}:*`);
      expect((await keys()).length).toBeGreaterThan(0);
      await stack.close();
      expect(await keys()).toEqual([]);
    } finally {
      redis.disconnect();
    }
    const ports = [Number(stack.apiAddress.split(':')[1]), ...stack.fleet.routers.map((r) => r.port)];
    expect(await Promise.all(ports.map(refused))).toEqual(ports.map(() => true));
  });
});
