import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';

/** A long-running binary started by a test: killed by stop(), or when the test process exits. */
export interface Daemon {
  /** Everything the process printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test that crashes between start and stop must not leave a Prometheus behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns `command`, then polls `readyUrl` until it answers 200. Fails with the process output when the process
 * exits early or is not ready within `timeoutMs`. `workDir` is removed on stop.
 */
export async function startDaemon(options: {
  command: string;
  args: string[];
  readyUrl: string;
  workDir: string;
  timeoutMs?: number;
}): Promise<Daemon> {
  const child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const append = (chunk: Buffer) => {
    // Keep the tail only: Prometheus logs a line per rule group reload.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    await rm(options.workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (spawnError !== undefined || child.exitCode !== null) {
      await stop();
      const reason = spawnError ? spawnError.message : `exited with code ${child.exitCode}`;
      throw new Error(`${options.command} ${reason} before it was ready:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.command} was not ready at ${options.readyUrl} in time:\n${output}`);
    }
    try {
      const response = await fetch(options.readyUrl);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { log: () => output, stop };
}
