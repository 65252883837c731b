// savePollResult throughput and table growth (issue 5). Run: `npm run bench:db -w @tunnelwatch/bench`
// (DATABASE_URL when set, else an embedded PostgreSQL). Knobs: BENCH_DB_SECONDS (default 15), BENCH_DB_CONCURRENCY
// (default 8 savers, like 8 workers), BENCH_DB_ROUTERS (default 500).
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { RoutersRepository, savePollResult } from '@tunnelwatch/db';
import { createTestDatabase, sampleSnapshot, sampleTunnel } from '@tunnelwatch/db/testing';
import type { TunnelSnapshot } from '@tunnelwatch/model';

const SECONDS = Number(process.env.BENCH_DB_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_DB_CONCURRENCY ?? 8);
const ROUTERS = Number(process.env.BENCH_DB_ROUTERS ?? 500);
const HUB_PEERS = 2000;
const HUB_POLLS = 10;
const TARGET_POLLS_PER_SECOND = 500;
const POLL_INTERVAL_SECONDS = 60;
const RETENTION_DAYS = 7;
// An SA lifetime of one hour: each tunnel rekeys 24 times a day, each rekey one event.
const REKEY_EVERY_POLLS = 60;
// What a 4-tunnel router prints for the four commands a poll sends, roughly (bytes).
const RAW_OUTPUT_BYTES = {
  'show crypto ipsec sa': 6000,
  'show crypto isakmp sa': 400,
  'show crypto map': 1500,
  'show crypto session detail': 2500,
};

const t = await createTestDatabase({ poolSize: CONCURRENCY });
try {
  const routers = new RoutersRepository(t.db);
  const ids: string[] = [];
  for (let i = 0; i < ROUTERS; i++) {
    ids.push(
      (await routers.create({ name: `bench-${i}`, host: `10.0.${i >> 8}.${i & 255}`, platform: 'ios' })).id,
    );
  }
  const raw = Object.fromEntries(Object.entries(RAW_OUTPUT_BYTES).map(([c, n]) => [c, 'x'.repeat(n)]));
  const start = Date.parse('2026-11-30T00:00:00Z');
  const pollCount = new Map<string, number>();
  const routerTunnels = (routerIndex: number, n: number, polledAt: Date): TunnelSnapshot[] =>
    Array.from({ length: 4 }, (_, k) =>
      sampleTunnel({
        peer: `198.51.${routerIndex % 250}.${k + 1}`,
        polledAt,
        spi: 0x10000 + k * 16 + Math.floor(n / REKEY_EVERY_POLLS) * 0x100000,
        packets: 1000 + n * 50,
        // The SA's lifetime runs down between rekeys, as on a router: its expiry time stays put.
        remainingSeconds: (REKEY_EVERY_POLLS - (n % REKEY_EVERY_POLLS)) * POLL_INTERVAL_SECONDS,
      }),
    );

  // 4-tunnel routers: CONCURRENCY savers, each taking the next router round-robin, for SECONDS. The machine may be
  // busy with other work, so CPU seconds per poll (this process + its PostgreSQL backends) are measured too: they
  // give the rate two idle cores would sustain, whatever else runs meanwhile.
  await Promise.all(Array.from({ length: CONCURRENCY }, () => t.db.pool.query('SELECT pg_sleep(0.05)')));
  const backends = (
    await t.db.pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
    )
  ).rows.map((r) => r.pid);
  const cpuBefore = { client: process.cpuUsage(), server: await backendCpuSeconds(backends) };
  let saved = 0;
  let rows = 0;
  let events = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const began = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const index = next++ % ROUTERS;
        const id = ids[index]!;
        const n = pollCount.get(id) ?? 0;
        pollCount.set(id, n + 1);
        const polledAt = new Date(start + n * POLL_INTERVAL_SECONDS * 1000);
        const tunnels = routerTunnels(index, n, polledAt);
        const outcome = await savePollResult(t.db, id, {
          status: 'ok',
          startedAt: new Date(polledAt.getTime() - 900),
          finishedAt: polledAt,
          bytesRead: 10_400,
          snapshot: sampleSnapshot(polledAt, tunnels),
          rawOutputs: raw,
        });
        saved++;
        events += outcome.events.length;
        // poll + router + raw outputs + tunnels + flows + SAs + events
        rows += 2 + Object.keys(raw).length + tunnels.length * 4 + outcome.events.length;
      }
    }),
  );
  const elapsed = (performance.now() - began) / 1000;
  const clientCpu = process.cpuUsage(cpuBefore.client);
  const cpuSeconds =
    (clientCpu.user + clientCpu.system) / 1e6 + ((await backendCpuSeconds(backends)) - cpuBefore.server);
  const cpuPerPoll = cpuSeconds / saved;

  // A 2,000-peer DMVPN hub, polled HUB_POLLS times in a row.
  const hub = (await routers.create({ name: 'bench-hub', host: '10.255.0.1', platform: 'iosxe' })).id;
  const peers = Array.from({ length: HUB_PEERS }, (_, i) => `10.${64 + (i >> 8)}.${i & 255}.1`);
  const hubBegan = performance.now();
  for (let n = 0; n < HUB_POLLS; n++) {
    const polledAt = new Date(start + n * 60_000);
    await savePollResult(t.db, hub, {
      status: 'ok',
      startedAt: polledAt,
      finishedAt: polledAt,
      bytesRead: 2_000_000,
      snapshot: sampleSnapshot(
        polledAt,
        peers.map((peer, i) =>
          sampleTunnel({
            peer,
            polledAt,
            spi: 0x20000 + i * 4,
            packets: 1000 + n,
            remainingSeconds: 3600 - n * 60,
          }),
        ),
      ),
    });
  }
  const hubElapsed = (performance.now() - hubBegan) / 1000;
  const hubRows = HUB_POLLS * (2 + HUB_PEERS * 4) + HUB_PEERS; // + the discovery events of the first poll

  // Growth: the append-only tables (polls, events) grow with time; the current-state tables do not.
  await t.db.pool.query('VACUUM ANALYZE');
  const size = async (table: string) => {
    const { rows: r } = await t.db.pool.query<{ bytes: string; n: string }>(
      `SELECT pg_total_relation_size('${table}') AS bytes, (SELECT count(*) FROM ${table}) AS n`,
    );
    return { bytes: Number(r[0]!.bytes), rows: Number(r[0]!.n) };
  };
  const polls = await size('polls');
  const eventRows = await size('events');
  const current = {
    tunnels: await size('tunnels'),
    flows: await size('flows'),
    sas: await size('sas'),
    raw: await size('raw_outputs'),
  };
  const bytesPerPoll = polls.bytes / polls.rows;
  const bytesPerEvent = eventRows.bytes / eventRows.rows;
  const pollsPerDay = 86_400 / POLL_INTERVAL_SECONDS;
  const eventsPerDay = 4 * (86_400 / (REKEY_EVERY_POLLS * POLL_INTERVAL_SECONDS));
  const growthPerDay = pollsPerDay * bytesPerPoll + eventsPerDay * bytesPerEvent;
  const stateBytes =
    (current.tunnels.bytes + current.flows.bytes + current.sas.bytes + current.raw.bytes) / (ROUTERS + 1);

  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
  const pollsPerSecond = saved / elapsed;
  console.log(
    `\nsavePollResult (PostgreSQL ${await serverVersion()}, ${CONCURRENCY} concurrent savers, ${ROUTERS} routers)\n`,
  );
  console.log('| case | polls | seconds | polls/s | rows/s | target |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  console.log(
    `| 4-tunnel routers | ${fmt(saved)} | ${fmt(elapsed, 1)} | ${fmt(pollsPerSecond)} | ${fmt(rows / elapsed)} | ≥ ${TARGET_POLLS_PER_SECOND} polls/s: ${pollsPerSecond >= TARGET_POLLS_PER_SECOND ? 'met' : 'NOT met'} (10,000 routers at 60 s need 167/s) |`,
  );
  console.log(
    `| 4-tunnel routers, CPU-bound estimate | ${fmt(saved)} | ${fmt(cpuSeconds, 1)} CPU-s | ${fmt(2 / cpuPerPoll)} on 2 idle cores | | ${fmt(cpuPerPoll * 1000, 2)} CPU-ms per poll (client + PostgreSQL backends); load average during the run ${loadavg()[0]!.toFixed(1)} |`,
  );
  console.log(
    `| 2,000-peer hub | ${HUB_POLLS} | ${fmt(hubElapsed, 1)} | ${fmt(HUB_POLLS / hubElapsed, 1)} | ${fmt(hubRows / hubElapsed)} | one hub poll in ${fmt((hubElapsed / HUB_POLLS) * 1000)} ms |`,
  );
  console.log(
    `\nTable growth per 4-tunnel router at a ${POLL_INTERVAL_SECONDS} s interval (${events} events in the run)\n`,
  );
  console.log('| what | value |');
  console.log('| --- | ---: |');
  console.log(`| polls row incl. indexes | ${fmt(bytesPerPoll)} B × ${fmt(pollsPerDay)}/day |`);
  console.log(
    `| events row incl. indexes | ${fmt(bytesPerEvent)} B × ${fmt(eventsPerDay)}/day (one rekey per tunnel per hour) |`,
  );
  console.log(`| growth per router per day | ${fmt(growthPerDay / 1024)} KiB |`);
  console.log(
    `| kept at ${RETENTION_DAYS}-day retention, per router | ${fmt((growthPerDay * RETENTION_DAYS) / 1024 / 1024, 2)} MiB |`,
  );
  console.log(
    `| current state (tunnels, flows, SAs, raw outputs), per router | ${fmt(stateBytes / 1024)} KiB |`,
  );
  console.log(
    `| 10,000 routers at ${RETENTION_DAYS}-day retention | ${fmt(((growthPerDay * RETENTION_DAYS + stateBytes) * 10_000) / 1024 ** 3, 1)} GiB |`,
  );
} finally {
  await t.drop();
}

/** utime + stime of PostgreSQL backend processes on this machine (the server must be local). */
async function backendCpuSeconds(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

async function serverVersion(): Promise<string> {
  const { rows } = await t.db.pool.query<{ v: string }>('SELECT current_setting($$server_version$$) AS v');
  return rows[0]!.v.split(' ')[0]!;
}
