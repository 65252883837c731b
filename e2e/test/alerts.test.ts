import type { RouterSpec } from '@tunnelwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertmanagerServer,
  type AmAlert,
  startAlertmanager,
} from '../../deploy/test/support/alertmanager.js';
import { type PrometheusServer, startPrometheus } from '../../deploy/test/support/prometheus.js';
import { prometheusConfigForTest } from '../../deploy/test/support/prometheus-config.js';
import { readRepoFile } from '../../deploy/test/support/repo-files.js';
import { waitFor } from '../../deploy/test/support/wait-for.js';
import { waitForPollRound } from '../src/poll-round.js';
import { type Stack, startStack } from '../src/stack.js';

// Issue 8 end to end: the sim fleet polled by the worker, served by the api, scraped through /sd by the real
// Prometheus with the shipped prometheus.yml and rules (every `for:` cut to 0 s, 1 s scrape and evaluation), its
// alerts sent to the real Alertmanager with the shipped alertmanager.yml. The sim clock stands still (timeScale 0)
// and the tests move it, so an SA's remaining lifetime only changes when a test says so.

const ROUTERS: RouterSpec[] = [
  {
    name: 'edge-1',
    platform: 'ios',
    tunnels: [{ peer: '198.51.100.10' }, { peer: '198.51.100.11', ikeVersion: 2 }],
  },
  { name: 'fw-1', platform: 'asa', tunnels: [{ peer: '203.0.113.20' }] },
];
/** Bounded waits for each hop (poll 1 s + snapshot + scrape 1 s + evaluation 1 s + send) on a busy machine. */
const ALERT_TIMEOUT_MS = 60_000;

let stack: Stack;
let alertmanager: AlertmanagerServer;
let prometheus: PrometheusServer;

beforeAll(async () => {
  stack = await startStack({ fleet: { routers: ROUTERS, timeScale: 0 }, pollEveryMs: 1_000 });
  alertmanager = await startAlertmanager({
    config: await readRepoFile('deploy/alertmanager/alertmanager.yml'),
  });
  const { config, files } = await prometheusConfigForTest({
    apiAddress: stack.apiAddress,
    token: stack.token,
    intervalSeconds: 1,
    alertmanagerAddress: alertmanager.address,
    transformRules: (text) => text.replace(/for: \d+m/g, 'for: 0s'),
  });
  prometheus = await startPrometheus({ config, files });
  await waitForPollRound(stack, 0);
  await waitFor(
    'Prometheus to scrape every router through /sd',
    async () => {
      const series = await prometheus.query('count by (router) (tunnelwatch_tunnel_up == 1)');
      return series.length === ROUTERS.length ? series : undefined;
    },
    ALERT_TIMEOUT_MS,
  );
});

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await stack?.close();
});

type Match = Record<string, string>;
const matching = (alerts: AmAlert[], alertname: string, labels: Match) =>
  alerts.filter(
    (alert) =>
      alert.labels.alertname === alertname &&
      Object.entries(labels).every(([name, value]) => alert.labels[name] === value),
  );

/** Waits until Alertmanager holds `count` such alerts, all active (not inhibited); returns them. */
async function expectFiring(alertname: string, labels: Match, count = 1): Promise<AmAlert[]> {
  return waitFor(
    `${alertname} ${JSON.stringify(labels)} active in Alertmanager`,
    async () => {
      const found = matching(await alertmanager.alerts(), alertname, labels);
      return found.length >= count && found.every((a) => a.status.state === 'active') ? found : undefined;
    },
    ALERT_TIMEOUT_MS,
  );
}

async function expectResolved(alertname: string, labels: Match): Promise<void> {
  await waitFor(
    `${alertname} ${JSON.stringify(labels)} resolved in Alertmanager`,
    async () => (matching(await alertmanager.alerts(), alertname, labels).length === 0 ? true : undefined),
    ALERT_TIMEOUT_MS,
  );
}

/** What Alertmanager holds right now for `alertname`, as `router → peer` lines (for "nothing else fired"). */
async function heldFor(alertname: string): Promise<string[]> {
  return matching(await alertmanager.alerts(), alertname, {})
    .map((alert) => `${alert.labels.router} → ${alert.labels.peer}`)
    .sort();
}

describe('alerts from the simulator to Alertmanager', () => {
  it('a tunnel taken down in the sim fires TunnelwatchTunnelDown; brought back up, it resolves', async () => {
    const tunnel = { router: 'edge-1', peer: '198.51.100.10' };
    expect(await heldFor('TunnelwatchTunnelDown')).toEqual([]);

    expect(stack.fleet.router(tunnel.router).down(tunnel.peer)).toBe(1);
    const alerts = await expectFiring('TunnelwatchTunnelDown', tunnel);
    expect(alerts[0]?.labels).toMatchObject({ severity: 'critical', interface: 'GigabitEthernet0/1' });
    expect(alerts[0]?.annotations.runbook).toContain('docs/operations.md#tunnelwatchtunneldown');
    // Only that tunnel: its neighbour on the same router and the other router stay quiet.
    expect(await heldFor('TunnelwatchTunnelDown')).toEqual(['edge-1 → 198.51.100.10']);

    expect(stack.fleet.router(tunnel.router).up(tunnel.peer)).toBe(1);
    await expectResolved('TunnelwatchTunnelDown', tunnel);
  });

  it('an SA left to expire without rekey fires TunnelwatchIpsecSaExpiring, then the tunnel goes down', async () => {
    const tunnel = { router: 'fw-1', peer: '203.0.113.20' };
    const sim = stack.fleet.router(tunnel.router);
    const newestOutbound = () => {
      const sas = sim.truth().tunnels.find((t) => t.peer === tunnel.peer)?.flows[0]?.sas ?? [];
      return Math.max(...sas.filter((sa) => sa.direction === 'outbound').map((sa) => sa.remainingSeconds));
    };
    expect(await heldFor('TunnelwatchIpsecSaExpiring')).toEqual([]);

    // The router will not rekey: move time on until its SA has 90 s left (a healthy SA would have been replaced
    // at 10 % of its lifetime, 360 s before the end).
    expect(sim.failRekey(tunnel.peer)).toBe(1);
    stack.fleet.clock.advance(newestOutbound() - 90);
    expect(newestOutbound()).toBeCloseTo(90, 0);
    // One alert per direction: both SAs of the flow run out.
    const alerts = await expectFiring('TunnelwatchIpsecSaExpiring', tunnel, 2);
    expect(alerts.map((a) => a.labels.direction).sort()).toEqual(['in', 'out']);
    expect(alerts[0]?.labels.severity).toBe('critical');
    expect(alerts[0]?.annotations.runbook).toContain('docs/operations.md#tunnelwatchipsecsaexpiring');
    // Time moved for every tunnel: the others rekeyed on time and do not alert.
    expect(await heldFor('TunnelwatchIpsecSaExpiring')).toEqual([
      'fw-1 → 203.0.113.20',
      'fw-1 → 203.0.113.20',
    ]);

    // Past the end of the SA the tunnel is down: TunnelDown takes over and the expiring alert resolves.
    stack.fleet.clock.advance(120);
    await expectFiring('TunnelwatchTunnelDown', tunnel);
    await expectResolved('TunnelwatchIpsecSaExpiring', tunnel);
  });
});
