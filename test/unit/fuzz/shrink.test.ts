// Shrinking: ddmin finds the lines a failure needs, within its run budget; on a real failing schedule
// (seed 20 with the mirror-ack sabotage) it keeps the failure and drops most of the schedule.
import { describe, expect, it } from 'vitest';
import { shrinkSeed } from '../../../emulator/host/fuzz/campaign.ts';
import { shrinkLines } from '../../../emulator/host/fuzz/shrink.ts';
import { scheduleFor } from '../../../emulator/host/fuzz/simulate.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

describe('shrinking', () => {
  it('reduces to the two lines a failure needs, and stops at its budget', async () => {
    const lines = Array.from({ length: 40 }, (_unused, index) => index);
    const fails = async (candidate: readonly number[]) => candidate.includes(7) && candidate.includes(31);
    const shrunk = await shrinkLines(lines, fails, 200);
    expect(shrunk.lines).toEqual([7, 31]);
    expect(shrunk.exhausted).toBe(false);
    const bounded = await shrinkLines(lines, fails, 3);
    expect(bounded.runs).toBe(3);
    expect(bounded.exhausted).toBe(true);
  });

  it('shrinks a failing fuzz schedule and keeps it failing', async () => {
    const durationUs = 60_000_000;
    const before = await scheduleFor('ha-pair', 20, durationUs);
    const shrunk = await shrinkSeed({ lab: 'ha-pair', durationUs, sabotage: 'mirror-ack-without-store', outDir: join(tmpdir(), 'filerlab-fuzz-test'), shrinkRuns: 8 }, 20, 'lost-writes:client c1');
    expect(shrunk.lines).toBeLessThan(before.faults.length / 2);
    expect(readFileSync(shrunk.path, 'utf8')).toContain('# Quiet phase');
  }, 120_000);
});
