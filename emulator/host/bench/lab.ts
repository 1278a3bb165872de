// Benchmark of a whole lab (issue 3's target: ha-pair at 100x real time or more in `single`): runs the
// built-in lab from boot for a virtual duration in each placement, a few times, and prints the median
// virtual seconds per wall second, events per second and the process CPU time (a figure that a busy,
// shared machine disturbs less than wall time). The trace hashes must agree between placements.
// Figures only: nothing here asserts a timing.
import { performance } from 'node:perf_hooks';
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import { loadLabSources, openLab } from '../engine-lab-loader.ts';
import type { PlacementName } from '../engine-lab-loader.ts';

export interface LabBenchRow {
  readonly placement: PlacementName;
  readonly virtualSeconds: number;
  readonly runs: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly realTimeFactor: number;
  readonly eventsPerSecond: number;
  readonly traceHash: string;
  /** The first run in the process, while the code is still being compiled: shown apart. */
  readonly coldRealTimeFactor: number;
}

export interface LabBenchResult {
  readonly lab: string;
  readonly rows: LabBenchRow[];
}

async function runOnce(lab: string, placement: PlacementName, virtualSeconds: number): Promise<{ wall: number; cpu: number; events: number; hash: string }> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const opened = await openLab(loaded.sources, lab, { seed: 1, placement });
  if (!opened.ok) throw new Error(opened.errors.join('; '));
  try {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await opened.lab.runFor(virtualSeconds * MICROS_PER_SECOND);
    const wall = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    return { wall, cpu: (cpu.user + cpu.system) / 1e6, events: opened.lab.eventsHandled, hash: await opened.lab.traceHash() };
  } finally {
    await opened.lab.dispose();
  }
}

export async function runLabBench(lab: string, virtualSeconds: number, runs: number): Promise<LabBenchResult> {
  const rows: LabBenchRow[] = [];
  for (const placement of ['single', 'workers'] as const) {
    // One warm-up run first: a long lab runs warm for all but its first seconds, and that steady
    // state is what the target is about. The cold figure is printed beside it.
    const cold = await runOnce(lab, placement, virtualSeconds);
    const samples = [];
    for (let run = 0; run < runs; run++) samples.push(await runOnce(lab, placement, virtualSeconds));
    samples.sort((left, right) => left.wall - right.wall);
    const middle = samples[Math.floor(samples.length / 2)];
    rows.push({
      placement, virtualSeconds, runs, wallSeconds: middle.wall, cpuSeconds: middle.cpu,
      realTimeFactor: virtualSeconds / middle.wall, eventsPerSecond: Math.round(middle.events / middle.wall), traceHash: middle.hash,
      coldRealTimeFactor: virtualSeconds / cold.wall,
    });
  }
  return { lab, rows };
}

export function formatLabBench(result: LabBenchResult): string {
  const first = result.rows[0];
  const lines = [`lab: ${result.lab} from boot for ${first.virtualSeconds} virtual s, median of ${first.runs} after one warm-up run (target: 100x real time in single)`];
  for (const row of result.rows) {
    lines.push(`  ${row.placement.padEnd(8)} ${row.realTimeFactor.toFixed(1).padStart(7)}x real time  ${row.wallSeconds.toFixed(2)} s wall  ${row.cpuSeconds.toFixed(2)} s CPU  ${String(row.eventsPerSecond).padStart(8)} events/s  trace ${row.traceHash}  (first, cold run: ${row.coldRealTimeFactor.toFixed(1)}x)`);
  }
  if (new Set(result.rows.map((row) => row.traceHash)).size > 1) lines.push('  TRACE HASHES DIFFER BETWEEN PLACEMENTS');
  return lines.join('\n');
}
