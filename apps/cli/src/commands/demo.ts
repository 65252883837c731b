import type { Command } from 'commander';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run tunnelwatch with a simulated fleet (not built yet)')
    .action(() => {
      // Tracked in issue #9: the demo needs the simulator, persistence, polling and the API first.
      process.stderr.write(
        'tunnelwatch demo is not built yet: it needs the simulator, the database, the poller and the API.\n',
      );
      process.exitCode = 1;
    });
}
