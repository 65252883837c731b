import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertmanagerServer, startAlertmanager } from './support/alertmanager.js';
import { type PrometheusServer, startPrometheus } from './support/prometheus.js';
import { prometheusConfigForTest } from './support/prometheus-config.js';
import { readRepoFile } from './support/repo-files.js';
import { type SyntheticApi, startSyntheticApi } from './support/synthetic-api.js';
import { createSyntheticFleet, type SyntheticRouter } from './support/synthetic-fleet.js';
import { waitFor } from './support/wait-for.js';

// The shipped prometheus.yml, rules and alertmanager.yml, run by the real binaries against an HTTP server that
// speaks the API's /sd and /metrics contract with a synthetic fleet. Every `for:` is cut to 0 s so that each alert
// fires within seconds; the promtool unit tests cover the durations.
const TOKEN = 'tw_test_read_token';

/** A router matching the opt-out example in prometheus.yml: its down tunnel must not alert. */
const optedOutRouter: SyntheticRouter = {
  name: 'example-router',
  healthy: true,
  hostKeyChanged: false,
  parseWarnings: {},
  tunnels: [
    {
      peer: '192.0.2.1',
      vrf: '',
      interface: 'GigabitEthernet0/1',
      cryptoMap: 'LAB',
      ikeVersion: '1',
      up: false,
      ikeUp: false,
      flows: [],
    },
  ],
};

let api: SyntheticApi;
let alertmanager: AlertmanagerServer;
let prometheus: PrometheusServer;

beforeAll(async () => {
  api = await startSyntheticApi({ fleet: [...createSyntheticFleet(), optedOutRouter], token: TOKEN });
  alertmanager = await startAlertmanager({
    config: await readRepoFile('deploy/alertmanager/alertmanager.yml'),
  });
  const { config, files } = await prometheusConfigForTest({
    apiAddress: api.address,
    token: TOKEN,
    intervalSeconds: 1,
    alertmanagerAddress: alertmanager.address,
    transformRules: (text) => text.replace(/for: \d+m/g, 'for: 0s'),
  });
  prometheus = await startPrometheus({ config, files });
});

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await api?.stop();
});

const firingIn = async (server: AlertmanagerServer, alertname: string) =>
  (await server.alerts()).filter((alert) => alert.labels.alertname === alertname);

describe('prometheus.yml against the /sd contract', () => {
  it('discovers one target per router through /sd and scrapes /metrics?router=NAME with the token', async () => {
    const targets = await waitFor('every target scraped successfully', async () => {
      const all = await prometheus.targets();
      return all.length === 5 && all.every((target) => target.health === 'up') ? all : undefined;
    });
    const routerTargets = targets.filter((target) => target.labels.job === 'tunnelwatch-routers');
    expect(routerTargets.map((target) => target.labels.instance).sort()).toEqual([
      'branch-asa1',
      'example-router',
      'hq-rtr1',
      'lab-rtr9',
    ]);
    for (const target of routerTargets) {
      expect(target.scrapeUrl).toBe(`http://${api.address}/metrics?router=${target.labels.instance}`);
    }
    // The router label from /sd lands on up{} (an unreachable router's target is named in TargetDown).
    const up = await prometheus.query('up{job="tunnelwatch-routers", instance="hq-rtr1"}');
    expect(up[0]?.metric.router).toBe('hq-rtr1');
    const self = targets.filter((target) => target.labels.job === 'tunnelwatch');
    expect(self.map((target) => target.scrapeUrl)).toEqual([`http://${api.address}/metrics`]);
    expect(api.requests).toContain('GET /sd');
  });

  it('keeps fleet series from the per-router job only, with the routers own labels', async () => {
    const perRouter = await waitFor('tunnel series', async () => {
      const result = await prometheus.query('count by (job) (tunnelwatch_tunnel_up)');
      return result.length > 0 ? result : undefined;
    });
    // 5 tunnels in the synthetic fleet plus the opted-out one, all from the per-router job.
    expect(perRouter).toEqual([{ metric: { job: 'tunnelwatch-routers' }, value: [expect.any(Number), '6'] }]);
    expect(await prometheus.query('process_start_time_seconds{job="tunnelwatch"}')).toHaveLength(1);
    const hq = await prometheus.query('tunnelwatch_tunnel_up{router="hq-rtr1", peer="192.0.2.10", vrf=""}');
    expect(hq).toHaveLength(1);
    expect(hq[0]?.metric).toMatchObject({ instance: 'hq-rtr1', interface: 'GigabitEthernet0/0/0' });
    expect(hq[0]?.metric.exported_router).toBeUndefined();
  });

  it('labels the opted-out tunnel tunnelwatch_alerts="off" and no other', async () => {
    const optedOut = await prometheus.query(
      'count by (router, peer) (tunnelwatch_tunnel_up{tunnelwatch_alerts="off"})',
    );
    expect(optedOut.map((series) => series.metric)).toEqual([
      { router: 'example-router', peer: '192.0.2.1' },
    ]);
  });
});

describe('alert rules through Prometheus into Alertmanager', () => {
  it('every situation in the fleet reaches Alertmanager as its alert', async () => {
    const expected: [string, Record<string, string>][] = [
      ['TunnelwatchTunnelDown', { router: 'hq-rtr1', peer: '203.0.113.30' }],
      [
        'TunnelwatchIpsecSaExpiring',
        { router: 'hq-rtr1', peer: '198.51.100.20', vrf: 'blue', direction: 'out' },
      ],
      ['TunnelwatchIkeSaDownWhileIpsecUp', { router: 'branch-asa1', peer: '192.0.2.1' }],
      ['TunnelwatchRouterNotPolled', { router: 'lab-rtr9' }],
      ['TunnelwatchHostKeyChanged', { router: 'lab-rtr9', reason: 'host_key' }],
      ['TunnelwatchIpsecErrorsRising', { router: 'hq-rtr1', peer: '192.0.2.10', direction: 'in' }],
      ['TunnelwatchParseWarnings', { router: 'branch-asa1', command: 'show crypto ipsec sa' }],
    ];
    for (const [alertname, labels] of expected) {
      const alerts = await waitFor(`${alertname} in Alertmanager`, async () => {
        const found = (await firingIn(alertmanager, alertname)).filter((alert) =>
          Object.entries(labels).every(([name, value]) => alert.labels[name] === value),
        );
        return found.length > 0 ? found : undefined;
      });
      expect(alerts[0]?.annotations.runbook).toContain('docs/operations.md#');
    }
    const optedOut = (await firingIn(alertmanager, 'TunnelwatchTunnelDown')).filter(
      (alert) => alert.labels.router === 'example-router',
    );
    expect(optedOut).toEqual([]);
  });

  it('a tunnel taken down fires TunnelDown, and brought back up resolves it', async () => {
    const tunnel = api.fleet.find((router) => router.name === 'hq-rtr1')?.tunnels[0];
    if (tunnel === undefined) throw new Error('synthetic fleet changed');
    const isThisTunnel = (labels: Record<string, string>) =>
      labels.router === 'hq-rtr1' && labels.peer === tunnel.peer;
    expect(
      (await firingIn(alertmanager, 'TunnelwatchTunnelDown')).filter((a) => isThisTunnel(a.labels)),
    ).toEqual([]);

    tunnel.up = false;
    await waitFor('TunnelDown for hq-rtr1 → 192.0.2.10', async () => {
      const found = (await firingIn(alertmanager, 'TunnelwatchTunnelDown')).filter((a) =>
        isThisTunnel(a.labels),
      );
      return found.length === 1 ? found : undefined;
    });

    tunnel.up = true;
    await waitFor('TunnelDown for hq-rtr1 → 192.0.2.10 resolved', async () => {
      const found = (await firingIn(alertmanager, 'TunnelwatchTunnelDown')).filter((a) =>
        isThisTunnel(a.labels),
      );
      return found.length === 0 ? true : undefined;
    });
  });
});
