import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createLogger, loadConfig } from '@tunnelwatch/config';
import { ApiTokensRepository } from '@tunnelwatch/db';
import { importInventory, parseInventory } from '@tunnelwatch/inventory';
import { INVENTORY_CHANGED_CHANNEL } from '@tunnelwatch/model';
import { inventoryYaml, startControlServer } from '@tunnelwatch/sim';
import { createProducerRedis, waitUntilReady } from '@tunnelwatch/worker';
import { startAllInOneOrExplain } from './all-in-one.js';
import { startDemoFleet } from './demo-fleet.js';
import { reportFirstPollRound } from './first-poll-round.js';
import { closeWithin, waitForStopSignal } from './stop-signal.js';

/** Polls every 10 s in the demo (the floor of POLL_INTERVAL_SECONDS) so the first minute shows life. */
const DEMO_POLL_INTERVAL_SECONDS = 10;
const DEMO_TOKEN_DAYS = 7;

/**
 * `tunnelwatch demo`: the all-in-one runtime, the simulated fleet imported as inventory, a read/operate token,
 * and where to look; runs until SIGINT/SIGTERM.
 */
export async function runDemo(shutdownTimeoutMs: number): Promise<void> {
  const env = loadConfig();
  const config = {
    ...env,
    pollIntervalSeconds: process.env.POLL_INTERVAL_SECONDS
      ? env.pollIntervalSeconds
      : DEMO_POLL_INTERVAL_SECONDS,
    // The demo's own lines and the status page say what happens; the services speak up only for errors.
    logLevel: process.env.LOG_LEVEL ? env.logLevel : ('error' as const),
  };
  const logger = createLogger({ level: config.logLevel, name: 'tunnelwatch' });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const stopped = waitForStopSignal(logger);

  const runtime = await startAllInOneOrExplain(config, logger, { say });
  if (!runtime) return;
  const demo = await startDemoFleet({ say });
  const control = await startControlServer(demo.fleet, 0);
  const stopAll = async () => {
    await runtime.close();
    await control.close();
    await demo.stop();
  };
  const firstRound = new AbortController();
  try {
    // Written for people who want to import the same routers elsewhere; valid while the demo runs.
    const inventoryFile = join(resolve(config.dataDir), 'demo-inventory.yaml');
    const yaml = inventoryYaml(demo.fleet.routers, 'Routers of `tunnelwatch demo`; valid while it runs.');
    await writeFile(inventoryFile, yaml, { mode: 0o600 });
    const summary = await importInventory(runtime.db, runtime.config.secretKey, parseInventory(yaml, 'yaml'));
    if (summary.problems.length > 0) {
      throw new Error(`demo inventory refused: ${summary.problems.map((p) => p.message).join('; ')}`);
    }
    // The worker re-syncs its schedules and the API its /metrics snapshot on this signal.
    const redis = createProducerRedis(runtime.config.redisUrl, logger, 'demo');
    try {
      await waitUntilReady(redis);
      await redis.publish(INVENTORY_CHANGED_CHANNEL, 'demo');
    } finally {
      redis.disconnect();
    }
    const { token } = await new ApiTokensRepository(runtime.db).create({
      name: `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`,
      scopes: ['read', 'operate'],
      expiresAt: new Date(Date.now() + DEMO_TOKEN_DAYS * 86_400_000),
    });
    const { url } = runtime;
    say(
      [
        '',
        `tunnelwatch demo: ${demo.fleet.routers.length} simulated routers, polled every ${config.pollIntervalSeconds} s`,
        `  status page   ${url}/#token=${token}`,
        `  REST API      curl -H 'Authorization: Bearer ${token}' ${url}/api/v1/tunnels`,
        `  metrics       curl -H 'Authorization: Bearer ${token}' ${url}/metrics`,
        `  API docs      ${url}/docs`,
        `  terminal      TUNNELWATCH_URL=${url} TUNNELWATCH_TOKEN=${token} tunnelwatch tunnels --watch`,
        `  simulator     ${control.url}/routers  (take a tunnel down: docs/demo.md)`,
        `  token         ${token}  (read + operate, valid ${DEMO_TOKEN_DAYS} days)`,
        '  Ctrl-C to stop',
        '',
      ].join('\n'),
    );
    void reportFirstPollRound(runtime.db, say, { signal: firstRound.signal }).catch(() => {});
  } catch (error) {
    await stopAll();
    throw error;
  }
  await stopped;
  firstRound.abort();
  say('stopping…');
  await closeWithin(shutdownTimeoutMs, stopAll, logger);
  say('stopped');
}
