import { normalizePoll, type ParsedPoll, type PollSnapshot } from '@tunnelwatch/model';
import { parse } from '@tunnelwatch/parser';
import type { Platform } from './platform-commands.js';

/**
 * One poll's raw outputs (command as sent → text) → parsed → the normalized snapshot. Odd lines become parser
 * warnings, counted per command in the snapshot; they never fail the poll. `readAt` says when each output was
 * read: an SA's remaining lifetime counts from the moment its own command printed it, not from the end of the
 * session (a slow router's session lasts seconds). The poll's time is that of `show crypto ipsec sa`.
 */
export function readPoll(
  platform: Platform,
  outputs: Record<string, string>,
  readAt: Record<string, Date>,
): PollSnapshot {
  const times = Object.values(readAt).map((time) => time.getTime());
  const lastRead = new Date(times.length > 0 ? Math.max(...times) : Date.now());
  const ikeReadAt: NonNullable<ParsedPoll['readAt']> = {};
  const parsed: ParsedPoll = { polledAt: lastRead, readAt: ikeReadAt, warnings: {} };
  const readAtOf = (command: string) => readAt[command] ?? lastRead;
  const warnings: Record<string, number> = {};
  for (const [command, text] of Object.entries(outputs)) {
    const result = parse(command, text, { platform });
    if (!result) continue;
    warnings[command] = result.warnings.length;
    switch (result.kind) {
      case 'ipsecSa':
        parsed.ipsecSa = result.value;
        parsed.polledAt = readAtOf(command);
        break;
      case 'isakmpSa':
        // IOS polls both ISAKMP tables: the summary for the SAs' state, the detail for their lifetime.
        if (command === 'show crypto isakmp sa') parsed.isakmpSaSummary = result.value;
        else {
          parsed.isakmpSa = result.value;
          ikeReadAt.isakmpSa = readAtOf(command);
        }
        break;
      case 'ikev2Sa':
        parsed.ikev2Sa = result.value;
        ikeReadAt.ikev2Sa = readAtOf(command);
        break;
      case 'cryptoMap':
        parsed.cryptoMap = result.value;
        break;
      case 'cryptoSession':
        parsed.cryptoSession = result.value;
        ikeReadAt.cryptoSession = readAtOf(command);
        break;
    }
  }
  parsed.warnings = warnings;
  return normalizePoll(parsed);
}
