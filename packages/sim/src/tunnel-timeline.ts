import { mix, unitFloat } from './hash.js';
import type { TunnelConfig } from './router-config.js';

/**
 * What happened to one tunnel, as a short list of timed events; its state at any moment is computed from that
 * list and the clock (nothing runs on a timer). Times are sim seconds since the epoch.
 */
export type TimelineEventKind =
  /** Peer unreachable: SAs and IKE SA are gone from `at`. */
  | 'down'
  /** Peer reachable again: a new IKE SA and new IPsec SAs from `at`. */
  | 'up'
  /** `clear crypto sa`: new IPsec SAs (new SPIs), counters reset; the IKE SA stays. */
  | 'clear-sa'
  /** `clear crypto isakmp`: a new IKE SA; the IPsec SAs stay. */
  | 'clear-ike'
  /** The next rekey fails: the current SAs run to zero, then the tunnel is down. */
  | 'fail-rekey';

export type TimelineEvent = { at: number; kind: TimelineEventKind };

/** An IPsec session: SAs that rekey every `rekeyPeriod` from `start` on. */
export type Session = {
  start: number;
  /** Counts sessions of this tunnel, so a new session gets new SPIs. */
  epoch: number;
  ikeStart: number;
  ikeEpoch: number;
  /** Set by a failed rekey: the last SA generation, and when it expires. */
  lastGeneration: number | null;
  expiresAt: number | null;
};

/** The share of the lifetime left when the router rekeys (IOS rekeys ahead of expiry, with jitter). */
const REKEY_MARGIN = 0.1;
/** How long the old SA stays listed after a rekey, at most (seconds). */
const OVERLAP_SECONDS = 30;

export function rekeyPeriod(lifetimeSeconds: number): number {
  return lifetimeSeconds * (1 - REKEY_MARGIN);
}

export function overlapSeconds(lifetimeSeconds: number): number {
  return Math.min(OVERLAP_SECONDS, (lifetimeSeconds * REKEY_MARGIN) / 2);
}

export class TunnelTimeline {
  private readonly events: TimelineEvent[] = [];

  /**
   * @param seed per-tunnel seed; the initial session starts at a seeded point in the past so a fleet's SAs
   *   are spread over their lifetimes instead of all rekeying at once.
   */
  constructor(
    readonly tunnel: TunnelConfig,
    private readonly seed: number,
    private readonly origin: number,
  ) {}

  /** Adds an event; events may lie in the future (scripted scenarios). */
  add(event: TimelineEvent): void {
    let position = this.events.length;
    while (position > 0 && this.events[position - 1]!.at > event.at) position--;
    this.events.splice(position, 0, event);
  }

  /** The session at `t` (sim seconds), or null when the tunnel is down. */
  sessionAt(t: number): Session | null {
    const period = rekeyPeriod(this.tunnel.lifetimeSeconds);
    let session: Session | null = null;
    if (this.tunnel.initiallyUp) {
      const start = this.origin - unitFloat(this.seed) * period;
      const ikeStart =
        start - unitFloat(mix(this.seed, 1)) * rekeyPeriod(this.tunnel.ikeLifetimeSeconds) * 0.5;
      session = { start, epoch: 0, ikeStart, ikeEpoch: 0, lastGeneration: null, expiresAt: null };
    }
    let epochs = 1;
    for (const event of this.events) {
      if (event.at > t) break;
      if (session?.expiresAt != null && event.at >= session.expiresAt) session = null;
      session = this.apply(session, event, epochs);
      if (session && session.epoch === epochs) epochs++;
    }
    if (session?.expiresAt != null && t >= session.expiresAt) return null;
    return session;
  }

  private apply(session: Session | null, event: TimelineEvent, nextEpoch: number): Session | null {
    switch (event.kind) {
      case 'down':
        return null;
      case 'up':
        return session ?? newSession(event.at, nextEpoch);
      case 'clear-sa':
        return (
          session && { ...session, start: event.at, epoch: nextEpoch, lastGeneration: null, expiresAt: null }
        );
      case 'clear-ike':
        return session && { ...session, ikeStart: event.at, ikeEpoch: session.ikeEpoch + 1 };
      case 'fail-rekey': {
        if (!session || session.expiresAt !== null) return session;
        const period = rekeyPeriod(this.tunnel.lifetimeSeconds);
        const generation = Math.floor((event.at - session.start) / period);
        const expiresAt = session.start + generation * period + this.tunnel.lifetimeSeconds;
        return { ...session, lastGeneration: generation, expiresAt };
      }
    }
  }
}

function newSession(at: number, epoch: number): Session {
  return { start: at, epoch, ikeStart: at, ikeEpoch: epoch, lastGeneration: null, expiresAt: null };
}
