import { isIPv6 } from 'node:net';
import { parseNetwork } from './addresses.js';
import type { Platform, RenderOptions, RouterSpec, TunnelKind } from './types.js';

/** A tunnel spec with every default filled in. */
export type TunnelConfig = {
  index: number;
  peer: string;
  ipv6: boolean;
  kind: TunnelKind;
  interface: string;
  localAddress: string;
  cryptoMap: string;
  sequence: number;
  ikeVersion: 1 | 2;
  flows: { local: string; remote: string; protocol: number }[];
  transformSet: string;
  transforms: string[];
  mode: 'tunnel' | 'transport';
  lifetimeSeconds: number;
  lifetimeKilobytes: number;
  ikeLifetimeSeconds: number;
  ratePps: number;
  inboundRatePps: number;
  packetBytes: number;
  pfs: string | null;
  fvrf: string;
  ivrf: string;
  initiallyUp: boolean;
};

/** A router spec with every default filled in. */
export type RouterConfig = {
  name: string;
  platform: Platform;
  hostname: string;
  username: string;
  password: string;
  enableSecret: string;
  authorizedKeys: string[];
  loginPrivileged: boolean;
  banner: string | null;
  bannerWithoutNewline: boolean;
  interfaces: { name: string; address: string }[];
  tunnels: TunnelConfig[];
  render: Required<RenderOptions>;
  commandLatencyMs: number;
};

const DEFAULT_INTERFACE: Record<Platform, string> = {
  ios: 'GigabitEthernet0/1',
  iosxe: 'GigabitEthernet1',
  asa: 'outside',
};

/** Applies defaults and checks the spec; throws a clear error on a bad one. */
export function normalizeRouter(spec: RouterSpec): RouterConfig {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(spec.name)) {
    throw new Error(`router name ${JSON.stringify(spec.name)}: use letters, digits, '.', '_' and '-'`);
  }
  const platform = spec.platform ?? 'ios';
  if (!['ios', 'iosxe', 'asa'].includes(platform)) {
    throw new Error(`router ${spec.name}: unknown platform ${platform}`);
  }
  const interfaces = spec.interfaces?.length
    ? spec.interfaces
    : [{ name: DEFAULT_INTERFACE[platform], address: '192.0.2.1' }];
  const first = interfaces[0]!;
  const sequences = new Map<string, number>();
  const tunnels = (spec.tunnels ?? []).map((tunnel, index): TunnelConfig => {
    const kind = tunnel.kind ?? 'static';
    if (platform === 'asa' && kind === 'profile') {
      throw new Error(`router ${spec.name}: ASA has no tunnel protection profiles (tunnel ${tunnel.peer})`);
    }
    const interfaceName = tunnel.interface ?? (kind === 'profile' ? 'Tunnel0' : first.name);
    const ownInterface = interfaces.find((candidate) => candidate.name === interfaceName);
    const localAddress = tunnel.localAddress ?? ownInterface?.address ?? first.address;
    const cryptoMap =
      kind === 'profile'
        ? `${interfaceName}-head-0`
        : (tunnel.cryptoMap ?? (platform === 'asa' ? 'OUTSIDE-MAP' : 'VPN-MAP'));
    // Static entries count 10, 20, …; profile instances 65537, 65538, … under the `65536` profile head.
    const previous = sequences.get(cryptoMap) ?? (kind === 'profile' ? 65536 : 0);
    const nextSequence = previous + (kind === 'profile' ? 1 : 10);
    const sequence = tunnel.sequence ?? (kind === 'dynamic' ? 65535 : nextSequence);
    if (kind !== 'dynamic') sequences.set(cryptoMap, Math.max(nextSequence, sequence));
    const ipv6 = isIPv6(tunnel.peer);
    const flows = (
      tunnel.flows?.length
        ? tunnel.flows
        : kind === 'profile'
          ? [{ local: localAddress, remote: tunnel.peer, protocol: 47 }]
          : [
              {
                local: ipv6 ? `2001:db8:${index}::/64` : `10.${index % 250}.0.0/24`,
                remote: ipv6
                  ? `2001:db8:ff${index % 100}::/64`
                  : `172.${16 + (index % 16)}.${index % 250}.0/24`,
              },
            ]
    ).map((flow) => {
      parseNetwork(flow.local);
      parseNetwork(flow.remote);
      return { local: flow.local, remote: flow.remote, protocol: flow.protocol ?? 0 };
    });
    const ratePps = tunnel.ratePps ?? 10;
    return {
      index,
      peer: tunnel.peer,
      ipv6,
      kind,
      interface: interfaceName,
      localAddress,
      cryptoMap,
      sequence,
      ikeVersion: tunnel.ikeVersion ?? 1,
      flows,
      transformSet: tunnel.transformSet ?? 'TS-AES256-SHA',
      transforms:
        tunnel.transforms ??
        (platform === 'asa' ? ['esp-aes-256', 'esp-sha-hmac'] : ['esp-256-aes', 'esp-sha-hmac']),
      mode: tunnel.mode ?? (kind === 'profile' ? 'transport' : 'tunnel'),
      lifetimeSeconds: positive(tunnel.lifetimeSeconds ?? 3600, 'lifetimeSeconds', spec.name),
      lifetimeKilobytes: positive(tunnel.lifetimeKilobytes ?? 4608000, 'lifetimeKilobytes', spec.name),
      ikeLifetimeSeconds: positive(tunnel.ikeLifetimeSeconds ?? 86400, 'ikeLifetimeSeconds', spec.name),
      ratePps,
      inboundRatePps: tunnel.inboundRatePps ?? ratePps,
      packetBytes: tunnel.packetBytes ?? 200,
      pfs: tunnel.pfs ?? null,
      fvrf: tunnel.fvrf ?? '',
      ivrf: tunnel.ivrf ?? '',
      initiallyUp: (tunnel.state ?? 'up') === 'up',
    };
  });
  const longCounters = platform === 'iosxe';
  return {
    name: spec.name,
    platform,
    hostname: spec.hostname ?? spec.name,
    username: spec.username ?? 'admin',
    password: spec.password ?? 'cisco',
    enableSecret: spec.enableSecret ?? 'enable',
    authorizedKeys: spec.authorizedKeys ?? [],
    loginPrivileged: spec.loginPrivileged ?? false,
    banner: spec.banner === undefined ? `Authorized access only. ${spec.name} is monitored.` : spec.banner,
    bannerWithoutNewline: spec.bannerWithoutNewline ?? false,
    interfaces,
    tunnels,
    render: {
      counterBlock: spec.render?.counterBlock ?? (longCounters ? 'long' : 'short'),
      lifetimeStyle: spec.render?.lifetimeStyle ?? 'k/sec',
      statusLines: spec.render?.statusLines ?? platform !== 'asa',
      kilobyteRekeyDisabled: spec.render?.kilobyteRekeyDisabled ?? false,
      isakmpHeaderWrapped: spec.render?.isakmpHeaderWrapped ?? false,
      lineEnding: spec.render?.lineEnding ?? '\r\n',
    },
    commandLatencyMs: spec.commandLatencyMs ?? 0,
  };
}

function positive(value: number, field: string, router: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`router ${router}: ${field} must be > 0, got ${value}`);
  return value;
}
