import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BUILT_IN_SCENARIOS,
  type Fleet,
  inventoryYaml,
  loadScenario,
  scenarioRouters,
  scheduleEvents,
  startControlServer,
  startFleet,
} from '../src/index.js';
import { normalizeRouter } from '../src/router-config.js';
import { connect } from './ssh-client.js';

describe('scenarios', () => {
  it.each(BUILT_IN_SCENARIOS)('%s loads and every router spec is valid', (name) => {
    const scenario = loadScenario(name);
    const routers = scenarioRouters(scenario);
    expect(routers.length).toBeGreaterThan(0);
    for (const spec of routers) normalizeRouter(spec);
    expect(new Set(routers.map((router) => router.name)).size).toBe(routers.length);
  });

  it('fleet-10k has 10,000 routers, and --routers N overrides the count', () => {
    expect(scenarioRouters(loadScenario('fleet-10k'))).toHaveLength(10_000);
    expect(scenarioRouters(loadScenario('fleet-10k'), 25)).toHaveLength(25);
  });

  it('the DMVPN hub lists every spoke as its own peer under one Tunnel interface', async () => {
    const fleet = await startFleet({ routers: scenarioRouters(loadScenario('dmvpn-hub')), timeScale: 0 });
    try {
      const hub = fleet.router('dmvpn-hub');
      const session = hub.run('show crypto session');
      expect(session.match(/^Interface: Tunnel0\r?$/gm)).toHaveLength(50);
      expect(session.match(/^Peer: /gm)).toHaveLength(50);
      expect(hub.run('show crypto ipsec sa').match(/^interface: /gm)).toHaveLength(1);
    } finally {
      await fleet.close();
    }
  });

  it('an unknown scenario is a clear error', () => {
    expect(() => loadScenario('nope')).toThrow(/no scenario nope: give a file or one of mixed-small/);
  });
});

describe('control server', () => {
  let fleet: Fleet;
  let control: Awaited<ReturnType<typeof startControlServer>>;

  beforeAll(async () => {
    const scenario = loadScenario('mixed-small');
    fleet = await startFleet({ routers: scenarioRouters(scenario), timeScale: 0 });
    scheduleEvents(fleet, scenario.events ?? []);
    control = await startControlServer(fleet);
  });
  afterAll(async () => {
    await control.close();
    await fleet.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(control.url + path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('lists routers with login data; the inventory YAML carries exactly the import fields', async () => {
    const { status, body } = await call('GET', '/routers');
    expect(status).toBe(200);
    const routers = body as unknown as { name: string; port: number }[];
    expect(routers.map((router) => router.name)).toEqual(['hq-ios', 'branch-xe', 'old-ios', 'edge-asa']);
    const inventory = parse(inventoryYaml(fleet.routers, 'test')) as { routers: Record<string, unknown>[] };
    expect(Object.keys(inventory.routers[0]!)).toEqual([
      'name',
      'host',
      'port',
      'platform',
      'username',
      'password',
      'enableSecret',
    ]);
    expect(inventory.routers[3]).toMatchObject({ name: 'edge-asa', platform: 'asa', port: routers[3]!.port });
  });

  it('runs scripted events on the sim clock', async () => {
    const peer = (name: string) =>
      fleet
        .router('hq-ios')
        .truth()
        .tunnels.find((tunnel) => tunnel.peer === name)!;
    expect(peer('198.51.100.2').state).toBe('up');
    await call('POST', '/clock', { advanceSeconds: 70 });
    expect(peer('198.51.100.2').state).toBe('down');
    await call('POST', '/clock', { advanceSeconds: 40 });
    expect(peer('198.51.100.2').state).toBe('up');
  });

  it('triggers events and faults and serves the truth', async () => {
    expect(await call('POST', '/routers/edge-asa/events', { kind: 'down', peer: '198.51.100.7' })).toEqual({
      status: 200,
      body: { tunnels: 1 },
    });
    const truth = await call('GET', '/routers/edge-asa/truth');
    const tunnels = truth.body.tunnels as { peer: string; state: string }[];
    expect(tunnels.find((tunnel) => tunnel.peer === '198.51.100.7')?.state).toBe('down');
    expect((await call('PUT', '/routers/edge-asa/fault', { kind: 'reject-login' })).status).toBe(200);
    await expect(connect(fleet.router('edge-asa').access)).rejects.toThrow(/authentication/);
    expect((await call('DELETE', '/routers/edge-asa/fault')).status).toBe(200);
    (await connect(fleet.router('edge-asa').access)).end();
    const before = fleet.router('edge-asa').access.hostKeyFingerprint;
    const rotated = await call('POST', '/routers/edge-asa/host-key');
    expect(rotated.body.hostKeyFingerprint).not.toBe(before);
  });

  it('answers bad requests with a JSON error', async () => {
    expect(await call('GET', '/routers/nope/truth')).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no router named nope' },
    });
    expect((await call('PUT', '/routers/hq-ios/fault', { kind: 'explode' })).status).toBe(400);
    expect(
      (await call('POST', '/routers/hq-ios/events', { kind: 'down', peer: '1.2.3.4' })).body.message,
    ).toBe('router hq-ios has no peer 1.2.3.4');
  });
});
