import { SimClock } from './clock.js';
import { type RouterAccess, SimRouter } from './router.js';
import { normalizeRouter } from './router-config.js';
import type { RouterSpec } from './types.js';

export type FleetOptions = {
  /** The routers to simulate. */
  routers: RouterSpec[];
  /** Sim seconds per real second (default 1; 0 freezes time, then only `fleet.clock.advance` moves it). */
  timeScale?: number;
  /** Address every router listens on (default `127.0.0.1`); each router gets its own port. */
  host?: string;
  /** First port; routers get consecutive ports from here. Default 0: any free port per router. */
  basePort?: number;
  /** Sim start time in ms since the epoch (default: now). */
  startTime?: number;
};

/** A running fleet of simulated routers. Close it when done: it holds one listening socket per router. */
export type Fleet = {
  readonly clock: SimClock;
  /** Login data of every router, in spec order. */
  readonly routers: RouterAccess[];
  /** One router by name; throws if there is none. */
  router(name: string): SimRouter;
  /** Every router, in spec order. */
  all(): SimRouter[];
  close(): Promise<void>;
};

/**
 * Starts a fleet: one SSH listener per router on loopback, state computed from the clock on demand.
 *
 * ```ts
 * const fleet = await startFleet({ routers: [{ name: 'R1', tunnels: [{ peer: '198.51.100.2' }] }], timeScale: 0 });
 * const { host, port, username, password } = fleet.router('R1').access;
 * fleet.clock.advance(3300); // past the first rekey
 * await fleet.close();
 * ```
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const clock = new SimClock(options.timeScale ?? 1, options.startTime ?? Date.now());
  const host = options.host ?? '127.0.0.1';
  const routers = new Map<string, SimRouter>();
  for (const spec of options.routers) {
    if (routers.has(spec.name)) throw new Error(`duplicate router name ${spec.name}`);
    routers.set(spec.name, new SimRouter(normalizeRouter(spec), clock, host));
  }
  const list = [...routers.values()];
  try {
    let index = 0;
    for (const router of list) {
      await router.listen(options.basePort ? options.basePort + index : 0);
      index++;
    }
  } catch (error) {
    await Promise.all(list.map((router) => router.close()));
    throw error;
  }
  return {
    clock,
    get routers() {
      return list.map((router) => router.access);
    },
    router(name) {
      const router = routers.get(name);
      if (!router) throw new Error(`no router named ${name}`);
      return router;
    },
    all: () => list,
    close: async () => {
      await Promise.all(list.map((router) => router.close()));
    },
  };
}
