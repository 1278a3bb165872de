// The README's performance table (`npm run bench`): written between its markers only, from the lab and
// footprint benches' figures, beside the ONTAP simulator's needs; a README without the markers is refused.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FootprintBench } from '../../../emulator/host/bench/footprint.ts';
import type { LabBenchResult, LabBenchRow } from '../../../emulator/host/bench/lab.ts';
import { performanceTable, TABLE_BEGIN, TABLE_END, withTable } from '../../../emulator/host/bench/readme-table.ts';

function row(placement: LabBenchRow['placement'], realTimeFactor: number, cpuSeconds: number, threads = 0, labThread = false): LabBenchRow {
  return { placement, threads, labThread, virtualSeconds: 60, runs: 3, wallSeconds: 60 / realTimeFactor, cpuSeconds, realTimeFactor, eventsPerSecond: 1, barriers: 0, traceHash: '4da88a2d491d6482', coldRealTimeFactor: 1, runningRealTimeFactor: realTimeFactor * 2 };
}

const lab: LabBenchResult = {
  lab: 'ha-pair', rows: [row('single', 123.4, 0.61), row('workers', 61.2, 1.5, 1, true), row('workers-per-filer', 31.2, 2.5, 2)],
  engineShare: { virtualSeconds: 60, wallSeconds: 0.5, engineSeconds: 0.1, ceilingFactor: 600 },
};
const footprint: FootprintBench = {
  startToServingSeconds: { bundle: 0.47, source: 1.9 }, startToServingCpuSeconds: { bundle: 0.6, source: 2.4 },
  serveToFirstAnswerSeconds: { bundle: 0.5, source: 2 }, idleCpuShareAt1x: 0.0271, idleCpuShareAt1xWorkers: 0.0292,
  residentMb: { 'ha-pair': 171, 'cluster-4': 239 }, residentMbFromSource: 250, residentMbWorkers: 180, residentMbPerAddedFiler: 34,
};
const machine = { date: '2026-12-06', cores: 2, cpu: 'Test CPU', node: 'v20.0.0', load: 3.14 };

describe('the README performance table', () => {
  it('shows the figures, dated, beside the ONTAP simulator', () => {
    const table = performanceTable({ lab, footprint }, machine);
    expect(table).toContain('Measured 2026-12-06 on 2 cores (Test CPU, load average 3.1), Node v20.0.0');
    expect(table).toContain('| Memory for an HA pair | 171 MB resident');
    expect(table).toContain('(< 200 MB), 180 MB as the app runs it;');
    expect(table).toContain('each added filer 34 MB | about 5 GB RAM per node');
    expect(table).toContain('2.7% of one core in a single thread, 2.9% as the app runs it (< 3%) | 2 vCPUs per node');
    expect(table).toContain('| Start to serving | 0.47 s headless (< 1 s), 0.60 s of CPU | 10–20 minutes of disk initialisation |');
    expect(table).toContain('| Speed, single thread | 123x real time from boot (500x), 247x in a lab that has run a minute; 98 virtual s per CPU s |');
    expect(table).toContain('| Speed, worker threads as the app runs them (the whole lab in 1 thread here) | 61x real time from boot (100x), 122x in a lab that has run a minute; 40 virtual s per CPU s |');
    expect(table).toContain('| Speed, a thread per filer (2 threads here) | 31x real time from boot (100x), 62x in a lab that has run a minute; 24 virtual s per CPU s |');
  });

  it('replaces only what lies between the markers', () => {
    const readme = `# Title\n\n## Performance\n\nWords.\n\n${TABLE_BEGIN}\nold table\n${TABLE_END}\n\n## Next\n`;
    const replaced = withTable(readme, 'new table');
    expect(replaced).toEqual({ ok: true, text: `# Title\n\n## Performance\n\nWords.\n\n${TABLE_BEGIN}\nnew table\n${TABLE_END}\n\n## Next\n` });
    const again = withTable(replaced.ok ? replaced.text : '', 'newer table');
    expect(again.ok && again.text).toContain(`${TABLE_BEGIN}\nnewer table\n${TABLE_END}`);
    expect(again.ok && again.text).not.toContain('new table\n');
  });

  it('refuses a README without the markers', () => {
    expect(withTable('# Title\n', 'table')).toEqual({ ok: false, error: expect.stringContaining('no table markers') });
  });

  it('finds its markers in the project README', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    expect(withTable(readme, 'table').ok).toBe(true);
  });
});
