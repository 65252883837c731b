import type { MetricFamily } from './exposition.js';

/**
 * The fleet metrics of DESIGN.md §6: names, types and labels are a public contract (dashboards and alert
 * rules depend on them). The order here is the order of the exposition.
 */
const FLOW_LABELS = ['router', 'peer', 'vrf', 'local_ident', 'remote_ident', 'direction'] as const;

export const FLEET_FAMILIES = {
  routerUp: {
    name: 'tunnelwatch_router_up',
    type: 'gauge',
    help: '1 if the last poll of the router succeeded',
    labels: ['router'],
  },
  routerLastPoll: {
    name: 'tunnelwatch_router_last_poll_timestamp_seconds',
    type: 'gauge',
    help: 'End of the last poll attempt',
    labels: ['router'],
  },
  routerLastSuccess: {
    name: 'tunnelwatch_router_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'End of the last successful poll',
    labels: ['router'],
  },
  routerPollDuration: {
    name: 'tunnelwatch_router_poll_duration_seconds',
    type: 'gauge',
    help: 'Duration of the last poll',
    labels: ['router'],
  },
  routerPollFailures: {
    name: 'tunnelwatch_router_poll_failures_total',
    type: 'counter',
    help: 'Failed polls by reason (timeout, unreachable, auth, host_key, prompt, parse, internal)',
    labels: ['router', 'reason'],
  },
  routerParseWarnings: {
    name: 'tunnelwatch_router_parse_warnings',
    type: 'gauge',
    help: 'Parser warnings per command in the last successful poll',
    labels: ['router', 'command'],
  },
  tunnelUp: {
    name: 'tunnelwatch_tunnel_up',
    type: 'gauge',
    help: '1 if the tunnel is up, 0 if down or negotiating',
    labels: ['router', 'peer', 'vrf', 'interface'],
  },
  tunnelInfo: {
    name: 'tunnelwatch_tunnel_info',
    type: 'gauge',
    help: 'Description of the tunnel (always 1)',
    labels: [
      'router',
      'peer',
      'vrf',
      'interface',
      'crypto_map',
      'ike_version',
      'state',
      'transform',
      'mode',
      'pfs',
    ],
  },
  tunnelLastChange: {
    name: 'tunnelwatch_tunnel_last_change_timestamp_seconds',
    type: 'gauge',
    help: 'Last change of the tunnel state',
    labels: ['router', 'peer', 'vrf'],
  },
  ikeSaUp: {
    name: 'tunnelwatch_ike_sa_up',
    type: 'gauge',
    help: '1 if the IKE SA to the peer is established',
    labels: ['router', 'peer', 'vrf', 'ike_version'],
  },
  ikeSaExpiry: {
    name: 'tunnelwatch_ike_sa_expiry_timestamp_seconds',
    type: 'gauge',
    help: 'When the IKE SA lifetime ends (0: no IKE SA)',
    labels: ['router', 'peer', 'vrf'],
  },
  ipsecPackets: {
    name: 'tunnelwatch_ipsec_packets_total',
    type: 'counter',
    help: 'Packets encapsulated (out) or decapsulated (in), as counted by the router',
    labels: FLOW_LABELS,
  },
  ipsecCryptoPackets: {
    name: 'tunnelwatch_ipsec_crypto_packets_total',
    type: 'counter',
    help: 'Packets encrypted (out) or decrypted (in), as counted by the router',
    labels: FLOW_LABELS,
  },
  ipsecAuthPackets: {
    name: 'tunnelwatch_ipsec_auth_packets_total',
    type: 'counter',
    help: 'Packets digested (out) or verified (in), as counted by the router',
    labels: FLOW_LABELS,
  },
  ipsecErrors: {
    name: 'tunnelwatch_ipsec_errors_total',
    type: 'counter',
    help: 'Send (out) or receive (in) errors, as counted by the router',
    labels: FLOW_LABELS,
  },
  ipsecSaCount: {
    name: 'tunnelwatch_ipsec_sa_count',
    type: 'gauge',
    help: 'Active SAs in that direction (2 during a rekey)',
    labels: FLOW_LABELS,
  },
  ipsecSaRemainingSeconds: {
    name: 'tunnelwatch_ipsec_sa_remaining_seconds',
    type: 'gauge',
    help: 'Remaining lifetime of the newest SA as of the poll (0: no SA)',
    labels: FLOW_LABELS,
  },
  ipsecSaRemainingKilobytes: {
    name: 'tunnelwatch_ipsec_sa_remaining_kilobytes',
    type: 'gauge',
    help: 'Remaining volume of the newest SA as of the poll (0: no SA)',
    labels: FLOW_LABELS,
  },
  ipsecSaExpiry: {
    name: 'tunnelwatch_ipsec_sa_expiry_timestamp_seconds',
    type: 'gauge',
    help: 'Poll time plus the remaining seconds of the newest SA (0: no SA)',
    labels: FLOW_LABELS,
  },
  cryptoMapLifetime: {
    name: 'tunnelwatch_crypto_map_lifetime_seconds',
    type: 'gauge',
    help: 'Configured SA lifetime of the crypto map entry',
    labels: ['router', 'crypto_map', 'sequence'],
  },
} as const satisfies Record<string, MetricFamily>;

export type FleetFamilyKey = keyof typeof FLEET_FAMILIES;
export const FLEET_FAMILY_KEYS = Object.keys(FLEET_FAMILIES) as FleetFamilyKey[];
