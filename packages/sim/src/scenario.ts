import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ipv4FromNumber } from './addresses.js';
import type { Fleet } from './fleet.js';
import type { Platform, RouterSpec, TunnelSpec } from './types.js';

/** A scripted event, `at` sim seconds after the fleet starts. */
export type ScenarioEvent = {
  at: number;
  router: string;
  /** Every tunnel of the router when absent. */
  peer?: string;
  kind: 'down' | 'up' | 'flap' | 'fail-rekey' | 'clear-sa' | 'clear-ike';
  /** flap only. */
  downSeconds?: number;
  times?: number;
  periodSeconds?: number;
};

/** Routers generated from a pattern, for large fleets. */
export type GenerateSpec = {
  count: number;
  namePrefix?: string;
  /** Cycled over the routers; default all three. */
  platforms?: Platform[];
  tunnelsPerRouter?: number;
  /** Every n-th router gets a peer that is down; 0 = none. */
  downEvery?: number;
};

/** A DMVPN hub: one Tunnel interface with `spokes` tunnel-protection peers. */
export type DmvpnSpec = {
  name: string;
  platform?: 'ios' | 'iosxe';
  spokes: number;
  tunnelInterface?: string;
};

/** A scenario file (YAML): explicit routers, generated routers, DMVPN hubs and scripted events. */
export type Scenario = {
  description?: string;
  timeScale?: number;
  routers?: RouterSpec[];
  generate?: GenerateSpec;
  dmvpnHubs?: DmvpnSpec[];
  events?: ScenarioEvent[];
};

const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** Names of the scenarios shipped in packages/sim/scenarios. */
export const BUILT_IN_SCENARIOS = ['mixed-small', 'dmvpn-hub', 'fleet-10k'] as const;

/** Loads a scenario by built-in name or file path; throws a clear error for a missing or bad file. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtIn = `${SCENARIO_DIR}${nameOrPath}.yaml`;
  const path = (BUILT_IN_SCENARIOS as readonly string[]).includes(nameOrPath) ? builtIn : nameOrPath;
  if (!existsSync(path)) {
    throw new Error(`no scenario ${nameOrPath}: give a file or one of ${BUILT_IN_SCENARIOS.join(', ')}`);
  }
  const value: unknown = parse(readFileSync(path, 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`scenario ${path}: expected a mapping with routers, generate, dmvpnHubs or events`);
  }
  return value as Scenario;
}

/** The router specs of a scenario; `count` overrides `generate.count` (the CLI's `--routers N`). */
export function scenarioRouters(scenario: Scenario, count?: number): RouterSpec[] {
  const routers = [...(scenario.routers ?? [])];
  for (const hub of scenario.dmvpnHubs ?? []) routers.push(dmvpnHub(hub));
  const generate = scenario.generate ?? (count !== undefined && routers.length === 0 ? { count } : undefined);
  if (generate) routers.push(...generateRouters({ ...generate, count: count ?? generate.count }));
  return routers;
}

/** Schedules the scenario's events on a started fleet (sim time, relative to now). */
export function scheduleEvents(fleet: Fleet, events: ScenarioEvent[]): void {
  const start = fleet.clock.now();
  for (const event of events) {
    const router = fleet.router(event.router);
    const at = start + event.at * 1000;
    switch (event.kind) {
      case 'down':
        router.down(event.peer, at);
        break;
      case 'up':
        router.up(event.peer, at);
        break;
      case 'fail-rekey':
        router.failRekey(event.peer, at);
        break;
      case 'clear-sa':
        router.clearSa(event.peer, at);
        break;
      case 'clear-ike':
        router.clearIke(at);
        break;
      case 'flap':
        router.flap(event.peer, {
          downSeconds: event.downSeconds ?? 30,
          ...(event.times === undefined ? {} : { times: event.times }),
          ...(event.periodSeconds === undefined ? {} : { periodSeconds: event.periodSeconds }),
          atMs: at,
        });
        break;
      default:
        throw new Error(`scenario event for ${event.router}: unknown kind ${String(event.kind)}`);
    }
  }
}

/** Routers named `<prefix>00001`…, platforms cycled, peers in 198.18.0.0/15 (the benchmarking range). */
export function generateRouters(spec: GenerateSpec): RouterSpec[] {
  const platforms = spec.platforms ?? ['ios', 'iosxe', 'asa'];
  const perRouter = spec.tunnelsPerRouter ?? 2;
  const width = Math.max(5, String(spec.count).length);
  return Array.from({ length: spec.count }, (_, i): RouterSpec => {
    const platform = platforms[i % platforms.length]!;
    const tunnels: TunnelSpec[] = Array.from({ length: perRouter }, (_, t) => ({
      peer: ipv4FromNumber(0xc6120000 + ((i * perRouter + t) % 0x20000)),
      ikeVersion: t % 2 === 0 ? 1 : 2,
      flows: [
        { local: `10.${(i >> 8) % 256}.${i % 256}.0/24`, remote: `172.${16 + (t % 16)}.${i % 256}.0/24` },
      ],
      ratePps: 5 + ((i + t) % 20),
      state: spec.downEvery && t === perRouter - 1 && i % spec.downEvery === 0 ? 'down' : 'up',
    }));
    return {
      name: `${spec.namePrefix ?? 'r'}${String(i + 1).padStart(width, '0')}`,
      platform,
      interfaces: [
        {
          name: platform === 'asa' ? 'outside' : 'GigabitEthernet0/0',
          address: ipv4FromNumber(0xcb007100 + (i % 254) + 1),
        },
      ],
      tunnels,
    };
  });
}

function dmvpnHub(spec: DmvpnSpec): RouterSpec {
  const tunnelInterface = spec.tunnelInterface ?? 'Tunnel0';
  return {
    name: spec.name,
    platform: spec.platform ?? 'iosxe',
    interfaces: [
      { name: 'GigabitEthernet1', address: '203.0.113.1' },
      { name: tunnelInterface, address: '203.0.113.1' },
    ],
    tunnels: Array.from({ length: spec.spokes }, (_, i) => ({
      peer: ipv4FromNumber(0xc6330000 + i + 2),
      kind: 'profile' as const,
      interface: tunnelInterface,
      ikeVersion: 2 as const,
      ratePps: 2 + (i % 10),
    })),
  };
}
