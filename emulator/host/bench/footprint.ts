// The lab's footprint (issue 20): how long `filerlab run` takes from process start to a lab serving its
// clients, and `filerlab serve` to its first answer; how much CPU an idle lab paced at 1x costs (a
// classroom laptop must stay cool: one process per placement, read from /proc once settled); the
// resident memory after 10 virtual minutes of ha-pair and of cluster-4 (so the cost of each added filer).
// Whole processes: wall time from here, CPU and peak memory as each reports them at exit
// (FILERLAB_REPORT_USAGE, bin/filerlab.mjs); medians of a few runs.
// The command runs its JavaScript build (dist/node, rebuilt here first when stale); the start and the
// memory are measured from the TypeScript sources through tsx too (FILERLAB_FROM_SOURCE), as reference.
// Figures only: nothing is asserted.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureRendererBuilt, REPO_ROOT } from '../server/renderer-build.ts';

/** How the command ran: its JavaScript build, or its sources through tsx. */
export type Loading = 'bundle' | 'source';
const LOADINGS: readonly Loading[] = ['bundle', 'source'];

export interface FootprintBench {
  /** Median wall seconds of `filerlab run ha-pair --for 1s` (the lab serves from its first virtual second). */
  readonly startToServingSeconds: Readonly<Record<Loading, number>>;
  /** Median CPU seconds (user + system) of the same runs: less at the mercy of a busy machine than wall time. */
  readonly startToServingCpuSeconds: Readonly<Record<Loading, number>>;
  /** Median wall seconds from starting `filerlab serve` to its page's first answer (the browser shell). */
  readonly serveToFirstAnswerSeconds: Readonly<Record<Loading, number>>;
  /** CPU share of one core that a paced 1x ha-pair costs, its start-up taken out (0..1), from the build (`single`). */
  readonly idleCpuShareAt1x: number;
  /** The same as the app runs it (`--placement workers`: on 2 cores the lab in a thread of its own). */
  readonly idleCpuShareAt1xWorkers: number;
  /** Peak resident memory (MB) of a process that ran the lab for 10 virtual minutes, from the build. */
  readonly residentMb: Readonly<Record<string, number>>;
  /** The same for ha-pair run from the sources (tsx compiles them in the process). */
  readonly residentMbFromSource: number;
  /** The same for ha-pair as the app runs it (`--placement workers`). */
  readonly residentMbWorkers: number;
  /** (cluster-4 − ha-pair) / 2: the memory each added filer costs. */
  readonly residentMbPerAddedFiler: number;
}

const CLI = join(REPO_ROOT, 'bin', 'filerlab.mjs');

interface Timed { readonly real: number; readonly cpu: number; readonly maxRssKb: number }

function environment(loading: Loading): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FILERLAB_REPORT_USAGE: '1' };
  if (loading === 'source') env.FILERLAB_FROM_SOURCE = '1';
  else delete env.FILERLAB_FROM_SOURCE;
  return env;
}

/** One whole `filerlab` process: its wall seconds, CPU seconds and peak resident memory. */
function timeCli(args: readonly string[], loading: Loading = 'bundle'): Timed {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: environment(loading), timeout: 900_000 });
  const real = (performance.now() - started) / 1000;
  const usage = /filerlab-usage maxrss=(\d+) cpu=(\d+)/.exec(result.stderr ?? '');
  if (!usage) throw new Error(`filerlab ${args.join(' ')} reported no usage (exit ${result.status}): ${(result.stderr ?? '').slice(-300)}`);
  return { real, cpu: Number(usage[2]) / 1e6, maxRssKb: Number(usage[1]) };
}

const SERVE_TIMEOUT_MS = 60_000;

/** Wall seconds from spawning `filerlab serve` to the first answer of the page it prints. */
async function timeServe(loading: Loading): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--no-open'], { env: environment(loading), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`filerlab serve printed no address within ${SERVE_TIMEOUT_MS} ms: ${output.slice(-300)}`)), SERVE_TIMEOUT_MS);
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const address = /is served at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (address) {
          clearTimeout(timer);
          resolve(address[1]!);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => reject(new Error(`filerlab serve exited (${code}) before serving: ${output.slice(-300)}`)));
    });
    const answer = await fetch(url);
    await answer.arrayBuffer();
    return (performance.now() - started) / 1000;
  } finally {
    child.kill('SIGTERM');
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Medians per loading, the runs of the two interleaved so that a busy moment hurts both alike. */
async function medians(runs: number, time: (loading: Loading) => number | Promise<number>): Promise<Record<Loading, number>> {
  const samples: Record<Loading, number[]> = { bundle: [], source: [] };
  for (let run = 0; run < runs; run += 1) for (const loading of LOADINGS) samples[loading].push(await time(loading));
  return { bundle: median(samples.bundle), source: median(samples.source) };
}

/** Builds dist/node when it is stale, so that the bundle figures are the bundle's. */
function ensureBundleBuilt(): void {
  const built = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-node.mjs'), '--if-stale'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  if (built.status !== 0) throw new Error(`scripts/build-node.mjs failed (exit ${built.status ?? built.signal})`);
}

type IdlePlacement = 'single' | 'workers';
const IDLE_PLACEMENTS: readonly IdlePlacement[] = ['single', 'workers'];
/** Wall seconds of 1x left to the start-up before the idle lab is measured, then how long it is measured. */
const IDLE_SETTLE_S = 15;
const IDLE_MEASURE_S = 30;
const IDLE_ROUNDS = 3;

/**
 * The CPU share of a paced 1x ha-pair, single and as the app runs it: medians of IDLE_ROUNDS rounds, the
 * two placements side by side in each (together they take ~5 % of one core, so neither slows the other).
 * Each is one process read from /proc over IDLE_MEASURE_S once it settled: two processes of different
 * lengths, whose difference was used before, each had their own start-up cost, which varied by more
 * than the idle lab's whole difference between placements. Elsewhere than Linux, that older way.
 */
async function idleShares(): Promise<Record<IdlePlacement, number>> {
  const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
  if (!existsSync('/proc/self/stat') || !(ticksPerSecond > 0)) {
    return { single: idleShareByDifference('single'), workers: idleShareByDifference('workers') };
  }
  const samples: Record<IdlePlacement, number[]> = { single: [], workers: [] };
  for (let round = 0; round < IDLE_ROUNDS; round++) {
    const shares = await Promise.all(IDLE_PLACEMENTS.map((placement) => idleShareOfOneProcess(placement, ticksPerSecond)));
    IDLE_PLACEMENTS.forEach((placement, index) => samples[placement].push(shares[index]));
  }
  return { single: median(samples.single), workers: median(samples.workers) };
}

/** The `filerlab` arguments of an idle lab: ha-pair paced at 1x for `seconds`. */
function idleRun(placement: IdlePlacement, seconds: number): string[] {
  return ['run', 'ha-pair', '--for', `${seconds}s`, '--speed', '1', '--placement', placement, '--json'];
}

/** CPU ticks (user + system, every thread) the process has used, from /proc/<pid>/stat. */
function cpuTicksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function idleShareOfOneProcess(placement: IdlePlacement, ticksPerSecond: number): Promise<number> {
  const child = spawn(process.execPath, [CLI, ...idleRun(placement, IDLE_SETTLE_S + IDLE_MEASURE_S + 5)], { env: environment('bundle'), stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const pid = child.pid;
    if (pid === undefined) throw new Error(`filerlab run (${placement}) did not start`);
    await sleep(IDLE_SETTLE_S * 1000);
    if (child.exitCode !== null) throw new Error(`filerlab run (${placement}) at 1x ended early (exit ${child.exitCode})`);
    const startTicks = cpuTicksOf(pid);
    const startedMs = performance.now();
    await sleep(IDLE_MEASURE_S * 1000);
    const ticks = cpuTicksOf(pid) - startTicks;
    return ticks / ticksPerSecond / ((performance.now() - startedMs) / 1000);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Two paced runs, 10 s and 40 s of 1x: the difference is 30 s of an idle lab without the start-up. */
function idleShareByDifference(placement: IdlePlacement): number {
  const short = timeCli(idleRun(placement, 10));
  const long = timeCli(idleRun(placement, 40));
  return Math.max(0, (long.cpu - short.cpu) / Math.max(1, long.real - short.real));
}

export async function runFootprintBench(runs = 3): Promise<FootprintBench> {
  ensureBundleBuilt();
  const uiError = ensureRendererBuilt(() => undefined);
  if (uiError) throw new Error(uiError);
  // One of each first, so that the disk cache is warm for both.
  timeCli(['run', 'ha-pair', '--for', '1s', '--json'], 'bundle');
  timeCli(['run', 'ha-pair', '--for', '1s', '--json'], 'source');
  const startRuns: Timed[] = [];
  const start = await medians(runs, (loading) => {
    const timed = timeCli(['run', 'ha-pair', '--for', '1s', '--json'], loading);
    startRuns.push(timed);
    return timed.real;
  });
  // medians() ran them bundle, source, bundle, source, …
  const startCpu = { bundle: median(startRuns.filter((_, index) => index % 2 === 0).map((run) => run.cpu)), source: median(startRuns.filter((_, index) => index % 2 === 1).map((run) => run.cpu)) };
  const serve = await medians(runs, timeServe);
  const { single: idle, workers: idleWorkers } = await idleShares();
  const residentMb: Record<string, number> = {};
  for (const lab of ['ha-pair', 'cluster-4']) residentMb[lab] = Math.round(timeCli(['run', lab, '--for', '10m', '--json']).maxRssKb / 1024);
  const residentMbFromSource = Math.round(timeCli(['run', 'ha-pair', '--for', '10m', '--json'], 'source').maxRssKb / 1024);
  const residentMbWorkers = Math.round(timeCli(['run', 'ha-pair', '--for', '10m', '--placement', 'workers', '--json']).maxRssKb / 1024);
  return {
    startToServingSeconds: start, startToServingCpuSeconds: startCpu, serveToFirstAnswerSeconds: serve,
    idleCpuShareAt1x: idle, idleCpuShareAt1xWorkers: idleWorkers, residentMb, residentMbFromSource, residentMbWorkers,
    residentMbPerAddedFiler: Math.round(((residentMb['cluster-4'] ?? 0) - (residentMb['ha-pair'] ?? 0)) / 2),
  };
}

export function formatFootprintBench(result: FootprintBench): string {
  const both = (figures: Readonly<Record<Loading, number>>) => `${figures.bundle.toFixed(2)} s wall built, ${figures.source.toFixed(2)} s from the sources (tsx)`;
  return [
    'footprint: whole `filerlab` processes, the JavaScript build (dist/node) unless said, medians',
    `  start to serving, headless (run ha-pair --for 1s): ${both(result.startToServingSeconds)} (target: under 1 s)`,
    `    CPU of those runs: ${both(result.startToServingCpuSeconds).replaceAll(' wall', ' CPU')}`,
    `  start to first answer, browser shell (serve): ${both(result.serveToFirstAnswerSeconds)}`,
    `  idle lab paced at 1x (ha-pair, its clients running): ${(result.idleCpuShareAt1x * 100).toFixed(1)}% of a core in single, ${(result.idleCpuShareAt1xWorkers * 100).toFixed(1)}% as the app runs it (workers) (target: under 3%)`,
    ...Object.entries(result.residentMb).map(([lab, mb]) => `  peak resident memory, ${lab} for 10 virtual min: ${mb} MB${lab === 'ha-pair' ? ` (target: under 200 MB; ${result.residentMbWorkers} MB as the app runs it (workers); ${result.residentMbFromSource} MB from the sources)` : ''}`),
    `  each added filer (cluster-4 − ha-pair, / 2): ${result.residentMbPerAddedFiler} MB`,
  ].join('\n');
}
