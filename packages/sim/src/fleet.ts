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
  /**
   * First port; routers get consecutive free ports from here (ports in use are skipped). Default: any free port
   * per router, or consecutive ports from 20000 for fleets over 1,000 routers.
   */
  basePort?: number;
  /** Sim start time in ms since the epoch (default: now). */
  startTime?: number;
};

/** Fleets larger than this listen on consecutive ports from AUTO_BASE_PORT (below Linux's ephemeral range). */
const AUTO_BASE_PORT_ABOVE = 1000;
const AUTO_BASE_PORT = 20000;
const MAX_PORT = 65535;

/** Listens on the first free port from `port` on; returns the port after it. */
async function listenFrom(router: SimRouter, port: number): Promise<number> {
  for (let candidate = port; candidate <= MAX_PORT; candidate++) {
    try {
      await router.listen(candidate);
      return candidate + 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`no free port from ${port} up to ${MAX_PORT} for router ${router.name}`);
}

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
    // Port 0 makes the kernel search the ephemeral range, which gets slow once thousands of ports are taken
    // (10,000 listeners: ~60 s instead of ~1 s). Large fleets therefore take consecutive ports below it.
    let next = options.basePort ?? (list.length > AUTO_BASE_PORT_ABOVE ? AUTO_BASE_PORT : 0);
    for (const router of list) {
      if (next === 0) {
        await router.listen(0);
        continue;
      }
      next = await listenFrom(router, next);
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
