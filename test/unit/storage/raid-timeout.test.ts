// Issue 18: the timeouts that shut a filer down after hours. Degraded with no spare, the filer warns every
// hour and halts after `options raid.timeout` hours; with a partner the halt is a takeover. An NVRAM
// battery low with no takeover possible does the same. An hour of lab time is too long for the
// committed-scripts suite (test/scripts), so these scripts run here with their own time limit.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runLabScript } from '../lab/lab-script-runner.ts';

/** Runs a slow script and expects every one of its `expected` expectations to pass. */
async function expectScriptPasses(name: string, expected: number): Promise<void> {
  const { code, stderr, document } = await runLabScript(fileURLToPath(new URL(`../../slow-scripts/${name}`, import.meta.url)));
  expect(document.expectations.failed).toEqual([]);
  expect(document.violations).toEqual([]);
  expect(document.expectations.passed).toBe(expected);
  expect(stderr).toBe('');
  expect(code).toBe(0);
}

describe('raid.timeout', () => {
  it('a group degraded with no spare warns hourly, then the filer halts and its partner takes over', async () => {
    await expectScriptPasses('raid-timeout-takeover.script', 7);
  }, 600_000);

  it('an NVRAM battery low with cluster failover disabled is warned about hourly, then the filer shuts down', async () => {
    await expectScriptPasses('nvram-battery-cf-disabled.script', 8);
  }, 600_000);
});
