/**
 * Parser throughput: generated outputs of 1, 100 and 2,000 peers per command, parsed single-threaded.
 * Prints MB/s (10^6 bytes) per second of CPU time and of wall time, lines/s and heap per case, next to the
 * ~6 MB/s the issue reports for a TextFSM template on this machine kind (that figure is quoted, not measured).
 *
 * Ends with the target, ≥ 120 MB/s of CPU time on the 2,000-peer `show crypto ipsec sa`, and whether
 * this run met it, next to a bare line scan of the same text measured in the same process (how fast this
 * machine is right now: on a loaded machine every figure drops together).
 *
 * Run: npm run bench:parser -w bench   (needs `npx turbo run build --filter=@tunnelwatch/parser` first)
 *      BENCH_PARSER_COMMAND="show crypto ipsec sa" … runs the cases of one command only;
 *      BENCH_PARSER_MODULE=/path/to/parser/dist/index.js … measures another build (before/after comparisons).
 *      That build's directory needs a package.json with "type": "module" (copy packages/parser/package.json):
 *      without one, tsx recompiles it to CommonJS, where every call between its files goes through an export
 *      getter, and it measures ~2x slower than the same code as ESM.
 */
import os from 'node:os';
import type { parse as Parse } from '@tunnelwatch/parser';
import { GENERATORS } from './parser-outputs.js';

const PEERS = [1, 100, 2000];
const TEXTFSM_MB_PER_S = 6;
const TARGET = { command: 'show crypto ipsec sa', peers: 2000, mbPerS: 120 };
/** Each case is timed in ROUNDS rounds of at least ROUND_MS (after warm-up); the median round is reported. */
const ROUNDS = 7;
const ROUND_MS = 150;
const only = process.env.BENCH_PARSER_COMMAND;
const { parse }: { parse: typeof Parse } = await import(
  process.env.BENCH_PARSER_MODULE ?? '@tunnelwatch/parser'
);

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

/** Runs `work` for at least ROUND_MS (and 3 times); CPU and wall seconds per run. */
function timeRound(work: () => unknown): { cpuSeconds: number; wallSeconds: number } {
  let runs = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < ROUND_MS || runs < 3) {
    work();
    runs++;
    elapsedMs = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6 / runs, wallSeconds: elapsedMs / 1000 / runs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** Finds every line's bounds with indexOf and nothing else: the floor any line parser pays on this text. */
function lineScan(text: string): number {
  let lines = 0;
  for (let pos = text.indexOf('\n'); pos >= 0; pos = text.indexOf('\n', pos + 1)) lines++;
  return lines;
}

function measure(command: string, peers: number, text: string): Row {
  const bytes = Buffer.byteLength(text);
  const lines = text.split('\n').length;
  // Warm up so the JIT has compiled the parser before timing.
  const warmUntil = performance.now() + 500;
  for (let i = 0; i < 20 || performance.now() < warmUntil; i++) parse(command, text);

  // CPU time of this process as well as wall time: on a shared machine the wall clock mostly measures the
  // other processes. The median of several rounds, so one round slowed down by a neighbour does not decide.
  const cpuPerParse: number[] = [];
  const wallPerParse: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { cpuSeconds, wallSeconds } = timeRound(() => parse(command, text));
    cpuPerParse.push(cpuSeconds);
    wallPerParse.push(wallSeconds);
  }
  const cpuSeconds = median(cpuPerParse);
  const seconds = median(wallPerParse);

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
    mbPerS: bytes / 1e6 / cpuSeconds,
    wallMbPerS: bytes / 1e6 / seconds,
    linesPerS: lines / cpuSeconds,
    heapPeakMb: peak / 1e6,
    heapRetainedMb: retained / 1e6,
    warnings: result?.warnings.length ?? -1,
  };
}

const rows: Row[] = [];
let scanMbPerS = 0;
for (const { command, generate } of GENERATORS) {
  if (only && command !== only) continue;
  for (const peers of PEERS) {
    const text = generate(peers);
    rows.push(measure(command, peers, text));
    if (command === TARGET.command && peers === TARGET.peers) {
      const rounds = Array.from({ length: ROUNDS }, () => timeRound(() => lineScan(text)).cpuSeconds);
      scanMbPerS = Buffer.byteLength(text) / 1e6 / median(rounds);
    }
  }
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

const target = rows.find((r) => r.command === TARGET.command && r.peers === TARGET.peers);
if (target) {
  const met = target.mbPerS >= TARGET.mbPerS;
  process.stdout.write(
    `\nTarget (issue 3): ≥ ${TARGET.mbPerS} MB/s of CPU time on ${TARGET.command}, ${TARGET.peers} peers. ` +
      `This run: ${fmt(target.mbPerS)} MB/s → ${met ? 'MET' : 'NOT MET'}. ` +
      `A bare line scan (indexOf) of the same text: ${fmt(scanMbPerS, 0)} MB/s of CPU in this process ` +
      `(the parser at ${fmt((100 * target.mbPerS) / scanMbPerS)}% of it).\n`,
  );
}

if (rows.some((r) => r.warnings !== 0)) {
  process.stderr.write(
    'generated output produced parser warnings: the benchmark input is not what the parser reads\n',
  );
  process.exitCode = 1;
}
