import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Runs the real CLI in a child process, as a user would. */
export function tunnelwatch(args: string[], input?: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each test starts the CLI through tsx, which takes seconds on a busy machine.
describe('tunnelwatch command line', { timeout: 60_000 }, () => {
  it('--help lists the subcommands and exits 0', () => {
    const { code, stdout } = tunnelwatch(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: tunnelwatch');
    expect(stdout).toMatch(/^ {2}demo\b/m);
  });

  it('an unknown subcommand exits 2 with a one-line reason and the usage', () => {
    const { code, stderr } = tunnelwatch(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe("error: unknown command 'frobnicate'");
    expect(stderr).toContain('tunnelwatch --help');
  });

  it('an unknown flag exits 2 and names the flag', () => {
    const { code, stderr } = tunnelwatch(['--frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--frobnicate'");
  });

  it('lists start, demo and tunnels, and tunnels without a token is a usage error', () => {
    const { stdout } = tunnelwatch(['--help']);
    for (const command of ['start', 'demo', 'tunnels'])
      expect(stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    const { code, stderr } = tunnelwatch(['tunnels'], undefined, { TUNNELWATCH_TOKEN: '' });
    expect(code).toBe(2);
    expect(stderr).toContain('TUNNELWATCH_TOKEN');
  });
});
