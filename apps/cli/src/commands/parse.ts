import { readFile } from 'node:fs/promises';
import { type Platform, parse, resolveCommand } from '@tunnelwatch/parser';
import { type Command, Option } from 'commander';
import { UsageError } from '../program.js';

type ParseOptions = { command: string; platform?: Platform };

async function readInput(file: string | undefined): Promise<string> {
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** `tunnelwatch parse --command "show crypto ipsec sa" [--platform ios|iosxe|asa] [FILE|-]` (DESIGN.md §4). */
export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('parse saved `show crypto …` output and print { value, warnings } as JSON')
    .requiredOption(
      '--command <command>',
      'the command that printed the output, e.g. "show crypto ipsec sa" (abbreviations such as "sh cry ips sa" work)',
    )
    .addOption(new Option('--platform <platform>', 'the device platform').choices(['ios', 'iosxe', 'asa']))
    .argument('[file]', 'file holding the output; "-" or nothing reads standard input')
    .action(async (file: string | undefined, options: ParseOptions) => {
      if (resolveCommand(options.command) === null) {
        throw new UsageError(
          `unknown command "${options.command}": expected show crypto ipsec sa, isakmp sa, ikev1 sa, ikev2 sa, map or session`,
        );
      }
      const text = await readInput(file);
      // Warnings are part of the answer, not a failure: exit 0 (DESIGN.md §4 command line contract).
      const result = parse(options.command, text, options.platform ? { platform: options.platform } : {});
      process.stdout.write(
        `${JSON.stringify({ value: result?.value, warnings: result?.warnings }, null, 2)}\n`,
      );
    });
}
