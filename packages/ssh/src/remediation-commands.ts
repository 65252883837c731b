import type { RemediationKind } from '@tunnelwatch/model';
import { isCommandAllowed } from './allowed-commands.js';
import type { Platform } from './cli-session.js';

/** The target cannot be cleared with an allow-listed command; nothing is queued and nothing is sent. */
export class InvalidRemediationTargetError extends Error {
  override readonly name = 'InvalidRemediationTargetError';
}

export type RemediationTarget = {
  platform: Platform;
  /** The tunnel's peer (for `clear_crypto_sa`). */
  peer?: string | null;
  /** The tunnel's front-door VRF; '' or null is the global table. */
  fvrf?: string | null;
};

/**
 * The exact command line of a remediation action (docs/remediation.md): `clear crypto sa peer [vrf V] <ip>` or
 * `clear crypto isakmp`. Built here once, by the API before anything is queued and again by the worker before
 * anything is sent, and always checked against the ssh allow-list, so a peer that is not an IP address (or a
 * VRF name with spaces) never reaches a router.
 */
export function remediationCommand(kind: RemediationKind, target: RemediationTarget): string {
  // ASA spells these `clear crypto ipsec sa peer X` / `clear crypto ikev1 sa`: not on the allow-list (yet).
  if (target.platform === 'asa') {
    throw new InvalidRemediationTargetError('remediation is not supported on ASA routers');
  }
  if (kind === 'clear_crypto_isakmp') return 'clear crypto isakmp';
  const peer = target.peer ?? '';
  const vrf = target.fvrf ?? '';
  const command = vrf === '' ? `clear crypto sa peer ${peer}` : `clear crypto sa peer vrf ${vrf} ${peer}`;
  if (!isCommandAllowed(command)) {
    throw new InvalidRemediationTargetError(
      `cannot clear peer ${JSON.stringify(peer)}${vrf === '' ? '' : ` in VRF ${JSON.stringify(vrf)}`}: the peer must be an IPv4 or IPv6 address and the VRF a plain name`,
    );
  }
  return command;
}

/** The first IOS error line (`% Invalid input detected at '^' marker.`) in a clear command's output, or null. */
export function routerErrorIn(output: string): string | null {
  return (
    output
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.startsWith('%')) ?? null
  );
}
