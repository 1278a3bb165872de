// CI fuzzing of cluster-4 (issues 15 and 17): four nodes in two HA pairs, a shelf three of them share,
// vservers that move by priority; each seed with its swarm fault schedule for 60 s of virtual time on two
// child processes. Every seed must end with no failure: no split brain, no takeover of a live partner,
// every vserver served after the quiet phase, no lost write. Fewer seeds than ha-pair (a cluster-4 run
// costs about four ha-pair runs).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../emulator/host/fuzz/campaign.ts';

const SEEDS = Array.from({ length: 40 }, (_, index) => index + 1);
const DURATION_US = 60_000_000;

describe('fuzzing cluster-4 in CI', () => {
  it('runs seeds 1..40 for 60 s with no failure', async () => {
    const report = await runCampaign({
      lab: 'cluster-4', seeds: SEEDS, durationUs: DURATION_US, jobs: 2, checkDeterminism: false,
      outDir: mkdtempSync(join(tmpdir(), 'filerlab-fuzz-ci-')), shrinkRuns: 0,
    });
    expect(report.seeds).toBe(SEEDS.length);
    expect(report.violations.map((seed) => `seed ${seed.seed}: ${seed.failures[0]?.kind} ${seed.failures[0]?.detail ?? ''} — ${seed.command}`)).toEqual([]);
  }, 900_000);
});
