import { familyHeader } from './exposition.js';
import { FLEET_FAMILIES, FLEET_FAMILY_KEYS, type FleetFamilyKey } from './fleet-families.js';
import { type RouterLines, renderRouter } from './render-router.js';
import type { FlowMetrics, RouterMetricsState, TunnelMetrics } from './router-state.js';

type Entry = { state: RouterMetricsState; lines: RouterLines };

/** An exposition as the cached buffers that make it up, in order, and their total size in bytes. */
export type Exposition = { chunks: Buffer[]; length: number };

const HEADERS = Object.fromEntries(
  FLEET_FAMILY_KEYS.map((key) => [key, Buffer.from(familyHeader(FLEET_FAMILIES[key]))]),
) as Record<FleetFamilyKey, Buffer>;

function tunnelKey(tunnel: { peer: string; fvrf: string }): string {
  return `${tunnel.peer}\u0000${tunnel.fvrf}`;
}

const NO_SA = { saCount: 0, remainingSeconds: null, remainingKilobytes: null, expiresAt: null };

/** A flow the router no longer lists: its series stay, at 0, for as long as its tunnel is known. */
function zeroed(flow: FlowMetrics): FlowMetrics {
  return {
    ...flow,
    counters: {
      encaps: 0,
      encrypt: 0,
      digest: 0,
      decaps: 0,
      decrypt: 0,
      verify: 0,
      sendErrors: 0,
      recvErrors: 0,
    },
    inbound: NO_SA,
    outbound: NO_SA,
  };
}

function keepVanishedFlows(previous: RouterMetricsState, next: RouterMetricsState): RouterMetricsState {
  const before = new Map(previous.tunnels.map((t) => [tunnelKey(t), t]));
  const tunnels = next.tunnels.map((tunnel): TunnelMetrics => {
    const old = before.get(tunnelKey(tunnel));
    if (!old) return tunnel;
    const present = new Set(tunnel.flows.map((f) => f.key));
    const vanished = old.flows.filter((f) => !present.has(f.key));
    return vanished.length === 0 ? tunnel : { ...tunnel, flows: [...tunnel.flows, ...vanished.map(zeroed)] };
  });
  return { ...next, tunnels };
}

/**
 * The current state of the fleet as /metrics shows it. Filled from Postgres at start and one router at a
 * time after each poll. Each router's lines are written when it changes (a few hundred microseconds per
 * poll) and reused by every scrape, which only copies buffers: scrape time stays linear in bytes and does
 * not spike when many routers were polled since the last scrape.
 */
export class FleetSnapshot {
  private readonly entries = new Map<string, Entry>();
  // Derived from `entries`, rebuilt on the first read after a change: a scrape neither sorts nor filters.
  private sorted: Entry[] | null = null;
  private names: Set<string> | null = null;
  private fleet: Exposition | null = null;
  /** When the snapshot was last loaded in full or updated, for the staleness metric and /ready. */
  loadedAt: Date | null = null;
  updatedAt: Date | null = null;

  /** Replaces everything (the load at start). */
  replaceAll(states: RouterMetricsState[], now = new Date()): void {
    this.entries.clear();
    for (const state of states) this.entries.set(state.id, { state, lines: renderRouter(state) });
    this.changed();
    this.loadedAt = now;
    this.updatedAt = now;
  }

  /** Sets one router after a poll (or an inventory change). */
  upsert(state: RouterMetricsState, now = new Date()): void {
    const previous = this.entries.get(state.id);
    const next = previous ? keepVanishedFlows(previous.state, state) : state;
    this.entries.set(state.id, { state: next, lines: renderRouter(next) });
    this.changed();
    this.updatedAt = now;
  }

  remove(routerId: string, now = new Date()): void {
    if (this.entries.delete(routerId)) {
      this.changed();
      this.updatedAt = now;
    }
  }

  get loaded(): boolean {
    return this.loadedAt !== null;
  }

  routerIds(): string[] {
    return [...this.entries.keys()];
  }

  /** Router names, sorted. */
  routerNames(): string[] {
    return this.sortedEntries().map((e) => e.state.name);
  }

  hasRouter(name: string): boolean {
    this.names ??= new Set(this.sortedEntries().map((e) => e.state.name));
    return this.names.has(name);
  }

  get(routerId: string): RouterMetricsState | undefined {
    return this.entries.get(routerId)?.state;
  }

  tunnelCount(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.state.tunnels.length;
    return n;
  }

  /**
   * The fleet exposition of the routers `include` accepts (all by default), families grouped, followed by
   * `tail` (the process metrics on a plain scrape), as the cached buffers themselves: nothing is re-rendered
   * or copied. The whole fleet's list is kept until a router changes.
   */
  exposition(include?: (routerName: string) => boolean, tail?: Buffer): Exposition {
    let body: Exposition;
    if (include) body = this.select(include);
    else {
      this.fleet ??= this.select(() => true);
      body = this.fleet;
    }
    if (!tail) return body;
    return { chunks: [...body.chunks, tail], length: body.length + tail.length };
  }

  /** `exposition()` copied into one buffer (for tests and small expositions). */
  render(include?: (routerName: string) => boolean, tail?: Buffer): Buffer {
    const { chunks, length } = this.exposition(include, tail);
    return Buffer.concat(chunks, length);
  }

  private select(include: (routerName: string) => boolean): Exposition {
    const selected = this.sortedEntries().filter((e) => include(e.state.name));
    const chunks: Buffer[] = [];
    let length = 0;
    for (const key of FLEET_FAMILY_KEYS) {
      chunks.push(HEADERS[key]);
      length += HEADERS[key].length;
      for (const e of selected) {
        const lines = e.lines[key];
        if (lines.length === 0) continue;
        chunks.push(lines);
        length += lines.length;
      }
    }
    return { chunks, length };
  }

  private changed(): void {
    this.sorted = null;
    this.names = null;
    this.fleet = null;
  }

  private sortedEntries(): Entry[] {
    this.sorted ??= [...this.entries.values()].sort((a, b) =>
      a.state.name < b.state.name ? -1 : a.state.name > b.state.name ? 1 : 0,
    );
    return this.sorted;
  }
}
