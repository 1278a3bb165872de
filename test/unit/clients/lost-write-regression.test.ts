// Issue 21, "Data": sw1 down and up, then client c1 stopped mid-write and started again, on ha-pair for
// 180 s. The committed script's expectations must hold (no lost write, no stale read, no violation).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/reliability/lost-write-after-switch-and-restart.script', import.meta.url));

describe('lost write after a switch outage and a client restart', () => {
  it('passes every expectation of its script on ha-pair, single placement, and exits 0', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCommand.run(['ha-pair', '--for', '180s', '--script', SCRIPT, '--json'], {
      stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, interactive: false,
    });
    expect(stderr).toBe('');
    const document = JSON.parse(stdout);
    expect(document.expectations).toEqual({ passed: 3, failed: [] });
    expect(document.violations).toEqual([]);
    for (const [name, figures] of Object.entries(document.clients as Record<string, { lostWrites: number; staleReads: number }>)) {
      expect({ name, lostWrites: figures.lostWrites, staleReads: figures.staleReads }).toEqual({ name, lostWrites: 0, staleReads: 0 });
    }
    expect(code).toBe(0);
  }, 60_000);
});
