// Benchmark of a whole lab (issue 20's targets: ha-pair at 500x real time in `single`, 100x in `workers`): runs the
// built-in lab from boot for a virtual duration in each placement, a few times, and prints the median
// virtual seconds per wall second, events per second and the process CPU time (a figure that a busy,
// shared machine disturbs less than wall time). The trace hashes must agree between placements.
// Figures only: nothing here asserts a timing.
import { performance } from 'node:perf_hooks';
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import type { ActorBehavior, BehaviorRegistry } from '../../engine/actor.ts';
import type { Lab } from '../../engine/lab.ts';
import type { LabSpec } from '../../engine/lab-spec.ts';
import { labThreadFor, loadLabSources, openLab, openLabSpec, workerThreads } from '../engine-lab-loader.ts';
import type { PlacementName } from '../engine-lab-loader.ts';

/** `workers` as the app runs it (threads by cores), and with one thread per filer whatever the cores. */
export type BenchPlacement = PlacementName | 'workers-per-filer';

export interface LabBenchRow {
  readonly placement: BenchPlacement;
  /** Worker threads the lab ran (0 in single). */
  readonly threads: number;
  /** The whole lab ran in one thread of its own (lab-thread.ts), not filers beside a conductor. */
  readonly labThread: boolean;
  readonly virtualSeconds: number;
  readonly runs: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly realTimeFactor: number;
  readonly eventsPerSecond: number;
  /** Windows that waited for a worker thread (0 in single): the same every run. */
  readonly barriers: number;
  readonly traceHash: string;
  /** The first run in the process, while the code is still being compiled: shown apart. */
  readonly coldRealTimeFactor: number;
  /** In a lab that has already run virtualSeconds (runningFactor): what a trainee's running lab gets. */
  readonly runningRealTimeFactor?: number;
}

/** The engine's own share of a single-placement run: wall time outside the behaviours' handle(). */
export interface EngineShare {
  readonly virtualSeconds: number;
  readonly wallSeconds: number;
  readonly engineSeconds: number;
  /** Virtual s per wall s the lab could reach if the behaviours cost nothing: the engine's ceiling. */
  readonly ceilingFactor: number;
}

export interface LabBenchResult {
  readonly lab: string;
  readonly rows: LabBenchRow[];
  readonly engineShare: EngineShare;
}

export interface TimedRun { wall: number; cpu: number; events: number; barriers: number; hash: string; threads: number; labThread: boolean }

async function openBenchLab(lab: string | LabSpec, benchPlacement: BenchPlacement, registry?: (loaded: BehaviorRegistry) => BehaviorRegistry): Promise<{ lab: Lab; threads: number; labThread: boolean }> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const sources = registry ? { ...loaded.sources, registry: registry(loaded.sources.registry) } : loaded.sources;
  const threadPerFiler = benchPlacement === 'workers-per-filer';
  const options = { seed: 1, placement: threadPerFiler ? 'workers' as const : benchPlacement, maxThreads: threadPerFiler ? Number.MAX_SAFE_INTEGER : undefined };
  const opened = typeof lab === 'string' ? await openLab(sources, lab, options) : await openLabSpec(sources, lab.name, lab, options);
  if (!opened.ok) throw new Error(opened.errors.join('; '));
  const filers = new Set(opened.lab.spec.actors.flatMap((actor) => actor.placementGroup === undefined ? [] : [actor.placementGroup])).size;
  const labThread = labThreadFor(options);
  const threads = benchPlacement === 'single' ? 0 : threadPerFiler ? filers : labThread ? 1 : Math.min(filers, workerThreads());
  return { lab: opened.lab, threads, labThread };
}

/** One run of a lab (a built-in name, or a spec) from boot for virtualSeconds, seed 1, timed. */
export async function runOnce(lab: string | LabSpec, benchPlacement: BenchPlacement, virtualSeconds: number, registry?: (loaded: BehaviorRegistry) => BehaviorRegistry): Promise<TimedRun> {
  const opened = await openBenchLab(lab, benchPlacement, registry);
  try {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await opened.lab.runFor(virtualSeconds * MICROS_PER_SECOND);
    const wall = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    return { wall, cpu: (cpu.user + cpu.system) / 1e6, events: opened.lab.eventsHandled, barriers: opened.lab.barriers, hash: await opened.lab.traceHash(), threads: opened.threads, labThread: opened.labThread };
  } finally {
    await opened.lab.dispose();
  }
}

/**
 * A lab that has run a while: after virtualSeconds of warm-up, `spans` more spans of virtualSeconds
 * each, timed one by one; the median x real time. Worker threads start with cold code in every new
 * lab, so a run from boot shows them at their slowest; a trainee's lab at max speed has been running.
 */
async function runningFactor(lab: string | LabSpec, benchPlacement: BenchPlacement, virtualSeconds: number, spans: number): Promise<number> {
  const opened = await openBenchLab(lab, benchPlacement);
  try {
    await opened.lab.runFor(virtualSeconds * MICROS_PER_SECOND);
    const factors: number[] = [];
    for (let span = 0; span < spans; span++) {
      const start = performance.now();
      await opened.lab.runFor(virtualSeconds * MICROS_PER_SECOND);
      factors.push(virtualSeconds / ((performance.now() - start) / 1000));
    }
    factors.sort((left, right) => left - right);
    return factors[Math.floor(factors.length / 2)];
  } finally {
    await opened.lab.dispose();
  }
}

/**
 * Every behaviour's handle() timed: what is left of the wall time is the engine's (scheduling, queues,
 * routing, the trace hash, windows). The two clock reads per event cost well under 1% here.
 */
function timedRegistry(registry: BehaviorRegistry, spent: { ms: number }): BehaviorRegistry {
  const timed: Record<string, ActorBehavior> = {};
  for (const [kind, behavior] of Object.entries(registry)) {
    const wrapper = Object.create(behavior) as ActorBehavior;
    wrapper.handle = (state, event, ctx) => {
      const start = performance.now();
      try {
        behavior.handle(state, event, ctx);
      } finally {
        spent.ms += performance.now() - start;
      }
    };
    timed[kind] = wrapper;
  }
  return timed;
}

async function engineShare(lab: string, virtualSeconds: number, runs: number): Promise<EngineShare> {
  const samples: EngineShare[] = [];
  for (let run = 0; run < runs; run++) {
    const spent = { ms: 0 };
    const { wall } = await runOnce(lab, 'single', virtualSeconds, (registry) => timedRegistry(registry, spent));
    const engineSeconds = Math.max(0, wall - spent.ms / 1000);
    samples.push({ virtualSeconds, wallSeconds: wall, engineSeconds, ceilingFactor: virtualSeconds / engineSeconds });
  }
  samples.sort((left, right) => left.engineSeconds - right.engineSeconds);
  return samples[Math.floor(samples.length / 2)];
}

/** `running`: also time a lab that has run virtualSeconds already (twice the virtual time again). */
export async function runLabBench(lab: string, virtualSeconds: number, runs: number, running = true): Promise<LabBenchResult> {
  const rows: LabBenchRow[] = [];
  // One thread per filer is measured apart only where the app would not run a pair so (too few cores).
  const perFiler = workerThreads() < 2;
  for (const placement of perFiler ? ['single', 'workers', 'workers-per-filer'] as const : ['single', 'workers'] as const) {
    // One warm-up run first: a long lab runs warm for all but its first seconds, and that steady
    // state is what the target is about. The cold figure is printed beside it.
    const cold = await runOnce(lab, placement, virtualSeconds);
    const samples = [];
    for (let run = 0; run < runs; run++) samples.push(await runOnce(lab, placement, virtualSeconds));
    samples.sort((left, right) => left.wall - right.wall);
    const middle = samples[Math.floor(samples.length / 2)];
    rows.push({
      placement, threads: middle.threads, labThread: middle.labThread, virtualSeconds, runs, wallSeconds: middle.wall, cpuSeconds: middle.cpu,
      realTimeFactor: virtualSeconds / middle.wall, eventsPerSecond: Math.round(middle.events / middle.wall), barriers: middle.barriers, traceHash: middle.hash,
      coldRealTimeFactor: virtualSeconds / cold.wall,
      runningRealTimeFactor: running ? await runningFactor(lab, placement, virtualSeconds, runs) : undefined,
    });
  }
  return { lab, rows, engineShare: await engineShare(lab, virtualSeconds, runs) };
}

export function formatLabBench(result: LabBenchResult): string {
  const first = result.rows[0];
  const lines = [`lab: ${result.lab} from boot for ${first.virtualSeconds} virtual s, median of ${first.runs} after one warm-up run (targets: 500x real time in single, 100x in workers)`];
  for (const row of result.rows) {
    lines.push(`  ${placementLabel(row).padEnd(30)} ${row.realTimeFactor.toFixed(1).padStart(7)}x real time  ${row.wallSeconds.toFixed(2)} s wall  ${row.cpuSeconds.toFixed(2)} s CPU  ${String(row.eventsPerSecond).padStart(8)} events/s  ${String(row.barriers).padStart(6)} barriers  trace ${row.traceHash}  (first, cold run: ${row.coldRealTimeFactor.toFixed(1)}x${row.runningRealTimeFactor === undefined ? '' : `; a running lab's next ${row.virtualSeconds} s: ${row.runningRealTimeFactor.toFixed(1)}x`})`);
  }
  const share = result.engineShare;
  lines.push(`  engine's own share in single: ${share.engineSeconds.toFixed(2)} s of ${share.wallSeconds.toFixed(2)} s wall (the rest is the behaviours: ONTAP, clients, hardware); the engine alone would run at ${share.ceilingFactor.toFixed(0)}x`);
  if (new Set(result.rows.map((row) => row.traceHash)).size > 1) lines.push('  TRACE HASHES DIFFER BETWEEN PLACEMENTS');
  return lines.join('\n');
}

/** `single`, `workers (lab in 1 thread)`, `workers (3 threads)`, `workers (2 threads, 1 a filer)`. */
export function placementLabel(row: Pick<LabBenchRow, 'placement' | 'threads' | 'labThread'>): string {
  if (row.placement === 'single') return 'single';
  if (row.labThread) return 'workers (lab in 1 thread)';
  const threads = `${row.threads} thread${row.threads === 1 ? '' : 's'}`;
  return row.placement === 'workers-per-filer' ? `workers (${threads}, 1 a filer)` : `workers (${threads})`;
}
