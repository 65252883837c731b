import type { FlowSnapshot, IkeSaSnapshot, TunnelState } from './types.js';

export type TunnelFacts = {
  flows: readonly FlowSnapshot[];
  /** The tunnel's preferred IKE SA, null when none is listed. */
  ike: IkeSaSnapshot | null;
  /** False for `ipsec-manual` crypto map entries, which have no IKE at all. */
  ikeRequired: boolean;
  /** Whether `show crypto ipsec sa` was read in this poll. */
  ipsecRead: boolean;
  /** `show crypto session` status (`UP-ACTIVE`, `DOWN-NEGOTIATING`, …), a fallback without IPsec output. */
  sessionStatus: string | null;
};

/**
 * DESIGN.md §5. `up`: IKE established (or not required) and one flow with an active SA in each direction.
 * `negotiating`: an IKE SA exists but is not established, or IPsec SAs are missing on one side (including IKE
 * up with no IPsec SA yet). `down`: nothing active. An IKEv1 SA that expired while its IPsec SAs live on is
 * normal on IOS (phase 2 outlives phase 1 until its own rekey), so a missing IKE SA does not make a tunnel
 * with working IPsec SAs anything but `up`.
 */
export function tunnelState(facts: TunnelFacts): TunnelState {
  const { flows, ike } = facts;
  if (!facts.ipsecRead && facts.sessionStatus !== null) return sessionState(facts.sessionStatus);
  if (facts.ikeRequired && ike !== null && !ike.established) return 'negotiating';
  const bothWays = flows.some((flow) => flow.inbound.saCount > 0 && flow.outbound.saCount > 0);
  if (bothWays) return 'up';
  const oneWay = flows.some((flow) => flow.inbound.saCount > 0 || flow.outbound.saCount > 0);
  if (oneWay || ike !== null) return 'negotiating';
  return 'down';
}

/** `show crypto session` statuses, read with the same rules. */
function sessionState(status: string): TunnelState {
  const normalized = status.toUpperCase();
  if (normalized === 'UP-ACTIVE' || normalized === 'UP-NO-IKE') return 'up';
  if (normalized.startsWith('DOWN-NEG') || normalized.startsWith('UP')) return 'negotiating';
  return 'down';
}
