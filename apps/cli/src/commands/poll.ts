import { createLogger, loadConfig } from '@tunnelwatch/config';
import type { PollSnapshot, TunnelSnapshot } from '@tunnelwatch/model';
import type { Command } from 'commander';
import { UsageError } from '../program.js';
import { requireDatabaseUrl, requireSecretKey } from './required-settings.js';

export function registerPoll(program: Command): void {
  program
    .command('poll')
    .argument('<router>', 'router name, as in the inventory')
    .description('poll one router now, save the result and print its tunnels')
    .option('--json', 'print the snapshot as JSON instead of a table')
    .action(async (name: string, options: { json?: boolean }) => {
      // Loaded on use so that `tunnelwatch --help` and other commands start fast.
      const { createDb, RoutersRepository } = await import('@tunnelwatch/db');
      const { createProducerRedis, pollDepsFromConfig, pollRouterOnce, waitUntilReady } = await import(
        '@tunnelwatch/worker'
      );
      const config = loadConfig();
      const logger = createLogger({
        level: config.logLevel === 'info' ? 'warn' : config.logLevel,
        name: 'poll',
      });
      requireSecretKey(config);
      const db = createDb({ url: requireDatabaseUrl(config) });
      const redis = createProducerRedis(config.redisUrl, logger, 'poll');
      try {
        const router = await new RoutersRepository(db).getByName(name);
        if (!router) throw new UsageError(`no router named ${name}`);
        await waitUntilReady(redis);
        const deps = pollDepsFromConfig(config, db, redis, logger);
        const { outcome, snapshot } = await pollRouterOnce(deps, router.id, new AbortController().signal);
        if (!outcome.ok || !snapshot) {
          process.stderr.write(
            `poll of ${name} failed: ${outcome.ok ? 'no snapshot' : `${outcome.reason}: ${outcome.message}`}\n`,
          );
          process.exitCode = 1;
          return;
        }
        process.stdout.write(
          options.json ? `${JSON.stringify(snapshot, null, 2)}\n` : renderTunnelTable(snapshot),
        );
      } finally {
        redis.disconnect();
        await db.close();
      }
    });
}

/** One line per tunnel: what a NOC engineer reads first. */
export function renderTunnelTable(snapshot: PollSnapshot): string {
  const header = [
    'PEER',
    'VRF',
    'STATE',
    'INTERFACE',
    'IKE',
    'FLOWS',
    'SAS IN/OUT',
    'EXPIRES IN',
    'PKTS OUT',
    'PKTS IN',
  ];
  const rows = snapshot.tunnels.map((tunnel) => tunnelRow(tunnel));
  if (rows.length === 0) return 'no tunnels\n';
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function tunnelRow(tunnel: TunnelSnapshot): string[] {
  let saIn = 0;
  let saOut = 0;
  let encaps = 0;
  let decaps = 0;
  let expires: number | null = null;
  for (const flow of tunnel.flows) {
    saIn += flow.inbound.saCount;
    saOut += flow.outbound.saCount;
    encaps += flow.counters.encaps;
    decaps += flow.counters.decaps;
    const remaining = flow.outbound.newest?.remainingSeconds ?? null;
    if (remaining !== null) expires = expires === null ? remaining : Math.min(expires, remaining);
  }
  return [
    tunnel.peer,
    tunnel.fvrf || '-',
    tunnel.state,
    tunnel.interface ?? '-',
    tunnel.ike ? `${tunnel.ike.version} ${tunnel.ike.state}` : '-',
    String(tunnel.flows.length),
    `${saIn}/${saOut}`,
    expires === null ? '-' : `${expires}s`,
    String(encaps),
    String(decaps),
  ];
}
