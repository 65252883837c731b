/**
 * Parser throughput: generated outputs of 1, 100 and 2,000 peers per command, parsed single-threaded.
 * Prints MB/s (10^6 bytes) per second of CPU time and of wall time, lines/s and heap per case, next to the
 * ~6 MB/s the issue reports for a TextFSM template on this machine kind (that figure is quoted, not measured).
 *
 * Run: npm run bench:parser -w bench   (needs `npx turbo run build --filter=@tunnelwatch/parser` first)
 */
import os from 'node:os';
import { parse } from '@tunnelwatch/parser';
import { GENERATORS } from './parser-outputs.js';

const PEERS = [1, 100, 2000];
const TEXTFSM_MB_PER_S = 6;
/** Run each case at least this long (after warm-up) so the timing is not noise. */
const MIN_MS = 400;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('run with --expose-gc for heap figures (npm run bench:parser does)\n');
}

function heapUsed(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

type Row = {
  command: string;
  peers: number;
  bytes: number;
  lines: number;
  /** Per second of this process's CPU time. */
  mbPerS: number;
  wallMbPerS: number;
  linesPerS: number;
  heapPeakMb: number;
  heapRetainedMb: number;
  warnings: number;
};

function measure(command: string, peers: number, text: string): Row {
  const bytes = Buffer.byteLength(text);
  const lines = text.split('\n').length;
  // Warm up so the JIT has compiled the parser before timing.
  const warmUntil = performance.now() + 500;
  for (let i = 0; i < 20 || performance.now() < warmUntil; i++) parse(command, text);

  // CPU time of this process as well as wall time: on a shared machine the wall clock mostly measures the
  // other processes.
  let iterations = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < MIN_MS || iterations < 5) {
    parse(command, text);
    iterations++;
    elapsedMs = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const seconds = elapsedMs / 1000;

  // Heap: the growth during one parse without collecting (an upper bound of the working set, including
  // garbage not yet collected), and what the result keeps once garbage is collected.
  const before = heapUsed();
  const result = parse(command, text);
  const peak = process.memoryUsage().heapUsed - before;
  const retained = heapUsed() - before;

  return {
    command,
    peers,
    bytes,
    lines,
    mbPerS: (bytes * iterations) / 1e6 / cpuSeconds,
    wallMbPerS: (bytes * iterations) / 1e6 / seconds,
    linesPerS: (lines * iterations) / cpuSeconds,
    heapPeakMb: peak / 1e6,
    heapRetainedMb: retained / 1e6,
    warnings: result?.warnings.length ?? -1,
  };
}

const rows: Row[] = [];
for (const { command, generate } of GENERATORS) {
  for (const peers of PEERS) rows.push(measure(command, peers, generate(peers)));
}

const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const header =
  '| command | peers | input | lines | MB/s (CPU) | MB/s (wall) | lines/s (CPU) | vs TextFSM | heap Δ during parse | heap retained | warnings |';
const out = [header, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
for (const r of rows) {
  out.push(
    `| ${r.command} | ${r.peers} | ${fmt(r.bytes / 1e6, 3)} MB | ${r.lines} | ${fmt(r.mbPerS)} | ${fmt(r.wallMbPerS)} | ${fmt(r.linesPerS, 0)} | ${fmt(r.mbPerS / TEXTFSM_MB_PER_S)}× | ${fmt(r.heapPeakMb)} MB | ${fmt(r.heapRetainedMb)} MB | ${r.warnings} |`,
  );
}
process.stdout.write(`${out.join('\n')}\n`);
process.stdout.write(
  `\nNode ${process.version}, one thread, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}. ` +
    `MB = 10^6 bytes. TextFSM reference: ~${TEXTFSM_MB_PER_S} MB/s (issue 3, not measured here).\n`,
);

if (rows.some((r) => r.warnings !== 0)) {
  process.stderr.write(
    'generated output produced parser warnings: the benchmark input is not what the parser reads\n',
  );
  process.exitCode = 1;
}
