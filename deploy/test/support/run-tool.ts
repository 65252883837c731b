import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number | null;
  output: string;
}

/** Runs a command line tool to the end and returns its exit code with stdout and stderr interleaved. */
export function runTool(command: string, args: string[], cwd?: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error) =>
      reject(new Error(`cannot run ${command}: ${error.message} (is the Debian package installed?)`)),
    );
    child.on('close', (code) => resolve({ code, output }));
  });
}
