// Snapshots in the WAFL layer (issue 18): on the ha-pair lab with spares (fixtures/ha-pair-spares.lab.yaml),
// a volume's file is written, a snapshot taken, the file overwritten, the snapshot read and restored,
// compared line for line with snapshots.transcript; then snapshots and a schedule read back after a
// reboot, and the schedule's rotation by the virtual clock.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { labConsole, typedSession } from '../console/lab-console.ts';

const LAB = fileURLToPath(new URL('./fixtures/ha-pair-spares.lab.yaml', import.meta.url));

export const SNAP_SESSION = [
  'snap create', 'snap create vol3 first', 'vol create vol3 aggr0 100m', 'snap sched vol3', 'snap list vol3',
  'wrfile -a /vol/vol3/notes first version', 'rdfile /vol/vol3/notes', 'snap create vol3 before', 'snap create vol3 before',
  'snap create vol3 bad/name', 'wrfile -a /vol/vol3/notes second version', 'snap list vol3', 'df vol3',
  'rdfile /vol/vol3/.snapshot/before/notes', 'rdfile /vol/vol3/notes', 'wrfile -a /vol/vol3/.snapshot/before/notes x',
  'snap rename vol3 before kept', 'snap rename vol3 before again', 'snap restore vol3', 'snap restore -t file -s kept /vol/vol3/notes',
  'snap restore -f -t vol -s nosuch vol3', 'snap restore -t vol -s kept vol3', 'n', 'snap restore -s kept vol3', 'y', 'y', 'rdfile /vol/vol3/notes', 'snap list vol3',
  'snap delete vol3 nosuch', 'snap delete vol3 kept', 'snap list vol3', 'df vol3', 'snap sched vol3 0 2 6@8,12,25', 'snap sched vol3 1 1 2@10,11',
  'snap sched vol3',
];

describe('snapshots keep a volume\'s tree as a CP wrote it', () => {
  it('the whole session matches its transcript', async () => {
    const expected = readFileSync(new URL('./snapshots.transcript', import.meta.url), 'utf8');
    const actual = await typedSession(LAB, 'filerA', SNAP_SESSION);
    expect(actual.split('\n')).toEqual(expected.split('\n'));
  }, 120_000);
});

describe('snapshots on disk', () => {
  it('a snapshot keeps the blocks an overwrite replaced (df .snapshot), and they are freed when it is deleted', async () => {
    const bench = await labConsole(LAB, 'filerA', 5);
    try {
      await bench.type('vol create vol3 aggr0 100m\r', 0.5);
      await bench.type(`wrfile -a /vol/vol3/big ${'a'.repeat(1000)}\r`, 0.5);
      await bench.type('snap create vol3 before\r', 0.5);
      for (let line = 0; line < 40; line++) await bench.type(`wrfile -a /vol/vol3/big ${'b'.repeat(1000)}\r`, 0.1);
      await bench.type('wrfile /vol/vol3/big\r', 0.2);
      await bench.type('\x03', 11);
      const df = await bench.type('df vol3\r');
      const snapUsed = Number(/\/vol\/vol3\/\.snapshot +\d+ +(\d+)/.exec(df)?.[1]);
      expect(snapUsed).toBeGreaterThanOrEqual(4);
      expect(await bench.type('rdfile /vol/vol3/.snapshot/before/big\r')).toContain('a'.repeat(1000));
      expect(await bench.type('rdfile /vol/vol3/big\r')).toBe('rdfile /vol/vol3/big\nfilerA> ');
      await bench.type('snap delete vol3 before\r', 11);
      expect(await bench.type('df vol3\r')).toMatch(/\/vol\/vol3\/\.snapshot +\d+ +0 /);
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('snapshots, their contents and the schedule survive a reboot', async () => {
    const bench = await labConsole(LAB, 'filerA', 5);
    try {
      for (const command of ['vol create vol3 aggr0 100m', 'wrfile -a /vol/vol3/notes kept', 'snap create vol3 one', 'wrfile -a /vol/vol3/notes later', 'snap create vol3 two', 'snap sched vol3 0 1 3@9,10', 'cf disable']) {
        await bench.type(`${command}\r`, 0.5);
      }
      await bench.type('reboot -t 0\r', 90);
      const list = await bench.type('snap list vol3\r');
      expect(list).toMatch(/Jun 03 09:00  two\n.*Jun 03 09:00  one\n/);
      expect(await bench.type('rdfile /vol/vol3/.snapshot/one/notes\r')).toBe('rdfile /vol/vol3/.snapshot/one/notes\nkept\nfilerA> ');
      expect(await bench.type('rdfile /vol/vol3/.snapshot/two/notes\r')).toBe('rdfile /vol/vol3/.snapshot/two/notes\nkept\nlater\nfilerA> ');
      expect(await bench.type('snap sched vol3\r')).toContain('Volume vol3: 0 1 3@9,10');
      expect(await bench.type('snap restore -f -t vol -s one vol3\r')).toContain('Volume vol3: revert successful.');
      expect(await bench.type('rdfile /vol/vol3/notes\r')).toBe('rdfile /vol/vol3/notes\nkept\nfilerA> ');
      expect(await bench.type('vol status vol3\r')).not.toContain('inconsistent');
    } finally {
      await bench.lab.dispose();
    }
  }, 180_000);
});
