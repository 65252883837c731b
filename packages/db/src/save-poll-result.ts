import {
  type FlowSnapshot,
  isUuid,
  type PollFailureReason,
  type PollSnapshot,
  type TunnelEventKind,
  type TunnelSnapshot,
  type TunnelState,
} from '@tunnelwatch/model';
import type pg from 'pg';
import type { Db } from './client.js';
import { NotFoundError } from './errors.js';

type PollCommon = {
  startedAt: Date;
  finishedAt: Date;
  bytesRead: number;
  /** Command as sent → its output; kept as the router's last raw output per command. */
  rawOutputs?: Record<string, string>;
};
export type SuccessfulPoll = PollCommon & { status: 'ok'; snapshot: PollSnapshot };
export type FailedPoll = PollCommon & {
  status: 'failed';
  reason: PollFailureReason;
  /** Human-readable cause (never a secret). */
  detail?: string | null;
  warnings?: Record<string, number>;
};
export type PollToSave = SuccessfulPoll | FailedPoll;

export type SavedEvent = {
  kind: TunnelEventKind;
  peer: string;
  fvrf: string;
  detail: Record<string, unknown>;
};
export type SavePollOutcome = {
  pollId: string;
  /**
   * True when a newer snapshot of this router was saved first (two workers, one slow): the poll row is kept, but
   * tunnels, flows and SAs keep the newer state.
   */
  stale: boolean;
  /** Events written by this save, in the order they were derived. */
  events: SavedEvent[];
};

/**
 * Stores one poll of one router in one transaction: the poll row, the router's latest-poll fields, raw outputs, and for
 * a successful poll the router's whole tunnel state (DESIGN.md §5) with an event for every state change, new tunnel,
 * rekey (new SPI) and vanished configured peer. Saves of the same router are serialized by a row lock on the router,
 * so concurrent workers neither lose updates nor duplicate tunnels. The tunnel state is written set-based (one
 * statement, jsonb_to_recordset), so a save costs the same handful of round trips for 1 tunnel or 2,000.
 */
export async function savePollResult(db: Db, routerId: string, poll: PollToSave): Promise<SavePollOutcome> {
  // The id is spliced into the opening statement below (a simple query takes no parameters): only a UUID gets there.
  if (!isUuid(routerId)) throw new NotFoundError(`router ${routerId} not found`);
  const client = await db.pool.connect();
  let broken: Error | undefined;
  try {
    // CTE results and jsonb_to_recordset have no statistics: the planner guesses a few rows and joins them with
    // nested loops, quadratic for a 2,000-peer hub (seconds instead of milliseconds). Hash joins suit every size.
    // Disabling nested loops inflates plan costs past jit_above_cost, and JIT-compiling these small statements
    // costs a second each, so JIT goes too.
    // Sequential scans off too: a connection keeps the plans of its prepared statements, made while the tables were
    // small (or before autovacuum analyzed them), and a plan that scans every SA of the fleet stays fast only on a
    // small fleet; every statement here has an index for what it reads.
    // synchronous_commit off: a crash may lose the last fraction of a second of polls (never consistency), which the
    // next poll round replaces anyway; in exchange a save does not wait for its WAL flush.
    // The router row lock (the UPDATE's lock level) serializes saves of one router. Taken in this first round trip,
    // so that the next statement, which reads the tunnel state, starts after it is granted: under READ COMMITTED
    // only a statement that starts then sees what the transaction we waited for committed.
    const opened = (await client.query(
      `BEGIN; SET LOCAL enable_nestloop = off; SET LOCAL enable_seqscan = off; SET LOCAL jit = off;
       SET LOCAL synchronous_commit = off;
       SELECT 1 FROM routers WHERE id = '${routerId}' FOR NO KEY UPDATE`,
    )) as unknown as pg.QueryResult[];
    try {
      if (opened.at(-1)?.rowCount !== 1) throw new NotFoundError(`router ${routerId} not found`);
      const outcome = await saveInTransaction(client, routerId, poll);
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    // A connection that could not roll back is discarded rather than returned to the pool mid-transaction.
    client.release(broken);
  }
}

async function saveInTransaction(
  client: pg.PoolClient,
  routerId: string,
  poll: PollToSave,
): Promise<SavePollOutcome> {
  const snapshot = poll.status === 'ok' ? poll.snapshot : null;
  const { pollId, applied, existing } = await insertPoll(client, routerId, poll);
  const stale = snapshot !== null && !applied;
  if (!applied || !snapshot) return { pollId, stale, events: [] };
  const events = await applySnapshot(client, routerId, snapshot, existing);
  return { pollId, stale, events };
}

type TunnelFlowRow = {
  tunnel_id: string | null;
  peer: string;
  fvrf: string;
  state: TunnelState;
  configured: boolean;
  flow_id: string | null;
  key: string | null;
  inbound_spi: string | null;
  outbound_spi: string | null;
};

/**
 * The poll row, the router's latest-poll columns and the raw outputs, in one statement, which for a successful poll
 * also reads the router's tunnels and flows as they were before it. `applied`: the poll carries a snapshot no older
 * than the one the router's tunnels already reflect, so it becomes the current state.
 */
async function insertPoll(
  client: pg.PoolClient,
  routerId: string,
  poll: PollToSave,
): Promise<{ pollId: string; applied: boolean; existing: Map<string, ExistingTunnel> }> {
  const snapshot = poll.status === 'ok' ? poll.snapshot : null;
  const warnings = snapshot ? snapshot.warnings : poll.status === 'failed' ? (poll.warnings ?? {}) : {};
  const rawAt = snapshot ? snapshot.polledAt : poll.finishedAt;
  const raw = Object.entries(poll.rawOutputs ?? {}).map(([command, output]) => ({
    command: withoutNul(command),
    output: withoutNul(output),
  }));
  const { rows } = await client.query<{ id: string; applied: boolean } & TunnelFlowRow>({
    name: 'tunnelwatch-insert-poll',
    text: `WITH p AS (
       INSERT INTO polls (router_id, started_at, finished_at, status, failure_reason, failure_detail, duration_ms,
                          bytes_read, warnings, tunnel_count)
       VALUES ($1, $2, $3, $4::poll_status, $5::poll_failure_reason, $6, $7, $8, $9::jsonb, $10)
       RETURNING id
     ), r AS (
       UPDATE routers SET
         last_poll_ok = CASE WHEN last_poll_at IS NULL OR last_poll_at <= $3 THEN $4::poll_status = 'ok'
                        ELSE last_poll_ok END,
         last_poll_duration_ms = CASE WHEN last_poll_at IS NULL OR last_poll_at <= $3 THEN $7
                                 ELSE last_poll_duration_ms END,
         last_poll_at = GREATEST(last_poll_at, $3),
         last_success_at = CASE WHEN $4::poll_status = 'ok' THEN GREATEST(last_success_at, $3)
                           ELSE last_success_at END,
         poll_failures = CASE WHEN $5::poll_failure_reason IS NULL THEN poll_failures
                         ELSE jsonb_set(poll_failures, ARRAY[$5::text],
                                        to_jsonb(COALESCE((poll_failures ->> $5::text)::bigint, 0) + 1)) END,
         snapshot_at = CASE WHEN $11 AND (snapshot_at IS NULL OR snapshot_at <= $12) THEN $12 ELSE snapshot_at END,
         last_warnings = CASE WHEN $11 AND (snapshot_at IS NULL OR snapshot_at <= $12) THEN $9::jsonb
                         ELSE last_warnings END,
         crypto_maps = CASE WHEN $11 AND (snapshot_at IS NULL OR snapshot_at <= $12) THEN $13::jsonb
                       ELSE crypto_maps END
       WHERE id = $1
       RETURNING $11 AND snapshot_at = $12 AS applied
     ), raw AS (
       INSERT INTO raw_outputs (router_id, command, output, polled_at, poll_id)
       SELECT $1, o.command, o.output, $14, (SELECT id FROM p) FROM jsonb_to_recordset($15::jsonb) AS o(command text, output text)
       ON CONFLICT (router_id, command) DO UPDATE
         SET output = EXCLUDED.output, polled_at = EXCLUDED.polled_at, poll_id = EXCLUDED.poll_id
         WHERE raw_outputs.polled_at <= EXCLUDED.polled_at
     ), existing AS (
       SELECT t.id AS tunnel_id, t.peer, t.fvrf, t.state, t.configured, f.id AS flow_id, f.key, f.inbound_spi,
         f.outbound_spi
       FROM tunnels t LEFT JOIN flows f ON f.tunnel_id = t.id
         -- Restates the join as an index condition on flows: with nested loops off, the join alone reads all flows.
         AND f.tunnel_id = ANY(ARRAY(SELECT id FROM tunnels WHERE router_id = $1))
       WHERE t.router_id = $1 AND $11
     )
     SELECT (SELECT id FROM p) AS id, (SELECT applied FROM r) AS applied, e.*
     FROM (SELECT 1) AS one LEFT JOIN existing e ON true`,
    values: [
      routerId,
      poll.startedAt,
      poll.finishedAt,
      poll.status,
      poll.status === 'failed' ? poll.reason : null,
      poll.status === 'failed' ? withoutNul(poll.detail ?? '') || null : null,
      Math.max(0, Math.round(poll.finishedAt.getTime() - poll.startedAt.getTime())),
      bigintText(poll.bytesRead),
      JSON.stringify(warnings),
      snapshot ? snapshot.tunnels.length : null,
      snapshot !== null,
      snapshot?.polledAt ?? null,
      JSON.stringify(snapshot?.cryptoMaps ?? []),
      rawAt,
      JSON.stringify(raw),
    ],
  });
  return { pollId: rows[0]!.id, applied: rows[0]!.applied === true, existing: existingTunnels(rows) };
}

type ExistingFlow = { id: string; inboundSpi: string | null; outboundSpi: string | null };
type ExistingTunnel = {
  id: string;
  peer: string;
  fvrf: string;
  state: TunnelState;
  configured: boolean;
  flows: Map<string, ExistingFlow>;
};

/** The router's tunnels with their flows, by (peer, fvrf), from the rows of a tunnels ⟕ flows join. */
function existingTunnels(rows: TunnelFlowRow[]): Map<string, ExistingTunnel> {
  const tunnels = new Map<string, ExistingTunnel>();
  for (const row of rows) {
    if (row.tunnel_id === null) continue;
    const key = tunnelKey(row.peer, row.fvrf);
    let tunnel = tunnels.get(key);
    if (!tunnel) {
      tunnel = {
        id: row.tunnel_id,
        peer: row.peer,
        fvrf: row.fvrf,
        state: row.state,
        configured: row.configured,
        flows: new Map(),
      };
      tunnels.set(key, tunnel);
    }
    if (row.flow_id !== null && row.key !== null) {
      tunnel.flows.set(row.key, {
        id: row.flow_id,
        inboundSpi: row.inbound_spi,
        outboundSpi: row.outbound_spi,
      });
    }
  }
  return tunnels;
}

async function applySnapshot(
  client: pg.PoolClient,
  routerId: string,
  snapshot: PollSnapshot,
  existing: Map<string, ExistingTunnel>,
): Promise<SavedEvent[]> {
  const events: (SavedEvent & { tunnelId: string | null })[] = [];
  const tunnelRows: unknown[] = [];
  const flowRows: unknown[] = [];
  const saRows: unknown[] = [];
  const deadFlowIds: string[] = [];
  const seen = new Set<string>();

  for (const tunnel of snapshot.tunnels) {
    const key = tunnelKey(tunnel.peer, tunnel.fvrf);
    // The model yields one entry per (peer, fvrf); should it ever repeat one, the first wins rather than the
    // whole poll failing on "ON CONFLICT cannot affect a row twice".
    if (seen.has(key)) continue;
    seen.add(key);
    const before = existing.get(key);
    const event = (kind: TunnelEventKind, detail: Record<string, unknown>) =>
      events.push({ kind, peer: tunnel.peer, fvrf: tunnel.fvrf, detail, tunnelId: before?.id ?? null });
    if (!before) event('tunnel_discovered', { state: tunnel.state, configured: tunnel.configured });
    else if (before.state !== tunnel.state) event('state_changed', { from: before.state, to: tunnel.state });

    tunnelRows.push(tunnelRow(tunnel));
    const flowKeys = new Set<string>();
    for (const flow of tunnel.flows) {
      if (flowKeys.has(flow.key)) continue;
      flowKeys.add(flow.key);
      const rekey = rekeyDetail(before?.flows.get(flow.key), flow);
      if (rekey) event('rekeyed', rekey);
      flowRows.push(flowRow(tunnel, flow));
      const saKeys = new Set<string>();
      for (const sa of flow.sas) {
        // One row per (flow, direction, SPI): a repeated SA would make the upsert touch a row twice.
        const saKey = `${sa.direction} ${sa.spi}`;
        if (saKeys.has(saKey)) continue;
        saKeys.add(saKey);
        saRows.push({
          peer: tunnel.peer,
          fvrf: tunnel.fvrf,
          flow_key: flow.key,
          direction: sa.direction,
          protocol: sa.protocol,
          spi: bigintText(sa.spi),
          transforms: sa.transforms,
          mode: sa.mode,
          remaining_seconds: intOrNull(sa.remainingSeconds),
          remaining_kilobytes: sa.remainingKilobytes === null ? null : bigintText(sa.remainingKilobytes),
          expires_at: iso(sa.expiresAt),
          status: sa.status,
        });
      }
    }
    for (const [flowKey, flow] of before?.flows ?? []) if (!flowKeys.has(flowKey)) deadFlowIds.push(flow.id);
  }

  // Tunnels this poll did not list: configured peers that vanished, and tunnels that were up before (DESIGN.md §5).
  const goneIds: string[] = [];
  for (const [key, before] of existing) {
    if (seen.has(key)) continue;
    const event = (kind: TunnelEventKind, detail: Record<string, unknown>) =>
      events.push({ kind, peer: before.peer, fvrf: before.fvrf, detail, tunnelId: before.id });
    if (before.configured) event('configured_peer_vanished', {});
    if (before.state !== 'down') event('state_changed', { from: before.state, to: 'down', absent: true });
    if (before.configured || before.state !== 'down') goneIds.push(before.id);
    for (const flow of before.flows.values()) deadFlowIds.push(flow.id);
  }

  // Named statements are parsed and planned once per connection: this one is large, and saves are frequent.
  await client.query({
    name: 'tunnelwatch-upsert-tunnel-state',
    text: UPSERT_TUNNEL_STATE,
    values: [
      routerId,
      JSON.stringify(tunnelRows),
      snapshot.polledAt,
      goneIds,
      deadFlowIds,
      JSON.stringify(flowRows),
      JSON.stringify(saRows),
      JSON.stringify(
        events.map((e) => ({
          peer: e.peer,
          fvrf: e.fvrf,
          kind: e.kind,
          detail: e.detail,
          tunnel_id: e.tunnelId,
        })),
      ),
    ],
  });
  return events.map(({ tunnelId: _, ...e }) => e);
}

// One statement for the whole tunnel state. Data-modifying CTEs all see the snapshot taken at its start, so the
// DELETE of the old SAs cannot touch the rows inserted next to it.
const UPSERT_TUNNEL_STATE = `
WITH t AS (
  INSERT INTO tunnels AS cur (router_id, peer, fvrf, state, configured, interface, local_address, crypto_map,
    crypto_map_sequence, ike_version, ike_state, ike_established, ike_expires_at, transform, mode, pfs,
    sa_expires_at, first_seen_at, last_seen_at, last_change_at)
  SELECT $1, r.peer, r.fvrf, r.state, r.configured, r.interface, r.local_address, r.crypto_map,
    r.crypto_map_sequence, r.ike_version, r.ike_state, r.ike_established, r.ike_expires_at, r.transform, r.mode,
    r.pfs, r.sa_expires_at, $3, $3, $3
  FROM jsonb_to_recordset($2::jsonb) AS r(peer text, fvrf text, state tunnel_state, configured boolean,
    interface text, local_address text, crypto_map text, crypto_map_sequence integer, ike_version ike_version,
    ike_state text, ike_established boolean, ike_expires_at timestamptz, transform text, mode text, pfs text,
    sa_expires_at timestamptz)
  -- The metric labels (interface, crypto map, IKE version, transform, mode, pfs) keep their last known values when
  -- a poll no longer shows them (a tunnel that went down has no IKE SA and no SA to describe), so its series live
  -- on at 0 instead of being replaced. transform, mode and pfs describe the newest outbound SA together: kept as a
  -- group only when there is no SA (a null pfs next to an SA means "no PFS").
  ON CONFLICT (router_id, peer, fvrf) DO UPDATE SET
    state = EXCLUDED.state, configured = EXCLUDED.configured,
    interface = COALESCE(EXCLUDED.interface, cur.interface),
    local_address = EXCLUDED.local_address, crypto_map = COALESCE(EXCLUDED.crypto_map, cur.crypto_map),
    crypto_map_sequence = CASE WHEN EXCLUDED.crypto_map IS NULL THEN cur.crypto_map_sequence
                          ELSE EXCLUDED.crypto_map_sequence END,
    ike_version = COALESCE(EXCLUDED.ike_version, cur.ike_version),
    ike_state = EXCLUDED.ike_state, ike_established = EXCLUDED.ike_established,
    ike_expires_at = EXCLUDED.ike_expires_at,
    transform = COALESCE(EXCLUDED.transform, cur.transform),
    mode = CASE WHEN EXCLUDED.transform IS NULL THEN cur.mode ELSE EXCLUDED.mode END,
    pfs = CASE WHEN EXCLUDED.transform IS NULL THEN cur.pfs ELSE EXCLUDED.pfs END,
    sa_expires_at = EXCLUDED.sa_expires_at, last_seen_at = EXCLUDED.last_seen_at,
    last_change_at = CASE WHEN cur.state = EXCLUDED.state THEN cur.last_change_at ELSE EXCLUDED.last_change_at END
  RETURNING id, peer, fvrf
), gone AS (
  UPDATE tunnels SET state = 'down', configured = false, sa_expires_at = NULL,
    last_change_at = CASE WHEN state = 'down' THEN last_change_at ELSE $3 END
  WHERE id = ANY($4::uuid[])
), dead_flows AS (
  DELETE FROM flows WHERE id = ANY($5::uuid[])
), f AS (
  INSERT INTO flows AS cur (tunnel_id, key, local_ident, remote_ident, encaps, encrypt, digest, decaps, decrypt,
    verify, send_errors, recv_errors, inbound_sa_count, outbound_sa_count, inbound_spi, outbound_spi,
    inbound_expires_at, outbound_expires_at, inbound_remaining_kb, outbound_remaining_kb, pfs, dh_group, updated_at)
  SELECT t.id, r.key, r.local_ident, r.remote_ident, r.encaps, r.encrypt, r.digest, r.decaps, r.decrypt, r.verify,
    r.send_errors, r.recv_errors, r.inbound_sa_count, r.outbound_sa_count, r.inbound_spi, r.outbound_spi,
    r.inbound_expires_at, r.outbound_expires_at, r.inbound_remaining_kb, r.outbound_remaining_kb, r.pfs,
    r.dh_group, $3
  FROM jsonb_to_recordset($6::jsonb) AS r(peer text, fvrf text, key text, local_ident text, remote_ident text,
    encaps bigint, encrypt bigint, digest bigint, decaps bigint, decrypt bigint, verify bigint, send_errors bigint,
    recv_errors bigint, inbound_sa_count integer, outbound_sa_count integer, inbound_spi bigint, outbound_spi bigint,
    inbound_expires_at timestamptz, outbound_expires_at timestamptz, inbound_remaining_kb bigint,
    outbound_remaining_kb bigint, pfs boolean, dh_group text)
  JOIN t ON t.peer = r.peer AND t.fvrf = r.fvrf
  ON CONFLICT (tunnel_id, key) DO UPDATE SET
    local_ident = EXCLUDED.local_ident, remote_ident = EXCLUDED.remote_ident, encaps = EXCLUDED.encaps,
    encrypt = EXCLUDED.encrypt, digest = EXCLUDED.digest, decaps = EXCLUDED.decaps, decrypt = EXCLUDED.decrypt,
    verify = EXCLUDED.verify, send_errors = EXCLUDED.send_errors, recv_errors = EXCLUDED.recv_errors,
    inbound_sa_count = EXCLUDED.inbound_sa_count, outbound_sa_count = EXCLUDED.outbound_sa_count,
    inbound_spi = EXCLUDED.inbound_spi, outbound_spi = EXCLUDED.outbound_spi,
    inbound_expires_at = EXCLUDED.inbound_expires_at, outbound_expires_at = EXCLUDED.outbound_expires_at,
    inbound_remaining_kb = EXCLUDED.inbound_remaining_kb, outbound_remaining_kb = EXCLUDED.outbound_remaining_kb,
    pfs = EXCLUDED.pfs, dh_group = EXCLUDED.dh_group, updated_at = EXCLUDED.updated_at
  RETURNING id, tunnel_id, key
), sa_tunnel AS MATERIALIZED (
  -- Resolve each SA's tunnel first and only then its flow, on (tunnel, key): every flow of a hub can share the same
  -- key, and a join on the key alone is quadratic. MATERIALIZED keeps the planner from reordering the joins.
  SELECT t.id AS tunnel_id, r.*
  FROM jsonb_to_recordset($7::jsonb) AS r(peer text, fvrf text, flow_key text, direction text, protocol text,
    spi bigint, transforms text[], mode text, remaining_seconds integer, remaining_kilobytes bigint,
    expires_at timestamptz, status text)
  JOIN t ON t.peer = r.peer AND t.fvrf = r.fvrf
), sa_input AS MATERIALIZED (
  SELECT f.id AS flow_id, s.* FROM sa_tunnel s JOIN f ON f.tunnel_id = s.tunnel_id AND f.key = s.flow_key
), old_sas AS (
  -- SAs the router no longer lists (expired after a rekey, flow gone). The others are updated in place below:
  -- an update that touches no indexed column stays on its page (HOT) and needs no foreign-key check.
  -- = ANY(ARRAY(…)), not IN (…): an index scan of this router's SAs, where a (hash) semi-join reads every SA.
  DELETE FROM sas s WHERE s.tunnel_id = ANY(ARRAY(SELECT id FROM t)) AND NOT EXISTS (
    SELECT 1 FROM sa_input i WHERE i.flow_id = s.flow_id AND i.direction = s.direction AND i.spi = s.spi)
), new_sas AS (
  INSERT INTO sas AS cur (flow_id, tunnel_id, direction, protocol, spi, transforms, mode, remaining_seconds,
    remaining_kilobytes, expires_at, status)
  SELECT s.flow_id, s.tunnel_id, s.direction, s.protocol, s.spi, COALESCE(s.transforms, ARRAY[]::text[]), s.mode,
    s.remaining_seconds, s.remaining_kilobytes, s.expires_at, s.status
  FROM sa_input s
  ON CONFLICT (flow_id, direction, spi) DO UPDATE SET
    protocol = EXCLUDED.protocol, transforms = EXCLUDED.transforms, mode = EXCLUDED.mode,
    remaining_seconds = EXCLUDED.remaining_seconds, remaining_kilobytes = EXCLUDED.remaining_kilobytes,
    expires_at = EXCLUDED.expires_at, status = EXCLUDED.status
), ev AS (
  INSERT INTO events (at, router_id, tunnel_id, kind, peer, fvrf, detail)
  SELECT $3, $1, COALESCE(r.tunnel_id, t.id), r.kind, r.peer, r.fvrf, r.detail
  FROM jsonb_to_recordset($8::jsonb) AS r(peer text, fvrf text, kind event_kind, detail jsonb, tunnel_id uuid)
  LEFT JOIN t ON t.peer = r.peer AND t.fvrf = r.fvrf
)
SELECT 1`;

function tunnelRow(tunnel: TunnelSnapshot): Record<string, unknown> {
  let saExpiresAt: number | null = null;
  for (const flow of tunnel.flows) {
    for (const direction of [flow.inbound, flow.outbound]) {
      const at = direction.newest?.expiresAt?.getTime();
      if (at !== undefined && Number.isFinite(at) && (saExpiresAt === null || at < saExpiresAt))
        saExpiresAt = at;
    }
  }
  return {
    peer: tunnel.peer,
    fvrf: tunnel.fvrf,
    state: tunnel.state,
    configured: tunnel.configured,
    interface: tunnel.interface,
    local_address: tunnel.localAddress,
    crypto_map: tunnel.cryptoMap,
    crypto_map_sequence: intOrNull(tunnel.cryptoMapSequence),
    ike_version: tunnel.ikeVersion,
    ike_state: tunnel.ike?.state ?? null,
    ike_established: tunnel.ike?.established ?? null,
    ike_expires_at: iso(tunnel.ike?.expiresAt ?? null),
    transform: tunnel.transform,
    mode: tunnel.mode,
    pfs: tunnel.pfs,
    sa_expires_at: saExpiresAt === null ? null : new Date(saExpiresAt).toISOString(),
  };
}

function flowRow(tunnel: TunnelSnapshot, flow: FlowSnapshot): Record<string, unknown> {
  const c = flow.counters;
  const { inbound, outbound } = flow;
  return {
    peer: tunnel.peer,
    fvrf: tunnel.fvrf,
    key: flow.key,
    local_ident: flow.localIdent,
    remote_ident: flow.remoteIdent,
    encaps: bigintText(c.encaps),
    encrypt: bigintText(c.encrypt),
    digest: bigintText(c.digest),
    decaps: bigintText(c.decaps),
    decrypt: bigintText(c.decrypt),
    verify: bigintText(c.verify),
    send_errors: bigintText(c.sendErrors),
    recv_errors: bigintText(c.recvErrors),
    inbound_sa_count: intOrNull(inbound.saCount) ?? 0,
    outbound_sa_count: intOrNull(outbound.saCount) ?? 0,
    inbound_spi: spiText(inbound.newest?.spi),
    outbound_spi: spiText(outbound.newest?.spi),
    inbound_expires_at: iso(inbound.newest?.expiresAt ?? null),
    outbound_expires_at: iso(outbound.newest?.expiresAt ?? null),
    inbound_remaining_kb:
      inbound.newest?.remainingKilobytes == null ? null : bigintText(inbound.newest.remainingKilobytes),
    outbound_remaining_kb:
      outbound.newest?.remainingKilobytes == null ? null : bigintText(outbound.newest.remainingKilobytes),
    pfs: flow.pfs,
    dh_group: flow.dhGroup,
  };
}

/** A rekey: the newest SPI of a direction changed between two polls that both had one. */
function rekeyDetail(before: ExistingFlow | undefined, flow: FlowSnapshot): Record<string, unknown> | null {
  if (!before) return null;
  const outbound = spiText(flow.outbound.newest?.spi);
  const inbound = spiText(flow.inbound.newest?.spi);
  const outChanged = before.outboundSpi !== null && outbound !== null && before.outboundSpi !== outbound;
  const inChanged = before.inboundSpi !== null && inbound !== null && before.inboundSpi !== inbound;
  if (!outChanged && !inChanged) return null;
  return {
    flow: flow.key,
    outboundSpi: { from: spiNumber(before.outboundSpi), to: spiNumber(outbound) },
    inboundSpi: { from: spiNumber(before.inboundSpi), to: spiNumber(inbound) },
  };
}

function tunnelKey(peer: string, fvrf: string): string {
  return `${peer}\u0000${fvrf}`;
}

const BIGINT_MAX = 9223372036854775807n;

/** A router counter as bigint text: counters may pass 2^53, and bad numbers must not fail the poll (0, clamped). */
function bigintText(value: number): string {
  if (!Number.isFinite(value) || value <= 0) return '0';
  const n = BigInt(Math.trunc(value));
  return (n > BIGINT_MAX ? BIGINT_MAX : n).toString();
}

function spiText(spi: number | null | undefined): string | null {
  return spi === null || spi === undefined || !Number.isFinite(spi) ? null : bigintText(spi);
}

function spiNumber(text: string | null): number | null {
  return text === null ? null : Number(text);
}

function intOrNull(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(value)));
}

function iso(date: Date | null | undefined): string | null {
  return date && Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

/** PostgreSQL text and jsonb cannot hold NUL; a router printing one must not lose the poll. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}
