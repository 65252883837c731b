import {
  type Fleet,
  generateRouters,
  loadScenario,
  type RouterSpec,
  type ScenarioEvent,
  scenarioRouters,
  scheduleEvents,
  startFleet,
} from '@tunnelwatch/sim';

/**
 * The demo fleet: 25 routers. The mixed-small scenario (IOS, IOS-XE, ASA; static, dynamic and profile peers;
 * IPv6; output variants; its scripted flaps and failed rekey), a DMVPN hub with 12 spokes, and 20 generated
 * branch routers whose SAs live 20 minutes, so some tunnel rekeys every few seconds.
 */
export function demoRouters(): RouterSpec[] {
  const mixed = loadScenario('mixed-small');
  const hub = scenarioRouters({ dmvpnHubs: [{ name: 'dmvpn-hub', spokes: 12, tunnelInterface: 'Tunnel0' }] });
  const branches = generateRouters({
    count: 20,
    namePrefix: 'branch-',
    tunnelsPerRouter: 3,
    downEvery: 6,
  }).map((router) => ({
    ...router,
    tunnels: (router.tunnels ?? []).map((tunnel, i) => ({
      ...tunnel,
      lifetimeSeconds: i === 0 ? 1200 : 3600,
    })),
  }));
  // One tunnel with a short lifetime and no rekey: its SA visibly counts down to zero, then the tunnel is down.
  const expiring = branches[1]?.tunnels?.[1];
  if (expiring) expiring.lifetimeSeconds = 420;
  return [...(mixed.routers ?? []), ...hub, ...branches];
}

/** The mixed-small scenario's own events (a flap from the first minute, a failed rekey, a peer down). */
export function demoScenarioEvents(): ScenarioEvent[] {
  return loadScenario('mixed-small').events ?? [];
}

type DemoAction = { what: string; run: (fleet: Fleet) => Promise<void> | void };

const at = (fleet: Fleet, seconds: number) => fleet.clock.now() + seconds * 1000;
const peerOf = (fleet: Fleet, router: string, index: number): string => {
  const peer = fleet.router(router).truth().tunnels[index]?.peer;
  if (!peer) throw new Error(`demo: ${router} has no tunnel ${index}`);
  return peer;
};

/** One of these every minute, in turn: the trouble a NOC sees on a normal day. */
export const DEMO_ACTIONS: DemoAction[] = [
  {
    what: 'branch-00003 loses a peer for 40 s (flap)',
    run: (fleet) => {
      fleet.router('branch-00003').flap(peerOf(fleet, 'branch-00003', 0), { downSeconds: 40 });
    },
  },
  {
    what: 'branch-00005 rejects our login for 90 s (a failing router)',
    run: async (fleet) => {
      await fleet.router('branch-00005').setFault({ kind: 'reject-login' });
      // Its open sessions go too (as after a reload): otherwise the kept session would hide the refused login.
      fleet.router('branch-00005').dropConnections();
      setTimeout(() => void fleet.router('branch-00005').setFault(null), 90_000).unref();
    },
  },
  {
    what: 'dmvpn-hub: clear crypto sa on one spoke (new SAs, new SPIs)',
    run: (fleet) => {
      fleet.router('dmvpn-hub').clearSa(peerOf(fleet, 'dmvpn-hub', 3));
    },
  },
  {
    what: 'branch-00002 stops rekeying one tunnel: its SA runs out',
    run: (fleet) => {
      const peer = peerOf(fleet, 'branch-00002', 1);
      const router = fleet.router('branch-00002');
      router.up(peer);
      router.failRekey(peer, at(fleet, 1));
    },
  },
  {
    what: 'branch-00011 stops answering SSH for 90 s (poll timeouts)',
    run: async (fleet) => {
      await fleet.router('branch-00011').setFault({ kind: 'hang-on-connect' });
      fleet.router('branch-00011').dropConnections();
      setTimeout(() => void fleet.router('branch-00011').setFault(null), 90_000).unref();
    },
  },
];

export type DemoFleet = { fleet: Fleet; stop(): Promise<void> };

/**
 * Starts the demo routers on loopback, their scripted events, and one action of DEMO_ACTIONS every
 * `everyMs` (the first after `firstAfterMs`), reporting each through `say`.
 */
export async function startDemoFleet(options: {
  say: (line: string) => void;
  everyMs?: number;
  firstAfterMs?: number;
}): Promise<DemoFleet> {
  const fleet = await startFleet({ routers: demoRouters(), timeScale: 1 });
  scheduleEvents(fleet, demoScenarioEvents());
  let next = 0;
  const act = () => {
    const action = DEMO_ACTIONS[next++ % DEMO_ACTIONS.length];
    if (!action) return;
    Promise.resolve(action.run(fleet)).then(
      () => options.say(`demo: ${action.what}`),
      (error: unknown) => options.say(`demo: ${action.what} failed: ${(error as Error).message}`),
    );
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    act();
    interval = setInterval(act, options.everyMs ?? 60_000);
  }, options.firstAfterMs ?? 20_000);
  return {
    fleet,
    async stop() {
      clearTimeout(first);
      clearInterval(interval);
      await fleet.close();
    },
  };
}
