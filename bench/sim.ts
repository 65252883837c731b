// bench/sim: how many simulated routers one process holds, and how fast it answers.
//
// The fleet (packages/sim, real SSH) runs in this process; the SSH clients run in a child process so they do
// not share this event loop. It reports: routers held, start-up time, memory per router, idle CPU (state is
// computed on read, so an idle fleet must cost ~0), logins per second (connect + password + close) and
// commands per second (`show crypto ipsec sa` on open shells). Target: 10,000 routers, ≥ 300 logins/s.
//
//   npm run bench:sim -w bench
//   BENCH_SIM_ROUTERS=2000 BENCH_SIM_SECONDS=5 npm run bench:sim -w bench   (quick look)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateRouters, type RouterAccess, startFleet } from '@tunnelwatch/sim';
import ssh2 from 'ssh2';

const env = process.env;
const ROUTERS = Number(env.BENCH_SIM_ROUTERS ?? 10_000);
const SECONDS = Number(env.BENCH_SIM_SECONDS ?? 8);
const CONCURRENCY = Number(env.BENCH_SIM_CONCURRENCY ?? 24);
const IDLE_SECONDS = 3;
const TARGET_LOGINS_PER_SECOND = 300;

type LoadRequest = {
  mode: 'logins' | 'commands';
  routers: RouterAccess[];
  seconds: number;
  concurrency: number;
};
type LoadResult = { completed: number; failed: number; seconds: number };
/** The client says when its timed window starts, so the fleet process can count its own CPU for that window. */
type LoadMessage = { type: 'start' } | ({ type: 'result' } & LoadResult);
type Measured = LoadResult & { serverCpuMs: number };

if (process.argv[2] === 'client') {
  process.once('message', (request: LoadRequest) => {
    void runLoad(request).then((result) => {
      process.send?.({ type: 'result', ...result } satisfies LoadMessage);
      process.disconnect?.();
    });
  });
} else {
  await main();
}

async function main(): Promise<void> {
  global.gc?.();
  const heapBefore = process.memoryUsage();
  const started = performance.now();
  const fleet = await startFleet({ routers: generateRouters({ count: ROUTERS, tunnelsPerRouter: 2 }) });
  const startSeconds = (performance.now() - started) / 1000;
  try {
    // Touch every router once (render its ipsec SAs) so lazily built state is counted in the memory figure.
    for (const router of fleet.all()) router.run('show crypto ipsec sa');
    global.gc?.();
    const heapAfter = process.memoryUsage();
    const cpuBefore = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idle = process.cpuUsage(cpuBefore);
    const idleCpuPercent = ((idle.user + idle.system) / 1e6 / IDLE_SECONDS) * 100;

    const routers = fleet.routers;
    const logins = await load({ mode: 'logins', routers, seconds: SECONDS, concurrency: CONCURRENCY });
    const commands = await load({ mode: 'commands', routers, seconds: SECONDS, concurrency: CONCURRENCY });
    const perRouter = (field: 'rss' | 'heapUsed') =>
      ((heapAfter[field] - heapBefore[field]) / ROUTERS / 1024).toFixed(1);
    const loginsPerSecond = logins.completed / logins.seconds;
    const loginCpuMs = logins.serverCpuMs / Math.max(1, logins.completed);
    const commandCpuMs = commands.serverCpuMs / Math.max(1, commands.completed);
    const rows: [string, string, string][] = [
      ['routers held by one process', String(fleet.routers.length), '10000'],
      ['start-up (listen on every port)', `${startSeconds.toFixed(1)} s`, ''],
      ['memory per router (RSS)', `${perRouter('rss')} KiB`, ''],
      ['memory per router (JS heap)', `${perRouter('heapUsed')} KiB`, ''],
      [`CPU while idle (${IDLE_SECONDS} s)`, `${idleCpuPercent.toFixed(1)} %`, '~0 (no timers)'],
      [
        `logins/s (connect+password+close, ${CONCURRENCY} parallel)`,
        `${loginsPerSecond.toFixed(0)} (${logins.failed} failed)`,
        `≥ ${TARGET_LOGINS_PER_SECOND}`,
      ],
      [
        'sim CPU per login',
        `${loginCpuMs.toFixed(2)} ms (${(1000 / loginCpuMs).toFixed(0)}/s per free core)`,
        '',
      ],
      [
        `commands/s (show crypto ipsec sa, ${CONCURRENCY} shells)`,
        `${(commands.completed / commands.seconds).toFixed(0)} (${commands.failed} failed)`,
        '',
      ],
      [
        'sim CPU per command',
        `${commandCpuMs.toFixed(2)} ms (${(1000 / commandCpuMs).toFixed(0)}/s per free core)`,
        '',
      ],
      [
        'machine load average (1 min)',
        loadavg()[0]!.toFixed(1),
        `≤ ${availableParallelism()} for clean numbers`,
      ],
    ];
    printTable(['bench/sim', 'measured', 'target'], rows);
    if (loginsPerSecond < TARGET_LOGINS_PER_SECOND) {
      process.stdout.write(
        `below target: ${loginsPerSecond.toFixed(0)} logins/s < ${TARGET_LOGINS_PER_SECOND}\n`,
      );
    }
  } finally {
    await fleet.close();
  }
}

/** Runs one load phase in a child process (its own event loop and CPU) against this process's fleet. */
async function load(request: LoadRequest): Promise<Measured> {
  const child = fork(fileURLToPath(import.meta.url), ['client']);
  const exited = once(child, 'exit');
  let cpuAtStart = process.cpuUsage();
  const result = new Promise<Measured>((resolve) => {
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'start') cpuAtStart = process.cpuUsage();
      else {
        const cpu = process.cpuUsage(cpuAtStart);
        resolve({ ...message, serverCpuMs: (cpu.user + cpu.system) / 1000 });
      }
    });
  });
  child.send(request);
  const measured = await Promise.race([
    result,
    exited.then(([code]) => {
      throw new Error(`load client exited with ${code} before reporting`);
    }),
  ]);
  await exited;
  return measured;
}

async function runLoad({ mode, routers, seconds, concurrency }: LoadRequest): Promise<LoadResult> {
  let completed = 0;
  let failed = 0;
  if (mode === 'logins') {
    let next = 0;
    process.send?.({ type: 'start' } satisfies LoadMessage);
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const loop = async () => {
      while (performance.now() < deadline) {
        const router = routers[next++ % routers.length]!;
        try {
          (await login(router)).end();
          completed++;
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return { completed, failed, seconds: (performance.now() - started) / 1000 };
  }
  // Commands: open the shells first (untimed), then run `show crypto ipsec sa` on all of them for `seconds`.
  const shells = (
    await Promise.all(routers.slice(0, concurrency).map((router) => openShell(router).catch(() => null)))
  ).filter((shell) => shell !== null);
  failed += concurrency - shells.length;
  process.send?.({ type: 'start' } satisfies LoadMessage);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    shells.map(async (shell) => {
      while (performance.now() < deadline) {
        const output = await shell.send('show crypto ipsec sa');
        if (output.includes('current_peer')) completed++;
        else failed++;
      }
      shell.close();
    }),
  );
  return { completed, failed, seconds: (performance.now() - started) / 1000 };
}

/** A privileged shell with paging off; `send` resolves with the output up to the next prompt. */
async function openShell(router: RouterAccess) {
  const client = await login(router);
  const stream = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
    client.shell({ term: 'vt100' }, (error, channel) => (error ? reject(error) : resolve(channel))),
  );
  const prompt = `${router.name}#`;
  let buffer = '';
  let waiter: ((text: string) => void) | null = null;
  stream.on('data', (data: Buffer) => {
    buffer += data.toString('latin1');
    if (waiter && buffer.endsWith(prompt)) {
      const done = waiter;
      waiter = null;
      done(buffer);
    }
  });
  const send = (line: string) =>
    new Promise<string>((resolve) => {
      buffer = '';
      waiter = resolve;
      stream.write(`${line}\r`);
    });
  await send(`enable\r${router.enableSecret}`);
  await send(router.platform === 'asa' ? 'terminal pager 0' : 'terminal length 0');
  return { send, close: () => client.end() };
}

function login(router: RouterAccess): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    // Nagle would add ~40 ms per round trip of the handshake (STACK.md): the socket goes out with NODELAY.
    const sock = connect(router.port, router.host);
    sock.setNoDelay(true);
    client.connect({
      sock,
      username: router.username,
      password: router.password,
      readyTimeout: 10_000,
      // Pin the fleet's advertised key: a benchmark is no excuse to skip host-key checks.
      hostVerifier: (key: Buffer) => `ssh-ed25519 ${key.toString('base64')}` === router.hostKey,
    });
  });
}

function printTable(header: [string, string, string], rows: [string, string, string][]): void {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(
    `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`,
  );
}
