import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Daemon, startDaemon } from './daemon.js';
import { freePort } from './free-port.js';

/** An alert as Alertmanager's v2 API lists it. */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed' };
}

export interface AlertmanagerServer extends Daemon {
  /** http://127.0.0.1:PORT */
  url: string;
  /** host:port, for prometheus.yml's alerting.alertmanagers targets. */
  address: string;
  /** The alerts Alertmanager currently holds (resolved ones drop out). */
  alerts(): Promise<AmAlert[]>;
}

/**
 * Starts the Debian `prometheus-alertmanager` binary on a free loopback port with `config` (alertmanager.yml
 * text), clustering off (it would otherwise listen on 0.0.0.0:9094), in a temporary folder removed on stop().
 */
export async function startAlertmanager(options: { config: string }): Promise<AlertmanagerServer> {
  const port = await freePort();
  const workDir = await mkdtemp(join(tmpdir(), 'tw-alertmanager-'));
  const configFile = join(workDir, 'alertmanager.yml');
  await writeFile(configFile, options.config);
  const address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  const daemon = await startDaemon({
    command: 'prometheus-alertmanager',
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${join(workDir, 'data')}`,
      `--web.listen-address=${address}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    readyUrl: `${url}/-/ready`,
    workDir,
  });
  return {
    ...daemon,
    url,
    address,
    alerts: async () => {
      const response = await fetch(`${url}/api/v2/alerts`);
      if (!response.ok) throw new Error(`Alertmanager /api/v2/alerts: HTTP ${response.status}`);
      return (await response.json()) as AmAlert[];
    },
  };
}
