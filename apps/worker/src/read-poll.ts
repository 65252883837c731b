import { normalizePoll, type ParsedPoll, type PollSnapshot } from '@tunnelwatch/model';
import { parse } from '@tunnelwatch/parser';
import type { Platform } from './platform-commands.js';

/**
 * One poll's raw outputs (command as sent → text) → parsed → the normalized snapshot. Odd lines become parser
 * warnings, counted per command in the snapshot; they never fail the poll.
 */
export function readPoll(platform: Platform, outputs: Record<string, string>, polledAt: Date): PollSnapshot {
  const parsed: ParsedPoll = { polledAt, warnings: {} };
  const warnings: Record<string, number> = {};
  for (const [command, text] of Object.entries(outputs)) {
    const result = parse(command, text, { platform });
    if (!result) continue;
    warnings[command] = result.warnings.length;
    switch (result.kind) {
      case 'ipsecSa':
        parsed.ipsecSa = result.value;
        break;
      case 'isakmpSa':
        // IOS polls both ISAKMP tables: the summary for the SAs' state, the detail for their lifetime.
        if (command === 'show crypto isakmp sa') parsed.isakmpSaSummary = result.value;
        else parsed.isakmpSa = result.value;
        break;
      case 'ikev2Sa':
        parsed.ikev2Sa = result.value;
        break;
      case 'cryptoMap':
        parsed.cryptoMap = result.value;
        break;
      case 'cryptoSession':
        parsed.cryptoSession = result.value;
        break;
    }
  }
  parsed.warnings = warnings;
  return normalizePoll(parsed);
}
