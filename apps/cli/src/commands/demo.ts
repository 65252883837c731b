import type { Command } from 'commander';
import { SHUTDOWN_TIMEOUT_MS } from './start.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('tunnelwatch start plus 25 simulated routers with scripted trouble (docs/demo.md)')
    .action(async () => {
      // Loaded on use, like `start`: other commands should not pay for importing the whole system.
      const { runDemo } = await import('../runtime/run-demo.js');
      await runDemo(SHUTDOWN_TIMEOUT_MS);
    });
}
