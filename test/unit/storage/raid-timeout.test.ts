// Issue 18: degraded with no spare, the filer warns every hour and halts after `options raid.timeout`
// hours; with a partner the halt is a takeover. An hour of lab time with four clients is too long for
// the committed-scripts suite (test/scripts), so this one script runs here with its own time limit.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runLabScript } from '../lab/lab-script-runner.ts';

const SCRIPT = fileURLToPath(new URL('../../slow-scripts/raid-timeout-takeover.script', import.meta.url));
const BATTERY_SCRIPT = fileURLToPath(new URL('../../slow-scripts/nvram-battery-cf-disabled.script', import.meta.url));

describe('raid.timeout', () => {
  it('a group degraded with no spare warns hourly, then the filer halts and its partner takes over', async () => {
    const { code, stderr, document } = await runLabScript(SCRIPT);
    expect(document.expectations.failed).toEqual([]);
    expect(document.violations).toEqual([]);
    expect(document.expectations.passed).toBe(7);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 600_000);

  it('an NVRAM battery low with cluster failover disabled is warned about hourly, then the filer shuts down', async () => {
    const { code, stderr, document } = await runLabScript(BATTERY_SCRIPT);
    expect(document.expectations.failed).toEqual([]);
    expect(document.violations).toEqual([]);
    expect(document.expectations.passed).toBe(8);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 600_000);
});
