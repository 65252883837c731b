import { type Db, RoutersRepository } from '@tunnelwatch/db';

/**
 * Reports the first poll round as it goes ("12/25 routers polled, 1 failed") until every router has been polled
 * once or `timeoutMs` passes. Returns the last counts.
 */
export async function reportFirstPollRound(
  db: Db,
  say: (line: string) => void,
  options: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {},
): Promise<{ polled: number; failed: number; total: number }> {
  const routers = new RoutersRepository(db);
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let last = '';
  let counts = { polled: 0, failed: 0, total: 0 };
  while (!options.signal?.aborted) {
    const { items } = await routers.list({ enabled: true, limit: 1000 });
    const polled = items.filter((r) => r.lastPollAt !== null);
    counts = {
      polled: polled.length,
      failed: polled.filter((r) => r.lastPollOk === false).length,
      total: items.length,
    };
    const line = `first poll round: ${counts.polled}/${counts.total} routers polled, ${counts.failed} failed`;
    if (line !== last) say(line);
    last = line;
    if (counts.polled >= counts.total || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 2000));
  }
  return counts;
}
