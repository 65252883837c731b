import { loadConfig } from '@tunnelwatch/config';
import { type Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../program.js';
import { type TunnelItem, TunnelwatchClient } from '../tunnels-view/api-client.js';
import { renderTunnelsTable } from '../tunnels-view/render-table.js';
import { TrafficRates } from '../tunnels-view/traffic-rates.js';

type TunnelsOptions = {
  url?: string;
  token?: string;
  router?: string;
  state?: string;
  watch?: boolean;
  interval: number;
};

const STATES = ['up', 'down', 'negotiating'];
// Traffic rates need each tunnel's flows: fetched a few at a time so a big fleet does not flood the API.
const DETAIL_CONCURRENCY = 8;

export function registerTunnels(program: Command): void {
  program
    .command('tunnels')
    .description('a table of tunnels from the REST API: state, router, peer, traffic rate, time to SA expiry')
    .option('--url <url>', 'API base URL (default: $TUNNELWATCH_URL, else http://HOST:PORT)')
    .option('--token <token>', 'bearer token with the read scope (default: $TUNNELWATCH_TOKEN)')
    .option('--router <name>', 'only this router')
    .option('--state <state>', 'only up, down or negotiating tunnels')
    .option(
      '--watch',
      'redraw every --interval seconds until Ctrl-C (traffic rates appear from the 2nd poll)',
    )
    .option('--interval <seconds>', 'seconds between redraws with --watch', seconds, 5)
    .action(async (options: TunnelsOptions) => {
      const token = options.token ?? process.env.TUNNELWATCH_TOKEN;
      if (!token) throw new UsageError('give --token or set TUNNELWATCH_TOKEN (a token with the read scope)');
      if (options.state !== undefined && !STATES.includes(options.state)) {
        throw new UsageError(`--state must be one of ${STATES.join(', ')}`);
      }
      const client = new TunnelwatchClient(options.url ?? process.env.TUNNELWATCH_URL ?? defaultUrl(), token);
      const rates = new TrafficRates();
      const filter = {
        ...(options.router ? { router: options.router } : {}),
        ...(options.state ? { state: options.state } : {}),
      };
      const draw = async (): Promise<string> => {
        const tunnels = await client.tunnels(filter);
        await sampleTraffic(client, tunnels, rates);
        return renderTunnelsTable(tunnels, (id) => rates.rate(id), Date.now());
      };
      if (!options.watch) {
        process.stdout.write(await draw());
        return;
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        while (!stop.signal.aborted) {
          let screen: string;
          try {
            screen = await draw();
          } catch (error) {
            screen = `${(error as Error).message}\n`;
          }
          // Clear the screen and home the cursor, then the table with the time it was taken.
          const clear = process.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
          process.stdout.write(
            `${clear}${new Date().toLocaleTimeString()}  every ${options.interval} s, Ctrl-C to stop\n${screen}`,
          );
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.interval * 1000);
            stop.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

async function sampleTraffic(
  client: TunnelwatchClient,
  tunnels: TunnelItem[],
  rates: TrafficRates,
): Promise<void> {
  const queue = tunnels.filter((t) => t.state === 'up');
  const workers = Array.from({ length: Math.min(DETAIL_CONCURRENCY, queue.length) }, async () => {
    for (let tunnel = queue.shift(); tunnel; tunnel = queue.shift()) {
      rates.update(tunnel.id, await client.tunnelFlows(tunnel.id));
    }
  });
  await Promise.all(workers);
}

function defaultUrl(): string {
  const { host, port } = loadConfig();
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a number of seconds ≥ 1');
  return parsed;
}
