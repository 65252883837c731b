import { Command, CommanderError } from 'commander';
import { registerApi } from './commands/api.js';
import { registerDemo } from './commands/demo.js';
import { registerImport } from './commands/import.js';
import { registerMigrate } from './commands/migrate.js';
import { registerParse } from './commands/parse.js';
import { registerPoll } from './commands/poll.js';
import { registerRotateSecretKey } from './commands/rotate-secret-key.js';
import { registerSim } from './commands/sim.js';
import { registerStart } from './commands/start.js';
import { registerToken } from './commands/token.js';
import { registerTunnels } from './commands/tunnels.js';
import { registerWorker } from './commands/worker.js';

/** Exit codes: 0 ok, 1 the command failed, 2 the command line was wrong (unknown command, flag or file). */
export const EXIT_USAGE = 2;

/** Thrown by a command whose arguments are wrong in a way commander cannot see (e.g. an unreadable FILE). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function createProgram(): Command {
  const program = new Command('tunnelwatch')
    .description('SSH-based monitoring of Cisco IPsec VPN tunnels (IOS, IOS-XE, ASA)')
    .version('0.1.0')
    .showHelpAfterError('(run `tunnelwatch --help` for usage)')
    .exitOverride();
  // One register function per capability, each in its own file under commands/.
  registerStart(program);
  registerDemo(program);
  registerParse(program);
  registerTunnels(program);
  registerApi(program);
  registerWorker(program);
  registerToken(program);
  registerPoll(program);
  registerImport(program);
  registerSim(program);
  registerMigrate(program);
  registerRotateSecretKey(program);
  return program;
}

/** Runs the CLI and returns the process exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
