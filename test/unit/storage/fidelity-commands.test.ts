// Issue 18's storage commands on the ha-pair lab: each command's whole output for a known lab state
// (filerA after 5 s, seed 3) compared line for line with storage-commands.transcript, which was read
// against the product's shapes (docs/fidelity.md); then what `vol offline` does to a client.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { clientFigures } from '../clients/lab-fixture.ts';
import { labConsole, typedSession } from '../console/lab-console.ts';

export const STORAGE_SESSION = [
  'storage show adapter', 'storage show adapter 0c', 'storage show shelf 0b.shelf2', 'storage show shelf -x', 'storage show',
  'fcstat link_status 0b', 'fcstat device_map 0a', 'fcstat', 'environment chassis', 'environment shelf', 'environment shelf 0a', 'environment shelf 9z',
  'disk show -o filerB', 'disk show -n', 'disk show -s', 'disk show -s 0101165001', 'sysconfig -d', 'aggr status -v', 'aggr status aggr0 -v',
  'vol status vol1 -r', 'sysconfig -r', 'snap list', 'snap list -A aggr0', 'snap list volX', 'df -g', 'df -m vol1', 'df -k vol1',
  'vol offline vol0', 'vol offline', 'vol offline vol1', 'vol status', 'snap list vol1', 'vol online vol1', 'vol online vol1',
];

/** Types each command of the session and returns the whole transcript, prompts included. */
function session(commands: readonly string[]): Promise<string> {
  return typedSession('ha-pair', 'filerA', commands);
}

describe('storage commands print the product\'s shapes from the lab\'s state', () => {
  it('the whole session matches its transcript', async () => {
    const expected = readFileSync(new URL('./storage-commands.transcript', import.meta.url), 'utf8');
    const actual = await session(STORAGE_SESSION);
    expect(actual.split('\n')).toEqual(expected.split('\n'));
  }, 120_000);

  it('vol offline makes the NFS client\'s handles stale until vol online; the loop pulled shows in storage show adapter', async () => {
    const bench = await labConsole('ha-pair', 'filerA', 5);
    try {
      const before = (await clientFigures(bench.lab)).c1;
      await bench.type('vol offline vol1\r', 5);
      const offline = (await clientFigures(bench.lab)).c1;
      expect(offline.opsFailed).toBeGreaterThan(before.opsFailed);
      await bench.type('vol online vol1\r', 0.5);
      const back = (await clientFigures(bench.lab)).c1;
      await bench.lab.runFor(5 * MICROS_PER_SECOND);
      expect((await clientFigures(bench.lab)).c1.opsOk).toBeGreaterThan(back.opsOk);
      expect(bench.lab.input({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false }).ok).toBe(true);
      await bench.lab.runFor(5 * MICROS_PER_SECOND);
      const adapter = await bench.type('storage show adapter 0a\r');
      expect(adapter).toContain('Link Data Rate:  N/A\n');
      expect(adapter).toContain('In Use:          No\n');
      expect(await bench.type('storage show adapter 0b\r')).toContain('Redundant:       No\n');
      expect(await bench.type('fcstat link_status 0a\r')).toContain('Targets on channel 0a:\n    Loop is down: no targets.\n');
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);
});
