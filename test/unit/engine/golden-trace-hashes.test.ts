// The pinned trace hashes of test/golden/trace-hashes.json: each lab run there, for its duration with
// its seed in single placement, must give the pinned hash. Updating a pin is a deliberate act: the
// JSON file's comment says how, and the commit that does it says why the trace changed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';

interface GoldenRun { readonly lab: string; readonly seed: number; readonly for: string; readonly traceHash: string }

const GOLDEN_FILE = new URL('../../golden/trace-hashes.json', import.meta.url);
const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as { runs: GoldenRun[] };

describe('golden trace hashes (test/golden/trace-hashes.json)', () => {
  it.each(golden.runs)('$lab, seed $seed, for $for', async (run) => {
    let stdout = '';
    let stderr = '';
    const code = await runCommand.run([run.lab, '--seed', String(run.seed), '--for', run.for, '--json'], {
      stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, interactive: false,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { traceHash } = JSON.parse(stdout) as { traceHash: string };
    expect(traceHash, `${run.lab} seed ${run.seed} for ${run.for} now gives ${traceHash}: if the change is deliberate, update test/golden/trace-hashes.json and say why in the commit`).toBe(run.traceHash);
  });
});
