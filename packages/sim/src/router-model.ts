import { hashString, mix } from './hash.js';
import type { RouterConfig, TunnelConfig } from './router-config.js';
import {
  overlapSeconds,
  rekeyPeriod,
  type Session,
  type TimelineEventKind,
  TunnelTimeline,
} from './tunnel-timeline.js';
import type { FlowTruth, IkeSaTruth, RouterTruth, SaTruth, TunnelTruth } from './types.js';

/** The state of one router: its configuration plus one timeline per tunnel. */
export class RouterModel {
  readonly seed: number;
  private readonly timelines: TunnelTimeline[];

  /** @param origin sim seconds at which the fleet started (initial sessions began before it). */
  constructor(
    readonly config: RouterConfig,
    origin: number,
  ) {
    this.seed = hashString(config.name);
    this.timelines = config.tunnels.map(
      (tunnel) => new TunnelTimeline(tunnel, mix(this.seed, tunnel.index), origin),
    );
  }

  /** Records an event for the tunnels to `peer` (all tunnels when `peer` is undefined). Returns how many. */
  addEvent(kind: TimelineEventKind, at: number, peer?: string): number {
    let count = 0;
    for (const timeline of this.timelines) {
      if (peer === undefined || timeline.tunnel.peer === peer) {
        timeline.add({ at, kind });
        count++;
      }
    }
    return count;
  }

  /** Whether a tunnel goes to `peer` (in front-door VRF `fvrf`, when given; `''` is the global table). */
  hasPeer(peer: string, fvrf?: string): boolean {
    return this.config.tunnels.some(
      (tunnel) => tunnel.peer === peer && (fvrf === undefined || tunnel.fvrf === fvrf),
    );
  }

  /** The ground truth at sim time `atMs`. */
  truth(atMs: number): RouterTruth {
    const t = atMs / 1000;
    return {
      name: this.config.name,
      platform: this.config.platform,
      at: atMs,
      tunnels: this.timelines.map((timeline) => this.tunnelTruth(timeline.tunnel, timeline.sessionAt(t), t)),
    };
  }

  private tunnelTruth(tunnel: TunnelConfig, session: Session | null, t: number): TunnelTruth {
    const base = {
      peer: tunnel.peer,
      kind: tunnel.kind,
      interface: tunnel.interface,
      localAddress: tunnel.localAddress,
      cryptoMap: tunnel.cryptoMap,
      sequence: tunnel.sequence,
      fvrf: tunnel.fvrf,
      ivrf: tunnel.ivrf,
      ikeVersion: tunnel.ikeVersion,
      transformSet: tunnel.transformSet,
      transforms: tunnel.transforms,
      mode: tunnel.mode,
      lifetimeSeconds: tunnel.lifetimeSeconds,
      lifetimeKilobytes: tunnel.lifetimeKilobytes,
      pfs: tunnel.pfs,
    };
    if (!session) {
      const flows = tunnel.flows.map((flow) => ({ ...flow, counters: zeroCounters(), sas: [] }));
      return { ...base, state: 'down', uptimeSeconds: null, ike: null, flows };
    }
    return {
      ...base,
      state: 'up',
      uptimeSeconds: Math.floor(t - session.start),
      ike: this.ikeTruth(tunnel, session, t),
      flows: tunnel.flows.map((flow, flowIndex) => ({
        ...flow,
        counters: counters(tunnel, t - session.start),
        sas: this.sas(tunnel, flowIndex, session, t),
      })),
    };
  }

  private ikeTruth(tunnel: TunnelConfig, session: Session, t: number): IkeSaTruth {
    const period = rekeyPeriod(tunnel.ikeLifetimeSeconds);
    const generation = Math.floor((t - session.ikeStart) / period);
    const generationStart = session.ikeStart + generation * period;
    const id = mix(this.seed, tunnel.index, session.ikeEpoch, generation);
    const hex = (value: number) => value.toString(16).toUpperCase().padStart(8, '0');
    return {
      version: tunnel.ikeVersion,
      state: tunnel.ikeVersion === 2 ? 'READY' : this.config.platform === 'asa' ? 'MM_ACTIVE' : 'QM_IDLE',
      // Small ids, unique per tunnel within a router (as IOS numbers them), varying per IKE generation.
      connId: 1001 + tunnel.index + this.config.tunnels.length * ((session.ikeEpoch * 31 + generation) % 64),
      localSpi: hex(mix(id, 1)) + hex(mix(id, 2)),
      remoteSpi: hex(mix(id, 3)) + hex(mix(id, 4)),
      lifetimeSeconds: tunnel.ikeLifetimeSeconds,
      remainingSeconds: Math.max(0, Math.floor(tunnel.ikeLifetimeSeconds - (t - generationStart))),
      activeSeconds: Math.floor(t - generationStart),
    };
  }

  private sas(tunnel: TunnelConfig, flowIndex: number, session: Session, t: number): SaTruth[] {
    const period = rekeyPeriod(tunnel.lifetimeSeconds);
    let generation = Math.floor((t - session.start) / period);
    if (session.lastGeneration !== null) generation = Math.min(generation, session.lastGeneration);
    const generations = [generation];
    const newestStart = session.start + generation * period;
    if (generation > 0 && t - newestStart < overlapSeconds(tunnel.lifetimeSeconds)) {
      generations.unshift(generation - 1);
    }
    const result: SaTruth[] = [];
    for (const direction of ['inbound', 'outbound'] as const) {
      const rate = direction === 'inbound' ? tunnel.inboundRatePps : tunnel.ratePps;
      for (const g of generations) {
        const age = t - (session.start + g * period);
        const id = mix(this.seed, tunnel.index, flowIndex, session.epoch, g, direction === 'inbound' ? 1 : 2);
        const connId = 2001 + (id % 4000);
        const usedKilobytes = Math.floor((rate * tunnel.packetBytes * age) / 1024);
        result.push({
          direction,
          protocol: 'esp',
          // Cisco SPIs are non-zero 32-bit values; keep clear of the reserved range 1–255.
          spi: (id | 0x100) >>> 0,
          transforms: tunnel.transforms,
          mode: tunnel.mode,
          connId,
          flowId: `${this.config.platform === 'iosxe' ? 'CSR' : 'SW'}:${connId - 2000}`,
          remainingSeconds: Math.max(0, Math.floor(tunnel.lifetimeSeconds - age)),
          remainingKilobytes: Math.max(0, tunnel.lifetimeKilobytes - usedKilobytes),
          generation: g,
        });
      }
    }
    return result;
  }
}

function zeroCounters(): FlowTruth['counters'] {
  return { encaps: 0, encrypt: 0, digest: 0, decaps: 0, decrypt: 0, verify: 0, sendErrors: 0, recvErrors: 0 };
}

function counters(tunnel: TunnelConfig, seconds: number): FlowTruth['counters'] {
  const out = Math.floor(tunnel.ratePps * seconds);
  const inbound = Math.floor(tunnel.inboundRatePps * seconds);
  return {
    encaps: out,
    encrypt: out,
    digest: out,
    decaps: inbound,
    decrypt: inbound,
    verify: inbound,
    sendErrors: 0,
    recvErrors: 0,
  };
}
