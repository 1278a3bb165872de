// `npm run bench` (filerlab bench lab footprint --readme): the README's performance section gets a dated
// table of the issue-20 figures beside what the ONTAP simulator needs (shared/reference/ontap.md: ~5 GB
// RAM and 2 vCPUs per node, 10–20 minutes of disk initialisation). The table sits between two marker
// comments; everything else in the README stays as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import type { FootprintBench } from './footprint.ts';
import type { LabBenchResult } from './lab.ts';

export const TABLE_BEGIN = '<!-- bench:begin (written by `npm run bench`) -->';
export const TABLE_END = '<!-- bench:end -->';

/** The benches whose figures the table shows: `--readme` runs them when they are not named. */
export const TABLE_BENCHES = ['lab', 'footprint'] as const;

export interface TableFigures {
  readonly lab: LabBenchResult;
  readonly footprint: FootprintBench;
}

/** Where and when the figures were taken: the table's heading. */
export interface Machine {
  readonly date: string;
  readonly cores: number;
  readonly cpu: string;
  readonly node: string;
  /** The 1-minute load average as the table is written: a shared machine slows wall-time figures. */
  readonly load: number;
}

export function thisMachine(now: Date): Machine {
  return { date: now.toISOString().slice(0, 10), cores: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? 'unknown CPU', node: process.version, load: loadavg()[0] ?? 0 };
}

export function performanceTable(figures: TableFigures, machine: Machine): string {
  const row = (placement: string) => figures.lab.rows.find((candidate) => candidate.placement === placement);
  const single = row('single');
  const workers = row('workers');
  const perFiler = row('workers-per-filer');
  const threads = (found: typeof single) => (!found ? '' : found.labThread ? ' (the whole lab in 1 thread here)' : ` (${found.threads} thread${found.threads === 1 ? '' : 's'} here)`);
  // Per CPU second too: on a busy machine the wall-time factor says more about the neighbours.
  const speed = (found: typeof single, target: string) => (found
    ? `${found.realTimeFactor.toFixed(0)}x real time from boot (${target})${found.runningRealTimeFactor === undefined ? '' : `, ${found.runningRealTimeFactor.toFixed(0)}x in a lab that has run a minute`}; ${(found.virtualSeconds / found.cpuSeconds).toFixed(0)} virtual s per CPU s`
    : 'not measured');
  const { footprint } = figures;
  const haPairMb = footprint.residentMb['ha-pair'];
  return [
    `Measured ${machine.date} on ${machine.cores} cores (${machine.cpu}, load average ${machine.load.toFixed(1)}), Node ${machine.node}; medians. Targets (issue 20) in brackets.`,
    '',
    '| | FilerLab | ONTAP simulator |',
    '|---|---|---|',
    `| Memory for an HA pair | ${haPairMb ?? '?'} MB resident after 10 virtual minutes of ha-pair, clients running (< 200 MB), ${footprint.residentMbWorkers} MB as the app runs it; each added filer ${footprint.residentMbPerAddedFiler} MB | about 5 GB RAM per node (4 GB panics) |`,
    `| Processors | one process; an idle ha-pair at 1x uses ${(footprint.idleCpuShareAt1x * 100).toFixed(1)}% of one core in a single thread, ${(footprint.idleCpuShareAt1xWorkers * 100).toFixed(1)}% as the app runs it (< 3%) | 2 vCPUs per node |`,
    `| Start to serving | ${footprint.startToServingSeconds.bundle.toFixed(2)} s headless (< 1 s), ${footprint.startToServingCpuSeconds.bundle.toFixed(2)} s of CPU | 10–20 minutes of disk initialisation |`,
    `| Speed, single thread | ${speed(single, '500x')} | |`,
    `| Speed, worker threads as the app runs them${threads(workers)} | ${speed(workers, '100x')} | |`,
    ...(perFiler ? [`| Speed, a thread per filer${threads(perFiler)} | ${speed(perFiler, '100x')} | |`] : []),
  ].join('\n');
}

/** The README's text with the table between the markers replaced; an error when the markers are missing. */
export function withTable(readme: string, table: string): { ok: true; text: string } | { ok: false; error: string } {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) return { ok: false, error: `no table markers (${TABLE_BEGIN} … ${TABLE_END}) in the README's performance section` };
  return { ok: true, text: `${readme.slice(0, begin + TABLE_BEGIN.length)}\n${table}\n${readme.slice(end)}` };
}

export function writeTable(readmePath: string, table: string): { ok: true } | { ok: false; error: string } {
  const replaced = withTable(readFileSync(readmePath, 'utf8'), table);
  if (!replaced.ok) return replaced;
  writeFileSync(readmePath, replaced.text);
  return { ok: true };
}
