/** Router platforms tunnelwatch polls (DESIGN.md §4 `platform`). */
export type Platform = 'ios' | 'iosxe' | 'asa';

/**
 * The commands one poll sends, per platform, in order. `show crypto map` comes first: it tells which peers
 * should be up even when they have no SA. ASA has no `show crypto session` and names IKEv1 `ikev1`. IOS needs
 * both ISAKMP tables: the detail prints the IKE SAs' remaining lifetime, only the summary their state (`QM_IDLE`).
 * Every command here must be on packages/ssh's allow-list.
 */
export const POLL_COMMANDS: Readonly<Record<Platform, readonly string[]>> = {
  ios: [
    'show crypto map',
    'show crypto isakmp sa',
    'show crypto isakmp sa detail',
    'show crypto ikev2 sa detail',
    'show crypto ipsec sa detail',
    'show crypto session detail',
  ],
  iosxe: [
    'show crypto map',
    'show crypto isakmp sa',
    'show crypto isakmp sa detail',
    'show crypto ikev2 sa detail',
    'show crypto ipsec sa detail',
    'show crypto session detail',
  ],
  asa: [
    'show crypto map',
    'show crypto ikev1 sa detail',
    'show crypto ikev2 sa detail',
    'show crypto ipsec sa detail',
  ],
};
