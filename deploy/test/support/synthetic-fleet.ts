/**
 * A small synthetic fleet rendered as the /metrics exposition of docs/design.md §6, with values that move with
 * the clock (counters grow, SA lifetimes count down, one SA rekeys every few seconds, one tunnel flaps). It
 * stands in for the API in tests of the Prometheus config, alert wiring and dashboards; the API's own tests prove
 * that the real exposition follows the same contract.
 *
 * Every situation a dashboard panel or alert looks at is present: a down tunnel, an SA about to expire, an IKE SA
 * down under live IPsec SAs, rising errors, parser warnings, a router failing on its host key.
 */

interface Flow {
  localIdent: string;
  remoteIdent: string;
  /** packets per second, each direction */
  packetRate: number;
  /** receive errors per second */
  errorRate: number;
  /** an SA is renegotiated every this many seconds (a fast synthetic rekey, to show annotations) */
  rekeyEverySeconds?: number;
  /** fixed remaining lifetime of the newest SA: set for an SA that will not be rekeyed */
  expiresInSeconds?: number;
}

export interface SyntheticTunnel {
  peer: string;
  vrf: string;
  interface: string;
  cryptoMap: string;
  ikeVersion: '1' | '2';
  up: boolean;
  ikeUp: boolean;
  /** toggles up/down every this many seconds */
  flapEverySeconds?: number;
  flows: Flow[];
}

export interface SyntheticRouter {
  name: string;
  healthy: boolean;
  hostKeyChanged: boolean;
  parseWarnings: Record<string, number>;
  tunnels: SyntheticTunnel[];
}

const LIFETIME_SECONDS = 3600;
const LIFETIME_KILOBYTES = 4_608_000;

export function createSyntheticFleet(): SyntheticRouter[] {
  return [
    {
      name: 'hq-rtr1',
      healthy: true,
      hostKeyChanged: false,
      parseWarnings: { 'show crypto ipsec sa': 0, 'show crypto ikev2 sa': 0 },
      tunnels: [
        {
          peer: '192.0.2.10',
          vrf: '',
          interface: 'GigabitEthernet0/0/0',
          cryptoMap: 'VPN',
          ikeVersion: '2',
          up: true,
          ikeUp: true,
          flows: [
            {
              localIdent: '10.1.0.0/24',
              remoteIdent: '10.2.0.0/24',
              packetRate: 120,
              errorRate: 0.5,
              rekeyEverySeconds: 4,
            },
          ],
        },
        {
          peer: '198.51.100.20',
          vrf: 'blue',
          interface: 'Tunnel100',
          cryptoMap: 'VPN',
          ikeVersion: '1',
          up: true,
          ikeUp: true,
          flows: [
            {
              localIdent: '10.10.0.0/16',
              remoteIdent: '172.16.0.0/12',
              packetRate: 40,
              errorRate: 0,
              expiresInSeconds: 90,
            },
          ],
        },
        {
          peer: '203.0.113.30',
          vrf: '',
          interface: 'GigabitEthernet0/0/0',
          cryptoMap: 'VPN',
          ikeVersion: '1',
          up: false,
          ikeUp: false,
          flows: [],
        },
      ],
    },
    {
      name: 'branch-asa1',
      healthy: true,
      hostKeyChanged: false,
      parseWarnings: { 'show crypto ipsec sa': 2 },
      tunnels: [
        {
          peer: '192.0.2.1',
          vrf: '',
          interface: 'outside',
          cryptoMap: 'outside_map',
          ikeVersion: '1',
          up: true,
          ikeUp: false,
          flows: [{ localIdent: '10.20.0.0/24', remoteIdent: '10.1.0.0/24', packetRate: 15, errorRate: 0 }],
        },
        {
          peer: '2001:db8::50',
          vrf: '',
          interface: 'outside',
          cryptoMap: 'outside_map',
          ikeVersion: '2',
          up: true,
          ikeUp: true,
          flapEverySeconds: 3,
          flows: [
            { localIdent: '2001:db8:20::/64', remoteIdent: '2001:db8:1::/64', packetRate: 5, errorRate: 0 },
          ],
        },
      ],
    },
    {
      name: 'lab-rtr9',
      healthy: false,
      hostKeyChanged: true,
      parseWarnings: {},
      tunnels: [],
    },
  ];
}

/** Renders the §6 exposition for `routers` as of `nowSeconds`, the fleet having started at `startSeconds`. */
export function renderExposition(
  routers: SyntheticRouter[],
  startSeconds: number,
  nowSeconds: number,
): string {
  const families = new Map<string, { type: string; lines: string[] }>();
  const sample = (name: string, type: string, labels: Record<string, string>, value: number) => {
    let family = families.get(name);
    if (family === undefined) {
      family = { type, lines: [] };
      families.set(name, family);
    }
    family.lines.push(`${name}{${formatLabels(labels)}} ${value}`);
  };
  const elapsed = nowSeconds - startSeconds;

  for (const router of routers) {
    const r = { router: router.name };
    const lastSuccess = router.healthy ? nowSeconds - 5 : startSeconds - 900;
    sample('tunnelwatch_router_up', 'gauge', r, router.healthy ? 1 : 0);
    sample('tunnelwatch_router_last_poll_timestamp_seconds', 'gauge', r, nowSeconds - 5);
    sample('tunnelwatch_router_last_success_timestamp_seconds', 'gauge', r, lastSuccess);
    sample('tunnelwatch_router_poll_duration_seconds', 'gauge', r, router.healthy ? 1.8 : 0.2);
    for (const reason of ['timeout', 'unreachable', 'auth', 'host_key', 'prompt', 'parse', 'internal']) {
      const failing = reason === 'host_key' && router.hostKeyChanged;
      sample(
        'tunnelwatch_router_poll_failures_total',
        'counter',
        { ...r, reason },
        failing ? 3 + Math.floor(elapsed) : 0,
      );
    }
    for (const [command, count] of Object.entries(router.parseWarnings)) {
      sample('tunnelwatch_router_parse_warnings', 'gauge', { ...r, command }, count);
    }
    for (const tunnel of router.tunnels) {
      renderTunnel(sample, router.name, tunnel, startSeconds, nowSeconds);
    }
    sample(
      'tunnelwatch_crypto_map_lifetime_seconds',
      'gauge',
      { ...r, crypto_map: 'VPN', sequence: '10' },
      LIFETIME_SECONDS,
    );
  }

  let text = '';
  for (const [name, family] of families) {
    text += `# HELP ${name} synthetic ${name}\n# TYPE ${name} ${family.type}\n${family.lines.join('\n')}\n`;
  }
  return text;
}

type Sample = (name: string, type: string, labels: Record<string, string>, value: number) => void;

function renderTunnel(
  sample: Sample,
  router: string,
  tunnel: SyntheticTunnel,
  startSeconds: number,
  nowSeconds: number,
): void {
  const elapsed = nowSeconds - startSeconds;
  const flapPeriod = tunnel.flapEverySeconds;
  const up = flapPeriod === undefined ? tunnel.up : Math.floor(elapsed / flapPeriod) % 2 === 0;
  const lastChange =
    flapPeriod === undefined ? startSeconds : startSeconds + Math.floor(elapsed / flapPeriod) * flapPeriod;
  const key = { router, peer: tunnel.peer, vrf: tunnel.vrf };
  sample('tunnelwatch_tunnel_up', 'gauge', { ...key, interface: tunnel.interface }, up ? 1 : 0);
  sample(
    'tunnelwatch_tunnel_info',
    'gauge',
    {
      ...key,
      interface: tunnel.interface,
      crypto_map: tunnel.cryptoMap,
      ike_version: tunnel.ikeVersion,
      state: up ? 'up' : 'down',
      transform: 'esp-aes-256 esp-sha256-hmac',
      mode: 'tunnel',
      pfs: 'group14',
    },
    1,
  );
  sample('tunnelwatch_tunnel_last_change_timestamp_seconds', 'gauge', key, lastChange);
  if (!up) return;
  sample('tunnelwatch_ike_sa_up', 'gauge', { ...key, ike_version: tunnel.ikeVersion }, tunnel.ikeUp ? 1 : 0);
  sample('tunnelwatch_ike_sa_expiry_timestamp_seconds', 'gauge', key, startSeconds + 86_400);
  for (const flow of tunnel.flows) {
    for (const direction of ['in', 'out'] as const) {
      const labels = { ...key, local_ident: flow.localIdent, remote_ident: flow.remoteIdent, direction };
      const packets = Math.floor(flow.packetRate * elapsed);
      const errors = direction === 'in' ? Math.floor(flow.errorRate * elapsed) : 0;
      let remaining = LIFETIME_SECONDS - elapsed;
      let saCount = 1;
      if (flow.rekeyEverySeconds !== undefined) {
        const sinceRekey = elapsed % flow.rekeyEverySeconds;
        remaining = LIFETIME_SECONDS - sinceRekey;
        saCount = sinceRekey < 1 ? 2 : 1;
      }
      if (flow.expiresInSeconds !== undefined) remaining = flow.expiresInSeconds;
      sample('tunnelwatch_ipsec_packets_total', 'counter', labels, packets);
      sample('tunnelwatch_ipsec_crypto_packets_total', 'counter', labels, packets);
      sample('tunnelwatch_ipsec_auth_packets_total', 'counter', labels, packets);
      sample('tunnelwatch_ipsec_errors_total', 'counter', labels, errors);
      sample('tunnelwatch_ipsec_sa_count', 'gauge', labels, saCount);
      sample('tunnelwatch_ipsec_sa_remaining_seconds', 'gauge', labels, Math.round(remaining));
      sample('tunnelwatch_ipsec_sa_remaining_kilobytes', 'gauge', labels, LIFETIME_KILOBYTES - packets);
      sample(
        'tunnelwatch_ipsec_sa_expiry_timestamp_seconds',
        'gauge',
        labels,
        nowSeconds + Math.round(remaining),
      );
    }
  }
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
    .join(',');
}
