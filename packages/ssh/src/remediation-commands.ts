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
 * The exact command line of a remediation action (docs/remediation.md): on IOS / IOS-XE
 * `clear crypto sa peer [vrf V] <ip>` or `clear crypto isakmp`, on ASA `clear crypto ipsec sa peer <ip>`. Built
 * here once, by the API before anything is queued and again by the worker before anything is sent, and always
 * checked against the ssh allow-list, so a peer that is not an IP address (or a VRF name with spaces) never
 * reaches a router.
 */
export function remediationCommand(kind: RemediationKind, target: RemediationTarget): string {
  const asa = target.platform === 'asa';
  if (kind === 'clear_crypto_isakmp') {
    // ASA clears IKE SAs per version (`clear crypto ikev1 sa`, `clear crypto ikev2 sa`): one command would leave
    // the other version's SAs up, which is not what "clear every IKE SA" promises.
    if (asa) {
      throw new InvalidRemediationTargetError(
        'clearing every IKE SA is not supported on ASA routers: ASA clears IKEv1 and IKEv2 SAs with separate commands (clear crypto ikev1 sa / clear crypto ikev2 sa); clear the tunnels one by one instead',
      );
    }
    return 'clear crypto isakmp';
  }
  const peer = target.peer ?? '';
  const vrf = target.fvrf ?? '';
  if (asa && vrf !== '') {
    throw new InvalidRemediationTargetError(
      `cannot clear peer ${JSON.stringify(peer)} in VRF ${JSON.stringify(vrf)}: ASA's clear crypto ipsec sa has no VRF keyword`,
    );
  }
  let command: string;
  if (asa) command = `clear crypto ipsec sa peer ${peer}`;
  else command = vrf === '' ? `clear crypto sa peer ${peer}` : `clear crypto sa peer vrf ${vrf} ${peer}`;
  if (!isCommandAllowed(command)) {
    throw new InvalidRemediationTargetError(
      `cannot clear peer ${JSON.stringify(peer)}${vrf === '' ? '' : ` in VRF ${JSON.stringify(vrf)}`}: the peer must be an IPv4 or IPv6 address and the VRF a plain name`,
    );
  }
  return command;
}

/** IOS starts an error line with `%`; ASA with `ERROR: ` (`ERROR: % Invalid input …`, `ERROR: Unable to …`). */
const ERROR_LINE = /^(?:%|ERROR:)/;

/** The first router error line (IOS `% Invalid input …`, ASA `ERROR: % Invalid input …`) in an output, or null. */
export function routerErrorIn(output: string): string | null {
  return (
    output
      .split('\n')
      .map((line) => line.trim())
      .find((line) => ERROR_LINE.test(line)) ?? null
  );
}
