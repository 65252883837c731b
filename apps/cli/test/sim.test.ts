import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tw-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI to completion in a child process (async: a sync spawn would stall this test's event loop). */
function tunnelwatch(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args]);
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** The first bytes a TCP connection to `port` receives: an SSH server sends its identification line. */
function sshGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString('latin1'));
    });
    socket.once('error', reject);
  });
}

describe('tunnelwatch sim', () => {
  it('runs N routers, writes the inventory, serves control, and stops cleanly on SIGINT', async () => {
    const inventoryPath = join(dir, 'inventory.yaml');
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      main,
      'sim',
      '--routers',
      '3',
      '--inventory',
      inventoryPath,
    ]);
    try {
      let stdout = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (data: Buffer) => {
          stdout += data.toString();
          if (stdout.includes('Ctrl-C to stop')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const inventory = parse(readFileSync(inventoryPath, 'utf8')) as {
        routers: { name: string; port: number }[];
      };
      expect(inventory.routers.map((router) => router.name)).toEqual(['r00001', 'r00002', 'r00003']);
      expect(await sshGreeting(inventory.routers[0]!.port)).toMatch(/^SSH-2\.0-Cisco-1\.25\r\n/);
      const control = /control: +(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      const truth = (await (await fetch(`${control}/routers/r00002/truth`)).json()) as { platform: string };
      expect(truth.platform).toBe('iosxe');
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      await exited;
      // Stopped means stopped: the router's port no longer answers.
      await expect(sshGreeting(inventory.routers[0]!.port)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('without --routers or --scenario it exits 2 with the reason', async () => {
    const { code, stderr } = await tunnelwatch(['sim']);
    expect(code).toBe(2);
    expect(stderr).toContain('give --routers N, --scenario NAME|FILE, or both');
  }, 30_000);

  it('an unknown scenario exits 2', async () => {
    const { code, stderr } = await tunnelwatch(['sim', '--scenario', 'atlantis']);
    expect(code).toBe(2);
    expect(stderr).toContain('no scenario atlantis');
  }, 30_000);
});
