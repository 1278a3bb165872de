// The lab's footprint (issue 20): how long `filerlab run` takes from process start to a lab serving its
// clients, how much CPU an idle lab paced at 1x costs (a classroom laptop must stay cool), and the
// resident memory after 10 virtual minutes of ha-pair and of cluster-4 (so the cost of each added filer).
// Whole processes: wall time from here, CPU and peak memory as each reports them at exit
// (FILERLAB_REPORT_USAGE, bin/filerlab.mjs); medians of a few runs. Figures only: nothing is asserted.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../server/renderer-build.ts';

export interface FootprintBench {
  /** Median wall seconds of `filerlab run ha-pair --for 1s` (the lab serves from its first virtual second). */
  readonly startToServingSeconds: number;
  /** CPU share of one core that a paced 1x ha-pair costs, its start-up taken out (0..1). */
  readonly idleCpuShareAt1x: number;
  /** Peak resident memory (MB) of a process that ran the lab for 10 virtual minutes. */
  readonly residentMb: Readonly<Record<string, number>>;
  /** (cluster-4 − ha-pair) / 2: the memory each added filer costs. */
  readonly residentMbPerAddedFiler: number;
}

const CLI = join(REPO_ROOT, 'bin', 'filerlab.mjs');

interface Timed { readonly real: number; readonly cpu: number; readonly maxRssKb: number }

/** One whole `filerlab` process: its wall seconds, CPU seconds and peak resident memory. */
function timeCli(args: readonly string[]): Timed {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, FILERLAB_REPORT_USAGE: '1' }, timeout: 900_000 });
  const real = (performance.now() - started) / 1000;
  const usage = /filerlab-usage maxrss=(\d+) cpu=(\d+)/.exec(result.stderr ?? '');
  if (!usage) throw new Error(`filerlab ${args.join(' ')} reported no usage (exit ${result.status}): ${(result.stderr ?? '').slice(-300)}`);
  return { real, cpu: Number(usage[2]) / 1e6, maxRssKb: Number(usage[1]) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function runFootprintBench(runs = 3): FootprintBench {
  const start = median(Array.from({ length: runs }, () => timeCli(['run', 'ha-pair', '--for', '1s', '--json']).real));
  // Two paced runs, 10 s and 40 s of 1x: the difference is 30 s of an idle lab without the start-up.
  const short = timeCli(['run', 'ha-pair', '--for', '10s', '--speed', '1', '--json']);
  const long = timeCli(['run', 'ha-pair', '--for', '40s', '--speed', '1', '--json']);
  const idle = Math.max(0, (long.cpu - short.cpu) / Math.max(1, long.real - short.real));
  const residentMb: Record<string, number> = {};
  for (const lab of ['ha-pair', 'cluster-4']) residentMb[lab] = Math.round(timeCli(['run', lab, '--for', '10m', '--json']).maxRssKb / 1024);
  return { startToServingSeconds: start, idleCpuShareAt1x: idle, residentMb, residentMbPerAddedFiler: Math.round(((residentMb['cluster-4'] ?? 0) - (residentMb['ha-pair'] ?? 0)) / 2) };
}

export function formatFootprintBench(result: FootprintBench): string {
  return [
    'footprint: whole `filerlab run` processes, medians',
    `  start to serving, headless (run ha-pair --for 1s): ${result.startToServingSeconds.toFixed(2)} s wall (target: under 1 s)`,
    `  idle lab paced at 1x (ha-pair, its clients running): ${(result.idleCpuShareAt1x * 100).toFixed(1)}% of a core (target: under 3%)`,
    ...Object.entries(result.residentMb).map(([lab, mb]) => `  peak resident memory, ${lab} for 10 virtual min: ${mb} MB${lab === 'ha-pair' ? ' (target: under 200 MB)' : ''}`),
    `  each added filer (cluster-4 − ha-pair, / 2): ${result.residentMbPerAddedFiler} MB`,
  ].join('\n');
}
