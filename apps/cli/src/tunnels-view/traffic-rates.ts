import type { TunnelFlows } from './api-client.js';

type Sample = { packets: number; at: number };

/**
 * Packets per second per tunnel (in + out, all flows) from two polls' counters. The first sample of a tunnel has
 * no rate; a counter that went down (`clear crypto sa`, a rekey that reset counters) restarts from the new value.
 */
export class TrafficRates {
  private readonly last = new Map<string, Sample>();
  private readonly rates = new Map<string, number>();

  update(tunnelId: string, detail: TunnelFlows): void {
    if (detail.flows.length === 0) {
      this.last.delete(tunnelId);
      this.rates.delete(tunnelId);
      return;
    }
    const packets = detail.flows.reduce((sum, f) => sum + f.counters.encaps + f.counters.decaps, 0);
    const at = Math.max(...detail.flows.map((f) => Date.parse(f.updatedAt)));
    const previous = this.last.get(tunnelId);
    if (previous && at > previous.at) {
      if (packets >= previous.packets)
        this.rates.set(tunnelId, ((packets - previous.packets) * 1000) / (at - previous.at));
      else this.rates.delete(tunnelId);
    }
    if (!previous || at > previous.at) this.last.set(tunnelId, { packets, at });
  }

  rate(tunnelId: string): number | null {
    return this.rates.get(tunnelId) ?? null;
  }
}
