import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveHostKey, type Fleet, startFleet } from '../src/index.js';
import { connect, openShell } from './ssh-client.js';

const clientKey = deriveHostKey('test-client', 0);
let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet({
    timeScale: 0,
    routers: [
      { name: 'R1', tunnels: [{ peer: '198.51.100.2' }], authorizedKeys: [clientKey.publicKey] },
      { name: 'FW1', platform: 'asa', tunnels: [{ peer: '198.51.100.7' }] },
      { name: 'R3', banner: 'NO TRESPASSING', bannerWithoutNewline: true, loginPrivileged: true },
    ],
  });
});
afterAll(() => fleet.close());

describe('login', () => {
  it('accepts a password, shows the banner and the user EXEC prompt', async () => {
    const shell = await openShell(fleet.router('R1').access);
    expect(await shell.waitFor('R1>')).toBe('\r\nAuthorized access only. R1 is monitored.\r\n\r\nR1>');
    shell.close();
  });

  it('accepts keyboard-interactive with the right answer only', async () => {
    const access = fleet.router('R1').access;
    const login = (answer: string) =>
      new Promise<ssh2.Client>((resolve, reject) => {
        const client = new ssh2.Client();
        client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
          expect(prompts[0]?.prompt).toBe('Password: ');
          finish([answer]);
        });
        client.on('ready', () => resolve(client)).on('error', reject);
        client.connect({
          host: access.host,
          port: access.port,
          username: access.username,
          tryKeyboard: true,
        });
      });
    (await login(access.password)).end();
    await expect(login('wrong')).rejects.toThrow(/authentication methods failed/);
  });

  it('accepts an authorized public key and rejects another', async () => {
    const access = fleet.router('R1').access;
    const client = await connect(access, { password: undefined, privateKey: clientKey.privateKey });
    client.end();
    const other = deriveHostKey('someone-else', 0);
    await expect(connect(access, { password: undefined, privateKey: other.privateKey })).rejects.toThrow(
      /authentication methods failed/,
    );
  });

  it('rejects a wrong password', async () => {
    await expect(connect(fleet.router('R1').access, { password: 'wrong' })).rejects.toThrow(
      /authentication methods failed/,
    );
  });

  it('presents a stable host key per router, matching the advertised fingerprint', async () => {
    const access = fleet.router('R1').access;
    let seen = '';
    const client = await connect(access, {
      hostVerifier: (key: Buffer) => {
        seen = key.toString('base64');
        return true;
      },
    });
    client.end();
    expect(`ssh-ed25519 ${seen}`).toBe(access.hostKey);
    expect(access.hostKey).toBe(deriveHostKey('R1', 0).publicKey);
    expect(fleet.router('FW1').access.hostKeyFingerprint).not.toBe(access.hostKeyFingerprint);
  });

  it('prints a banner without a trailing newline and logs in privileged when configured', async () => {
    const shell = await openShell(fleet.router('R3').access);
    expect(await shell.waitFor('R3#')).toBe('\r\nNO TRESPASSINGR3#');
    shell.close();
  });
});

describe('IOS EXEC', () => {
  it('needs enable for show crypto, then answers abbreviations', async () => {
    const shell = await openShell(fleet.router('R1').access);
    await shell.waitFor('R1>');
    shell.write('sh cry ips sa\r');
    const refused = await shell.waitFor('R1>');
    expect(refused).toBe("sh cry ips sa\r\n      ^\r\n% Invalid input detected at '^' marker.\r\n\r\nR1>");
    shell.write('enable\r');
    await shell.waitFor('Password: ');
    shell.write('wrong\r');
    expect(await shell.waitFor('R1>')).toContain('% Access denied');
    shell.write('enable\r');
    await shell.waitFor('Password: ');
    shell.write(`${fleet.router('R1').access.enableSecret}\r`);
    await shell.waitFor('R1#');
    shell.write('terminal length 0\r');
    await shell.waitFor('R1#');
    shell.write('terminal width 0\r');
    await shell.waitFor('R1#');
    shell.write('sh cry ips sa\r');
    const output = await shell.waitFor(/\r\nR1#$/);
    expect(output).toContain('current_peer 198.51.100.2 port 500');
    expect(output).not.toContain('--More--');
    expect(output).toBe(`sh cry ips sa\r\n${fleet.router('R1').run('show crypto ipsec sa')}\r\nR1#`);
    shell.write('show crypto bogus\r');
    // The caret sits under the bad word of the echoed line, the prompt included (3 + 12 columns).
    expect(await shell.waitFor('R1#')).toContain(
      `\r\n${' '.repeat(15)}^\r\n% Invalid input detected at '^' marker.`,
    );
    shell.write('show crypto\r');
    expect(await shell.waitFor('R1#')).toContain('% Incomplete command.');
    shell.close();
  });

  it('pages with --More-- when the terminal length is not 0', async () => {
    const shell = await openShell(fleet.router('R1').access);
    await shell.waitFor('R1>');
    shell.write('enable\renable\r');
    await shell.waitFor('R1#');
    shell.write('terminal length 10\r');
    await shell.waitFor('R1#');
    shell.write('show crypto ipsec sa\r');
    const first = await shell.waitFor(' --More-- ');
    expect(first.split('\r\n')).toHaveLength(11); // the echo line, 9 output lines (length 10 - 1), the marker
    shell.write(' ');
    await shell.waitFor(' --More-- ');
    shell.write('q');
    await shell.waitFor('R1#');
    shell.write('show crypto map\r');
    await shell.waitFor(' --More-- ');
    shell.write('\r');
    const oneMore = await shell.waitFor(' --More-- ');
    expect(oneMore.replace(/[\b ]+$/, '').split('\r\n').length).toBeLessThanOrEqual(2);
    shell.close();
  });

  it('closes the session on exit', async () => {
    const shell = await openShell(fleet.router('R1').access);
    await shell.waitFor('R1>');
    const closed = new Promise<void>((resolve) => shell.client.on('close', () => resolve()));
    shell.write('exit\r');
    await closed;
  });

  it('runs a command given to ssh exec, and refuses session commands there', async () => {
    const client = await connect(fleet.router('R3').access);
    const exec = (command: string) =>
      new Promise<string>((resolve, reject) => {
        client.exec(command, (error, stream) => {
          if (error) return reject(error);
          let text = '';
          stream.on('data', (data: Buffer) => {
            text += data.toString();
          });
          stream.on('close', () => resolve(text));
        });
      });
    expect(await exec('show crypto isakmp sa')).toContain('IPv4 Crypto ISAKMP SA');
    expect(await exec('enable')).toBe("% Invalid input detected at '^' marker.\r\n");
    expect(await exec('terminal length 0')).toBe("% Invalid input detected at '^' marker.\r\n");
    expect(await exec('show version')).toContain('Cisco IOS Software');
    client.end();
  });
});

describe('ASA EXEC', () => {
  it('uses terminal pager, ERROR-prefixed errors and its More marker', async () => {
    const shell = await openShell(fleet.router('FW1').access);
    await shell.waitFor('FW1>');
    shell.write('enable\renable\r');
    await shell.waitFor('FW1#');
    shell.write('terminal length 0\r');
    expect(await shell.waitFor('FW1#')).toContain("ERROR: % Invalid input detected at '^' marker.");
    shell.write('show crypto ipsec sa\r');
    await shell.waitFor('<--- More --->');
    shell.write('q');
    await shell.waitFor('FW1#');
    shell.write('terminal pager 0\r');
    await shell.waitFor('FW1#');
    shell.write('show crypto ipsec sa\r');
    expect(await shell.waitFor(/\r\nFW1#$/)).not.toContain('More');
    shell.close();
  });
});
