// CI fuzzing (issue 15): seeds 1..200 of ha-pair, each with its swarm fault schedule for 60 s of
// virtual time, on two child processes (about two minutes on two cores), then one seed in ten run
// twice more, which must end on the same trace hashes. Every seed must end with no
// failure except those listed in KNOWN_FAILING, which are named here on purpose, not hidden: each is
// a real fault the fuzzer found and nobody has fixed yet. A seed that starts failing fails this test
// (reproduce it with the `filerlab run` command printed); so does a listed seed that now passes
// (take it off the list, and put its shrunk schedule in test/scripts/reliability/ if the fix is yours).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../emulator/host/fuzz/campaign.ts';

const SEEDS = Array.from({ length: 200 }, (_, index) => index + 1);
const DURATION_US = 60_000_000;

/** Seeds of 1..200 still failing, and why (see the shrunk schedules with `filerlab fuzz --seeds S..S --shrink-runs 100`). */
const KNOWN_FAILING: Record<number, string> = {
  // None. Acknowledged writes wiped with an NVRAM on a low battery, every copy in it (the partner down
  // or unmirrored, the disks out of reach for a CP), are declared by the filer and counted as coverage
  // (`nvram.battery-loss-declared`), not failed: seeds 36, 52, 82, 97 and 190 reach it.
};

describe('fuzzing ha-pair in CI', () => {
  it('runs seeds 1..200 for 60 s with no failure but the known ones', async () => {
    const report = await runCampaign({
      lab: 'ha-pair', seeds: SEEDS, durationUs: DURATION_US, jobs: 2, checkDeterminism: false,
      outDir: mkdtempSync(join(tmpdir(), 'filerlab-fuzz-ci-')), shrinkRuns: 0,
    });
    expect(report.seeds).toBe(SEEDS.length);
    const failing = report.violations.map((seed) => seed.seed);
    const news = report.violations.filter((seed) => !(seed.seed in KNOWN_FAILING));
    expect(news.map((seed) => `seed ${seed.seed}: ${seed.failures[0]?.kind} ${seed.failures[0]?.detail ?? ''} — ${seed.command}`)).toEqual([]);
    expect(failing, 'a known failing seed now passes: take it off KNOWN_FAILING').toEqual(Object.keys(KNOWN_FAILING).map(Number));

    // Every seed reruns to the same trace hash: one in ten run again (twice each, in other processes).
    const sample = SEEDS.filter((seed) => seed % 10 === 0);
    const rerun = await runCampaign({
      lab: 'ha-pair', seeds: sample, durationUs: DURATION_US, jobs: 2, checkDeterminism: true,
      outDir: mkdtempSync(join(tmpdir(), 'filerlab-fuzz-ci-')), shrinkRuns: 0,
    });
    expect(rerun.violations.flatMap((seed) => seed.failures.filter((failure) => failure.kind === 'determinism').map((failure) => `seed ${seed.seed}: ${failure.detail}`))).toEqual([]);
    expect(sample.filter((seed) => rerun.traceHashes[seed] !== report.traceHashes[seed])).toEqual([]);
  }, 900_000);
});
