import type { Db } from './client.js';

export type RetentionOptions = {
  /** Age after which polls, events and raw outputs are deleted, and unconfigured down tunnels forgotten. */
  retentionDays: number;
  now?: Date;
  /** Rows per DELETE: short transactions keep locks and WAL bursts small while workers keep writing. */
  batchSize?: number;
  /** Stops between batches (process shutdown): what was deleted so far stays deleted, the rest waits for next time. */
  signal?: AbortSignal;
};

export type RetentionResult = { polls: number; events: number; rawOutputs: number; tunnels: number };

/**
 * Deletes what is older than the retention, in batches (DESIGN.md §5): polls, events, raw outputs, and tunnels that
 * are not configured and have been down longer than the retention (each forgotten tunnel leaves a
 * `tunnel_forgotten` event). Run it periodically from one process; concurrent runs are harmless.
 */
export async function applyRetention(db: Db, options: RetentionOptions): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000);
  const batch = options.batchSize ?? 5000;
  const repeat = async (sql: string, params: unknown[]): Promise<number> => {
    let total = 0;
    while (!options.signal?.aborted) {
      const { rowCount } = await db.pool.query(sql, params);
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < batch) break;
    }
    return total;
  };
  // Tunnels first: forgetting one writes an event, which must not be older than the cutoff it is compared with.
  // SKIP LOCKED: a tunnel a poll is saving right now is left for the next run.
  const tunnels = await repeat(
    `WITH gone AS (
       DELETE FROM tunnels WHERE id IN (
         SELECT id FROM tunnels
         WHERE state = 'down' AND NOT configured AND last_change_at < $1
         LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING router_id, peer, fvrf, last_change_at
     )
     INSERT INTO events (at, router_id, kind, peer, fvrf, detail)
     SELECT $3, router_id, 'tunnel_forgotten', peer, fvrf, jsonb_build_object('downSince', last_change_at)
     FROM gone`,
    [cutoff, batch, now],
  );
  const polls = await repeat(
    'DELETE FROM polls WHERE id IN (SELECT id FROM polls WHERE started_at < $1 LIMIT $2)',
    [cutoff, batch],
  );
  const events = await repeat(
    'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < $1 LIMIT $2)',
    [cutoff, batch],
  );
  const rawOutputs = await repeat(
    `DELETE FROM raw_outputs WHERE (router_id, command) IN (
       SELECT router_id, command FROM raw_outputs WHERE polled_at < $1 LIMIT $2)`,
    [cutoff, batch],
  );
  return { polls, events, rawOutputs, tunnels };
}
