import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tunnelwatch-parse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real CLI in a child process, as a user would. */
function tunnelwatch(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ISAKMP = [
  'R1#show crypto isakmp sa',
  'IPv4 Crypto ISAKMP SA',
  'dst             src             state          conn-id status',
  '10.0.0.2        10.0.0.1        QM_IDLE           1001 ACTIVE',
  'R1#',
].join('\r\n');

// Each case starts a real CLI process (several seconds on a loaded machine), hence the long timeout.
describe('tunnelwatch parse', { timeout: 120_000 }, () => {
  it('parses a file and prints { value, warnings } as JSON', () => {
    const file = join(dir, 'isakmp.txt');
    writeFileSync(file, ISAKMP);
    const { code, stdout } = tunnelwatch(['parse', '--command', 'sh cry isa sa', file]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.warnings).toEqual([]);
    expect(out.value.sas).toHaveLength(1);
    expect(out.value.sas[0]).toMatchObject({
      dst: '10.0.0.2',
      src: '10.0.0.1',
      state: 'QM_IDLE',
      connId: 1001,
    });
  });

  it('reads standard input with - and accepts --platform', () => {
    const { code, stdout } = tunnelwatch(
      ['parse', '--command', 'show crypto ikev2 sa', '--platform', 'asa', '-'],
      'fw# show crypto ikev2 sa\nThere are no IKEv2 SAs\nfw#\n',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ value: { sas: [] }, warnings: [] });
  });

  it('reads standard input without FILE and exits 0 with warnings for lines it does not know', () => {
    const { code, stdout } = tunnelwatch(
      ['parse', '--command', 'show crypto session'],
      'Interface: Tunnel0\nthis line means nothing\n',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).warnings).toEqual([
      { line: 2, text: 'this line means nothing', message: 'unrecognized line' },
    ]);
  });

  it('exits 2 for a command it does not parse', () => {
    const { code, stdout, stderr } = tunnelwatch(['parse', '--command', 'show ip route'], '');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown command "show ip route"');
  });

  it('exits 2 for an unreadable file', () => {
    const { code, stdout, stderr } = tunnelwatch([
      'parse',
      '--command',
      'show crypto map',
      join(dir, 'missing.txt'),
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('cannot read');
    expect(stderr).toContain('ENOENT');
  });

  it('exits 2 for an unknown platform', () => {
    const { code, stderr } = tunnelwatch(
      ['parse', '--command', 'show crypto map', '--platform', 'junos'],
      '',
    );
    expect(code).toBe(2);
    expect(stderr).toContain("argument 'junos' is invalid");
  });
});
