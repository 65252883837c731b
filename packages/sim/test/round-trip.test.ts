import {
  type CryptoMapOutput,
  type CryptoSessionOutput,
  type Ikev2SaOutput,
  type IpsecSaOutput,
  type IsakmpSaOutput,
  parse,
} from '@tunnelwatch/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNetwork } from '../src/addresses.js';
import { type Fleet, type RouterSpec, type RouterTruth, startFleet, type TunnelTruth } from '../src/index.js';

/**
 * Round trip: render → @tunnelwatch/parser → equals the model, with zero warnings, for every command and
 * every output variant a router can be switched to.
 */
const ROUTERS: RouterSpec[] = [
  {
    name: 'ios-default',
    tunnels: [
      { peer: '198.51.100.2', flows: [{ local: '10.1.0.0/24', remote: '10.2.0.0/24' }] },
      { peer: '198.51.100.3', ikeVersion: 2, pfs: 'group14', lifetimeSeconds: 600 },
      { peer: '198.51.100.4', state: 'down' },
      { peer: '198.51.100.5', kind: 'dynamic' },
    ],
  },
  {
    name: 'xe-long-sec',
    platform: 'iosxe',
    render: { counterBlock: 'long', lifetimeStyle: 'sec' },
    interfaces: [{ name: 'GigabitEthernet0/0/1.100', address: '192.0.2.10' }],
    tunnels: [{ peer: '198.51.100.20', ikeVersion: 2 }],
  },
  {
    name: 'ios-old',
    render: {
      statusLines: false,
      kilobyteRekeyDisabled: true,
      lifetimeStyle: 'hours',
      isakmpHeaderWrapped: true,
    },
    interfaces: [{ name: 'Virtual-Access1', address: '192.0.2.30' }],
    tunnels: [{ peer: '198.51.100.30' }],
  },
  {
    name: 'ios-v6',
    interfaces: [{ name: 'GigabitEthernet0/2', address: '2001:db8:100::1' }],
    tunnels: [
      { peer: '2001:db8:200::2', flows: [{ local: '2001:db8:1::/64', remote: '2001:db8:2::/64' }] },
      { peer: '2001:db8:200::3', ikeVersion: 2 },
    ],
  },
  {
    name: 'dmvpn-hub',
    platform: 'iosxe',
    interfaces: [{ name: 'Tunnel0', address: '203.0.113.1' }],
    tunnels: ['198.51.0.2', '198.51.0.3', '198.51.0.4'].map((peer) => ({
      peer,
      kind: 'profile' as const,
      ikeVersion: 2 as const,
    })),
  },
  {
    name: 'asa',
    platform: 'asa',
    interfaces: [{ name: 'outside', address: '172.16.248.119' }],
    tunnels: [
      { peer: '198.51.100.7', flows: [{ local: '10.7.0.0/24', remote: '10.70.0.0/16' }] },
      { peer: '198.51.100.8', ikeVersion: 2, pfs: 'group14' },
    ],
  },
];

const IOS_COMMANDS = [
  'show crypto ipsec sa',
  'show crypto ipsec sa detail',
  'show crypto isakmp sa',
  'show crypto isakmp sa detail',
  'show crypto ikev2 sa',
  'show crypto ikev2 sa detail',
  'show crypto map',
  'show crypto session',
  'show crypto session detail',
];
const ASA_COMMANDS = [
  'show crypto ipsec sa',
  'show crypto ipsec sa detail',
  'show crypto ikev1 sa',
  'show crypto ikev1 sa detail',
  'show crypto ikev2 sa',
  'show crypto ikev2 sa detail',
  'show crypto map',
];

let fleet: Fleet;
let at: number;

beforeAll(async () => {
  fleet = await startFleet({ routers: ROUTERS, timeScale: 0 });
  at = fleet.clock.now();
  // Put one tunnel mid-rekey: a session that started one rekey period (540 s of 600) plus 2 s ago.
  fleet.router('ios-default').clearSa('198.51.100.3', at - 542_000);
});
afterAll(() => fleet.close());

const cases = ROUTERS.flatMap((router) =>
  (router.platform === 'asa' ? ASA_COMMANDS : IOS_COMMANDS).map((command) => ({
    router: router.name,
    command,
  })),
);

describe('render → parse → equals the model', () => {
  it('the fleet has a rekey in progress (two SAs per direction) to cover', () => {
    const tunnel = fleet.router('ios-default').truth(at).tunnels[1]!;
    expect(tunnel.flows[0]!.sas.filter((sa) => sa.direction === 'inbound')).toHaveLength(2);
  });

  it.each(cases)('$router: $command', ({ router, command }) => {
    const sim = fleet.router(router);
    const truth = sim.truth(at);
    const text = sim.run(command, at);
    const parsed = parse(command, text, { platform: truth.platform });
    expect(parsed).not.toBeNull();
    expect(parsed!.warnings).toEqual([]);
    const detail = command.endsWith('detail');
    switch (parsed!.kind) {
      case 'ipsecSa':
        expect(ipsecFromParsed(parsed!.value)).toEqual(
          ipsecFromTruth(truth, sim.config.render.lifetimeStyle),
        );
        break;
      case 'isakmpSa':
        expect(isakmpFromParsed(parsed!.value, detail)).toEqual(isakmpFromTruth(truth, detail));
        break;
      case 'ikev2Sa':
        expect(ikev2FromParsed(parsed!.value, detail)).toEqual(ikev2FromTruth(truth, detail));
        break;
      case 'cryptoMap':
        expect(mapFromParsed(parsed!.value)).toEqual(mapFromTruth(truth));
        break;
      case 'cryptoSession':
        expect(sessionFromParsed(parsed!.value, detail)).toEqual(sessionFromTruth(truth, detail));
        break;
    }
  });
});

// ---- projections: the same comparable shape from the truth and from the parser's value ------------------

const listed = (truth: RouterTruth) =>
  truth.tunnels.filter((tunnel) =>
    truth.platform === 'asa' ? tunnel.state === 'up' : tunnel.state === 'up' || tunnel.kind !== 'dynamic',
  );
const ident = (cidr: string, protocol: number) => {
  const network = parseNetwork(cidr);
  return { address: network.address, prefixLength: network.prefixLength, protocol };
};

function ipsecFromTruth(truth: RouterTruth, lifetimeStyle: string) {
  return listed(truth).flatMap((tunnel) =>
    tunnel.flows.map((flow) => ({
      interface: tunnel.interface,
      cryptoMap: tunnel.cryptoMap,
      peer: tunnel.peer,
      local: ident(flow.local, flow.protocol),
      remote: ident(flow.remote, flow.protocol),
      counters: flow.counters,
      sas: flow.sas.map((sa) => ({
        direction: sa.direction,
        spi: sa.spi,
        mode: sa.mode,
        transforms: sa.transforms,
        // `1 hours, 10 mins` is rounded down to the minute, and prints no kilobytes; `(sec)` prints no kilobytes.
        remainingSeconds:
          lifetimeStyle === 'hours' ? sa.remainingSeconds - (sa.remainingSeconds % 60) : sa.remainingSeconds,
        remainingKilobytes: lifetimeStyle === 'k/sec' ? sa.remainingKilobytes : null,
      })),
    })),
  );
}

function ipsecFromParsed(value: IpsecSaOutput) {
  return value.interfaces.flatMap((iface) =>
    iface.flows.map((flow) => ({
      interface: iface.name,
      cryptoMap: flow.cryptoMapTag,
      peer: flow.peer?.address,
      local: {
        address: flow.localIdent?.address,
        prefixLength: flow.localIdent?.prefixLength,
        protocol: flow.localIdent?.protocol,
      },
      remote: {
        address: flow.remoteIdent?.address,
        prefixLength: flow.remoteIdent?.prefixLength,
        protocol: flow.remoteIdent?.protocol,
      },
      counters: {
        encaps: flow.counters.encaps,
        encrypt: flow.counters.encrypt,
        digest: flow.counters.digest,
        decaps: flow.counters.decaps,
        decrypt: flow.counters.decrypt,
        verify: flow.counters.verify,
        sendErrors: flow.counters.sendErrors ?? flow.counters.noSaSend ?? null,
        recvErrors: flow.counters.recvErrors ?? flow.counters.invalidSaRcv ?? null,
      },
      sas: flow.sas.map((sa) => ({
        direction: sa.direction,
        spi: sa.spi,
        mode: sa.mode,
        transforms: sa.transforms,
        remainingSeconds: sa.remainingSeconds,
        remainingKilobytes: sa.remainingKilobytes,
      })),
    })),
  );
}

const withIke = (truth: RouterTruth, version: 1 | 2) =>
  listed(truth).filter((tunnel) => tunnel.ikeVersion === version && tunnel.ike !== null);

function isakmpFromTruth(truth: RouterTruth, detail: boolean) {
  return withIke(truth, 1).map((tunnel) => ({
    peer: tunnel.peer,
    local: truth.platform === 'asa' ? null : tunnel.localAddress,
    state: detail && truth.platform !== 'asa' ? null : tunnel.ike!.state,
    connId: truth.platform === 'asa' ? null : tunnel.ike!.connId,
    lifetimeSeconds: detail ? tunnel.ike!.remainingSeconds : null,
  }));
}

function isakmpFromParsed(value: IsakmpSaOutput, detail: boolean) {
  return value.sas.map((sa) => ({
    peer: sa.remoteAddress ?? sa.dst,
    local: sa.localAddress ?? sa.src,
    state: sa.state,
    connId: sa.connId,
    lifetimeSeconds: detail ? sa.lifetimeSeconds : null,
  }));
}

function ikev2FromTruth(truth: RouterTruth, detail: boolean) {
  return withIke(truth, 2).map((tunnel) => ({
    local: tunnel.localAddress,
    remote: tunnel.peer,
    status: 'READY',
    lifetimeSeconds: tunnel.ike!.lifetimeSeconds,
    activeTimeSeconds: tunnel.ike!.activeSeconds,
    spis: detail ? [tunnel.ike!.localSpi, tunnel.ike!.remoteSpi] : null,
  }));
}

function ikev2FromParsed(value: Ikev2SaOutput, detail: boolean) {
  return value.sas.map((sa) => ({
    local: sa.localAddress,
    remote: sa.remoteAddress,
    status: sa.status,
    lifetimeSeconds: sa.lifetimeSeconds,
    activeTimeSeconds: sa.activeTimeSeconds,
    spis: detail ? [sa.localSpi, sa.remoteSpi] : null,
  }));
}

/** Configured entries: static peers and profile instances; dynamic maps as one entry without peers. */
function mapFromTruth(truth: RouterTruth) {
  const entries = truth.tunnels
    .filter((tunnel) => tunnel.kind !== 'dynamic')
    .map((tunnel) => ({
      name: tunnel.cryptoMap,
      sequence: tunnel.sequence,
      peers: [tunnel.peer],
      lifetimeSeconds: tunnel.lifetimeSeconds,
      lifetimeKilobytes: tunnel.lifetimeKilobytes,
      pfs: tunnel.pfs !== null,
      transforms: tunnel.transforms,
      interfaces: [tunnel.interface],
    }));
  const dynamic = truth.tunnels.filter((tunnel) => tunnel.kind === 'dynamic');
  return { entries, dynamic: dynamic.length > 0 };
}

function mapFromParsed(value: CryptoMapOutput) {
  const entries = value.maps
    .filter((entry) => !entry.dynamic && entry.peers.length > 0)
    .map((entry) => ({
      name: entry.name,
      sequence: entry.sequence,
      peers: entry.peers,
      lifetimeSeconds: entry.lifetimeSeconds,
      lifetimeKilobytes: entry.lifetimeKilobytes,
      pfs: entry.pfs,
      transforms: entry.transformSets.flatMap((set) => set.transforms),
      interfaces: entry.interfaces,
    }));
  return { entries, dynamic: value.maps.some((entry) => entry.dynamic) };
}

function sessionFromTruth(truth: RouterTruth, detail: boolean) {
  return listed(truth).map((tunnel: TunnelTruth) => ({
    interface: tunnel.interface,
    peer: tunnel.peer,
    status: tunnel.state === 'up' ? 'UP-ACTIVE' : 'DOWN',
    ike: tunnel.ike
      ? [
          {
            version: `ikev${tunnel.ikeVersion}`,
            remote: tunnel.peer,
            connId: detail ? tunnel.ike.connId : null,
            lifetimeSeconds: detail ? tunnel.ike.remainingSeconds : null,
          },
        ]
      : [],
    flows: tunnel.flows.map((flow) => {
      const newest = (direction: string) => flow.sas.filter((sa) => sa.direction === direction).at(-1);
      return {
        activeSas: flow.sas.length,
        inbound: detail ? [flow.counters.decaps, newest('inbound')?.remainingSeconds ?? 0] : null,
        outbound: detail ? [flow.counters.encaps, newest('outbound')?.remainingSeconds ?? 0] : null,
      };
    }),
  }));
}

function sessionFromParsed(value: CryptoSessionOutput, detail: boolean) {
  return value.sessions.map((session) => ({
    interface: session.interface,
    peer: session.peer?.address,
    status: session.status,
    ike: session.ikeSas.map((ike) => ({
      version: ike.version,
      remote: ike.remoteAddress,
      connId: detail ? ike.connId : null,
      lifetimeSeconds: detail ? ike.lifetimeSeconds : null,
    })),
    flows: session.flows.map((flow) => ({
      activeSas: flow.activeSas,
      inbound: detail ? [flow.inbound?.packets, flow.inbound?.lifeSeconds] : null,
      outbound: detail ? [flow.outbound?.packets, flow.outbound?.lifeSeconds] : null,
    })),
  }));
}
