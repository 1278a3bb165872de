// Proof that the fuzzer bites: the filer behaviour broken on purpose (emulator/host/fuzz/sabotage.ts),
// and a seed that runs clean on the real code (run.test.ts) fails on the broken one, with the failure
// the sabotage should cause.
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../emulator/host/fuzz/simulate.ts';

const DURATION_US = 60_000_000;

describe('sabotages are caught', () => {
  it('filerB acknowledging NVRAM mirror entries it does not keep: acknowledged writes lost after a takeover', async () => {
    const result = await runSeed({ lab: 'ha-pair', seed: 20, durationUs: DURATION_US, sabotage: 'mirror-ack-without-store' });
    expect(result.failures.map((failure) => failure.kind)).toContain('lost-writes');
    expect(result.failures.some((failure) => failure.kind === 'violation' && failure.detail.includes('lost-write'))).toBe(true);
    // Invariant 6 sees it long before the takeover: filerB acks entries it never holds.
    expect(result.failures.some((failure) => failure.kind === 'violation' && failure.detail.includes('(invariant 6)') && failure.atMs < 5000)).toBe(true);
  });

  it('filerB forgetting to replay filerA\'s NVRAM half at takeover: acknowledged writes lost', async () => {
    const result = await runSeed({ lab: 'ha-pair', seed: 20, durationUs: DURATION_US, sabotage: 'replay-skipped' });
    expect(result.failures.map((failure) => failure.kind)).toContain('lost-writes');
  });

  it('filerB registering on filerA\'s disks instead of preempting them at takeover: split brain', async () => {
    // Seed 44 runs clean on the real code (the 200-seed CI fuzz); only there does filerA live on unfenced.
    const result = await runSeed({ lab: 'ha-pair', seed: 44, durationUs: DURATION_US, sabotage: 'preempt-skipped' });
    expect(result.failures.map((failure) => failure.kind)).toContain('split-brain');
  });

  it('filerB judging filerA by the interconnect alone: it takes over a live filerA (invariant 7)', async () => {
    // A sparse swarm (density 0.12) leaves the quiet stretch where only the interconnect is lost; seed 71
    // runs clean on the real code (all of 1..200 at that density do).
    const clean = await runSeed({ lab: 'ha-pair', seed: 71, durationUs: DURATION_US, density: 0.12 });
    expect(clean.failures).toEqual([]);
    const result = await runSeed({ lab: 'ha-pair', seed: 71, durationUs: DURATION_US, density: 0.12, sabotage: 'interconnect-only' });
    expect(result.failures.some((failure) => failure.kind === 'violation' && failure.detail.includes('invariant 7'))).toBe(true);
  });
});
