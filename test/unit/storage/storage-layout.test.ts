// Issue 18's layout commands (aggr create|add|offline|online|options, vol create|size|options, snap
// reserve|sched|create|restore, disk assign|remove|unfail|swap) on the ha-pair lab with eight spares on
// filerA (fixtures/ha-pair-spares.lab.yaml): the whole session compared line for line with
// storage-layout.transcript (docs/fidelity.md lists the shapes and their sources); then what survives a
// reboot, read back from the disks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { labConsole, typedSession } from '../console/lab-console.ts';

const LAB = fileURLToPath(new URL('./fixtures/ha-pair-spares.lab.yaml', import.meta.url));

export const LAYOUT_SESSION = [
  'aggr create', 'aggr create aggr1 -t raid_dp 3', 'aggr create aggr1 -r 20 3', 'aggr create aggr1 1', 'aggr create aggr0 3',
  'aggr create aggr1 -n 3', 'aggr create aggr1 -r 3 3', 'aggr status', 'aggr add aggr1', 'aggr add aggr1 -g rg0 2', 'aggr add aggr1 -d 0a.25 0a.26',
  'aggr status aggr1 -r', 'vol create vol3 aggr1', 'vol create vol3 aggr9 1g', 'vol create vol3 aggr1 10m', 'vol create vol3 aggr1 90g',
  'vol create vol3 aggr1 1g', 'df -A aggr1', 'df vol3', 'vol size vol3', 'vol size vol3 +512m', 'vol size vol3 -1g', 'vol size vol3 x',
  'df vol3', 'df -A aggr1', 'snap reserve vol3', 'snap reserve vol3 10', 'df vol3', 'snap sched vol3', 'snap sched vol3 0 2 6',
  'snap create vol3 nightly', 'snap restore -s nightly.0 vol3', 'vol options vol3 nosnap maybe', 'vol options vol3 nosnap on', 'vol options vol3',
  'aggr options aggr1 raidsize 2', 'aggr options aggr1 raidsize 4', 'aggr options aggr1 raidtype raid_dp', 'aggr options aggr1',
  'aggr offline aggr0', 'aggr offline aggr1', 'vol offline vol3', 'aggr offline aggr1', 'aggr status aggr1', 'df -A aggr1', 'aggr online aggr1',
  'vol online vol3', 'disk show -n', 'disk assign 0a.27 -s unowned', 'disk assign 0a.27 -s unowned -f', 'disk show -n', 'disk assign 0a.27 -o filerB',
  'disk assign all', 'disk assign 0a.27', 'disk remove 0a.16', 'disk remove 0a.28', 'aggr status -s', 'disk swap', 'disk unfail 0a.16',
];

function session(commands: readonly string[]): Promise<string> {
  return typedSession(LAB, 'filerA', commands);
}

describe('layout commands act on the storage model and print the product\'s shapes', () => {
  it('the whole session matches its transcript', async () => {
    const expected = readFileSync(new URL('./storage-layout.transcript', import.meta.url), 'utf8');
    const actual = await session(LAYOUT_SESSION);
    expect(actual.split('\n')).toEqual(expected.split('\n'));
  }, 120_000);

  it('an aggregate made with aggr create, its added RAID group, a new volume\'s size, reserve and options and an offline volume survive a reboot', async () => {
    const bench = await labConsole(LAB, 'filerA', 5);
    try {
      for (const command of ['aggr create aggr1 -r 3 3', 'aggr add aggr1 2', 'vol create vol3 aggr1 1g', 'vol size vol3 2g', 'snap reserve vol3 5', 'vol options vol3 nosnap on', 'vol offline vol1', 'cf disable']) {
        await bench.type(`${command}\r`, 0.5);
      }
      await bench.type('reboot -t 0\r', 90);
      expect(await bench.type('aggr status aggr1 -v\r')).toContain('RAID group /aggr1/plex0/rg1: normal');
      expect(await bench.type('vol status\r')).toMatch(/vol1 offline .*\n.*vol3 online/s);
      expect(await bench.type('vol size vol3\r')).toContain("Flexible volume 'vol3' has size 2g.");
      expect(await bench.type('snap reserve vol3\r')).toContain('current snapshot reserve is 5%');
      expect(await bench.type('vol options vol3\r')).toContain('nosnap=on');
    } finally {
      await bench.lab.dispose();
    }
  }, 180_000);

  it('a failed disk that reconstruction replaced is a spare again after disk unfail, and stays one after a reboot', async () => {
    const bench = await labConsole(LAB, 'filerA', 5);
    try {
      await bench.type('disk fail -i -f 0a.16\r', 150);
      expect(await bench.type('aggr status -r aggr0\r')).toContain('(normal)');
      await bench.type('priv set advanced\r');
      const unfail = await bench.type('disk unfail 0a.16\r', 2);
      expect(unfail).toContain('raid.disk.unfail.done:notice');
      expect(await bench.type('aggr status -s\r')).toMatch(/spare +0a\.16 .*\(not zeroed\)/);
      await bench.type('priv set\r');
      await bench.type('cf disable\r');
      await bench.type('reboot -t 0\r', 90);
      const after = await bench.type('sysconfig -r\r');
      expect(after).toMatch(/spare +0a\.16 /);
      expect(after).not.toContain('Broken disks');
    } finally {
      await bench.lab.dispose();
    }
  }, 180_000);
});
