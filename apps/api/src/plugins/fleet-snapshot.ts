import type { Page, RoutersRepository, RouterView } from '@tunnelwatch/db';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { FleetSnapshot } from '../metrics/fleet-snapshot.js';
import { loadAllRouterStates, loadRouterState } from '../metrics/snapshot-source.js';

declare module 'fastify' {
  interface FastifyInstance {
    fleetSnapshot: FleetSnapshot;
    /** Re-reads one router into the snapshot (after a poll, or after the API changed it). */
    refreshRouter(routerId: string): Promise<void>;
    /** Adds and drops routers to match the inventory (after a create, delete or import anywhere). */
    syncInventory(): Promise<void>;
  }
}

export type FleetSnapshotOptions = {
  routerPolledChannel: string;
  inventoryChangedChannel: string;
  /** Pause between attempts to load the snapshot while Postgres is unreachable at start. */
  retryMs?: number;
};

/**
 * Keeps the in-memory fleet snapshot that /metrics renders: loaded from Postgres when the server is ready,
 * then one router at a time on the worker's "router polled" publications. Reloads of one router are
 * serialized and coalesced, so a burst of messages costs at most two reads and an older read can never
 * overwrite a newer one.
 */
export default fp<FleetSnapshotOptions>(
  async (fastify, options) => {
    const snapshot = new FleetSnapshot();
    const inFlight = new Map<string, { again: boolean; done: Promise<void> }>();
    // Routers polled while the full load runs: that load may have read them before the poll was saved.
    const polledDuringLoad = new Set<string>();
    fastify.decorate('fleetSnapshot', snapshot);

    async function reload(routerId: string): Promise<void> {
      const state = await loadRouterState(fastify.repos.tunnels, routerId);
      if (state === null) snapshot.remove(routerId);
      else snapshot.upsert(state);
    }

    function refreshRouter(routerId: string): Promise<void> {
      if (!snapshot.loaded) polledDuringLoad.add(routerId);
      const running = inFlight.get(routerId);
      if (running) {
        running.again = true;
        return running.done;
      }
      const entry = { again: false, done: Promise.resolve() };
      entry.done = (async () => {
        try {
          do {
            entry.again = false;
            await reload(routerId);
          } while (entry.again);
        } finally {
          inFlight.delete(routerId);
        }
      })();
      inFlight.set(routerId, entry);
      return entry.done;
    }
    fastify.decorate('refreshRouter', refreshRouter);

    async function syncInventory(): Promise<void> {
      if (!snapshot.loaded) return;
      const routers = await allRouters(fastify.repos.routers);
      const known = new Set(routers.map((r) => r.id));
      for (const id of snapshot.routerIds()) if (!known.has(id)) snapshot.remove(id);
      await Promise.all(
        routers.filter((r) => snapshot.get(r.id)?.name !== r.name).map((r) => refreshRouter(r.id)),
      );
    }
    fastify.decorate('syncInventory', syncInventory);

    let subscriber: Redis | null = null;
    let retry: NodeJS.Timeout | null = null;
    let closing = false;

    async function loadAll(): Promise<void> {
      try {
        const started = performance.now();
        snapshot.replaceAll(await loadAllRouterStates(fastify.repos.tunnels));
        const again = [...polledDuringLoad];
        polledDuringLoad.clear();
        await Promise.all(again.map(refreshRouter));
        fastify.log.info(
          {
            routers: snapshot.routerIds().length,
            tunnels: snapshot.tunnelCount(),
            ms: performance.now() - started,
          },
          'metrics snapshot loaded',
        );
      } catch (err) {
        if (closing) return;
        fastify.log.error({ err }, 'loading the metrics snapshot failed; retrying');
        retry = setTimeout(loadAll, options.retryMs ?? 5000);
      }
    }

    fastify.addHook('onReady', async () => {
      subscriber = fastify.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      subscriber.on('error', (err) => fastify.log.warn({ err }, 'redis subscriber error'));
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === options.inventoryChangedChannel) {
          syncInventory().catch((err) => fastify.log.error({ err }, 'inventory sync failed'));
          return;
        }
        const routerId = routerIdOf(message);
        if (routerId === null) {
          fastify.log.warn({ channel }, 'ignored a malformed router-polled message');
          return;
        }
        refreshRouter(routerId).catch((err) =>
          fastify.log.error({ err, routerId }, 'snapshot refresh failed'),
        );
      });
      // Subscribe before loading: a poll saved during the load is then reloaded afterwards, never missed.
      await subscriber
        .subscribe(options.routerPolledChannel, options.inventoryChangedChannel)
        .catch((err) =>
          fastify.log.error({ err }, 'subscribing to router-polled failed; ioredis will retry'),
        );
      await loadAll();
    });

    fastify.addHook('onClose', async () => {
      closing = true;
      if (retry) clearTimeout(retry);
      await Promise.allSettled([...inFlight.values()].map((e) => e.done));
      if (subscriber) await subscriber.quit().catch(() => subscriber?.disconnect());
    });
  },
  { name: 'fleet-snapshot', dependencies: ['db', 'redis'] },
);

/** Every router's id and name (a few pages at most: inventory changes are rare). */
async function allRouters(routers: RoutersRepository): Promise<{ id: string; name: string }[]> {
  const out: { id: string; name: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<RouterView> = await routers.list({ limit: 1000, cursor });
    out.push(...page.items.map((r) => ({ id: r.id, name: r.name })));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The router id of a `RouterPolledMessage`, or null when the message is not one. */
function routerIdOf(message: string): string | null {
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { routerId } = parsed as { routerId?: unknown };
    return typeof routerId === 'string' && UUID.test(routerId) ? routerId : null;
  } catch {
    return null;
  }
}
