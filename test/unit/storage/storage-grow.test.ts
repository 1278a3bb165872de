// `aggr add` fills the last RAID group up to raidsize before it starts a new one (or goes where -g says),
// and `aggr options` / `aggr offline` are kept in the RAID labels: on the ha-pair lab with eight spares on
// filerA (fixtures/ha-pair-spares.lab.yaml), the whole session compared line for line with
// storage-grow.transcript; then what a reboot reads back from the labels and the grown group's blocks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { labConsole, typedSession } from '../console/lab-console.ts';

const LAB = fileURLToPath(new URL('./fixtures/ha-pair-spares.lab.yaml', import.meta.url));

export const GROW_SESSION = [
  'aggr create aggr1 -r 4 2', 'aggr add aggr1 1', 'aggr status aggr1 -r', 'vol create vol3 aggr1 1g', 'aggr add aggr1 -g rg0 2',
  'aggr add aggr1 -g rg7 1', 'aggr add aggr1 -g other 1', 'aggr options aggr1 raidsize 5', 'aggr add aggr1 3', 'aggr add aggr1 -n 4',
  'aggr add aggr1 4', 'aggr status aggr1 -r', 'aggr options aggr1 raidsize 3', 'df -A aggr1', 'aggr add aggr1 -g new 1',
];

describe('aggr add grows the last RAID group up to raidsize', () => {
  it('the whole session matches its transcript', async () => {
    const expected = readFileSync(new URL('./storage-grow.transcript', import.meta.url), 'utf8');
    const actual = await typedSession(LAB, 'filerA', GROW_SESSION);
    expect(actual.split('\n')).toEqual(expected.split('\n'));
  }, 120_000);

  it('a grown group, the aggregate\'s options and its offline state survive a reboot; its volume mounts whole', async () => {
    const bench = await labConsole(LAB, 'filerA', 5);
    try {
      for (const command of ['aggr create aggr1 -r 3 2', 'vol create vol3 aggr1 1g', 'aggr options aggr1 raidsize 5', 'aggr add aggr1 3', 'aggr add aggr1 2', 'cf disable']) {
        await bench.type(`${command}\r`, 0.5);
      }
      // Blocks written after the growth land in stripes that span the added disks.
      await bench.type('vol create vol4 aggr1 500m\r', 12);
      await bench.type('vol offline vol3\r', 0.5);
      await bench.type('vol offline vol4\r', 0.5);
      await bench.type('aggr offline aggr1\r', 12);
      await bench.type('reboot -t 0\r', 90);
      const status = await bench.type('aggr status\r');
      expect(status).toMatch(/aggr1 offline/);
      expect(await bench.type('aggr options aggr1\r')).toContain('raidsize=5');
      expect(await bench.type('aggr online aggr1\r')).toContain("Aggregate 'aggr1' is now online.");
      const raid = await bench.type('aggr status aggr1 -r\r');
      expect(raid.match(/RAID group \/aggr1\/plex0\/rg0 \(normal\)/g)).toHaveLength(1);
      expect(raid.match(/RAID group \/aggr1\/plex0\/rg1 \(normal\)/g)).toHaveLength(1);
      expect(raid.match(/ data {6}0a\./g)).toHaveLength(5);
      await bench.type('vol online vol3\r', 0.5);
      await bench.type('vol online vol4\r', 0.5);
      const volumes = await bench.type('vol status\r');
      expect(volumes).toMatch(/vol3 online/);
      expect(volumes).toMatch(/vol4 online/);
      expect(volumes).not.toContain('inconsistent');
    } finally {
      await bench.lab.dispose();
    }
  }, 180_000);
});
