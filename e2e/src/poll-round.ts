import { waitFor } from '../../deploy/test/support/wait-for.js';
import { parseExposition, type Sample, select } from './exposition.js';
import type { Stack } from './stack.js';

/**
 * Waits until the api's /metrics shows, for every router of the fleet, a successful poll that started after
 * `sinceMs` (so it saw whatever the test did to the sim before then), and returns that exposition's samples.
 * Fails naming the routers still behind.
 */
export async function waitForPollRound(stack: Stack, sinceMs: number, timeoutMs = 60_000): Promise<Sample[]> {
  let behind: string[] = [];
  try {
    return await waitFor(
      'a poll round',
      async () => {
        const samples = parseExposition(await stack.get('/metrics'));
        behind = stack.fleet.routers
          .map((router) => router.name)
          .filter((router) => !polledSince(samples, router, sinceMs));
        return behind.length === 0 ? samples : undefined;
      },
      timeoutMs,
      200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; not polled successfully since then: ${behind.join(', ')}`);
  }
}

function polledSince(samples: Sample[], router: string, sinceMs: number): boolean {
  const one = (name: string) => select(samples, name, { router })[0]?.value;
  const finished = one('tunnelwatch_router_last_poll_timestamp_seconds');
  const duration = one('tunnelwatch_router_poll_duration_seconds');
  if (one('tunnelwatch_router_up') !== 1 || finished === undefined || duration === undefined) return false;
  return (finished - duration) * 1000 > sinceMs;
}
