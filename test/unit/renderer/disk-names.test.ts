// One name for a disk everywhere (issue 19): the window's bay tooltips, part menu and inspector name a
// disk as the filer's console does. Both call emulator/protocol/disk-names.ts; this checks that the
// storage OS's displayName and the window's diskLabel agree on every disk of ha-pair and cluster-4.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FilerConfig } from '../../../emulator/hardware/filer/chassis.ts';
import { resolveLab } from '../../../emulator/lab/catalog.ts';
import { displayName } from '../../../emulator/ontap/storage/raid-ops.ts';
import type { StorageEnv } from '../../../emulator/ontap/storage/io.ts';
import type { StorageState } from '../../../emulator/ontap/storage/types.ts';
import { diskLabel } from '../../../renderer/src/composables/disk-label.ts';
import { filerDisks, raidGroups, shelfDisks } from '../../../renderer/src/composables/inspector-disks.ts';

function labActors(name: string) {
  const resolved = resolveLab(name, (path) => readFileSync(path, 'utf8'));
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  // As the window receives them: the topology view's actors (emulator/host/lab-session.ts view()).
  return JSON.parse(JSON.stringify(resolved.spec.actors.map((actor) => ({ id: actor.id, kind: actor.kind, config: actor.config })))) as Array<{ id: string; kind: string; config: unknown }>;
}

/** What the console prints for `disk` on `filer` (raid-ops.ts displayName, as `sysconfig -r` and EMS use it). */
function consoleName(config: FilerConfig, disk: string): string {
  const dot = disk.lastIndexOf('.');
  const state = { disks: { [disk]: { address: { shelf: disk.slice(0, dot), bay: Number(disk.slice(dot + 1)) } } } } as unknown as StorageState;
  return displayName(state, { filer: { config } } as unknown as StorageEnv, disk);
}

describe('one name for a disk', () => {
  for (const lab of ['ha-pair', 'cluster-4']) {
    it(`gives the console's name for every disk of ${lab}, in the window as on each filer`, () => {
      const actors = labActors(lab);
      let checked = 0;
      for (const filer of actors.filter((actor) => actor.kind === 'filer')) {
        const config = filer.config as FilerConfig & { aggregates: Array<{ disks: string[] }>; spares: string[] };
        for (const disk of [...config.aggregates.flatMap((aggregate) => aggregate.disks), ...config.spares]) {
          const [shelf, bay] = [disk.slice(0, disk.lastIndexOf('.')), Number(disk.slice(disk.lastIndexOf('.') + 1))];
          const label = diskLabel(actors, shelf, bay, filer.id);
          expect(label.name).toBe(consoleName(config, disk));
          expect(label.text).toBe(`${label.name} (${shelf} bay ${bay})`);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(20);
    });
  }

  it('names bay 7 of shelf1 0a.23 on ha-pair, and the shared shelf9 (id 5) by the port that reaches it on cluster-4', () => {
    expect(diskLabel(labActors('ha-pair'), 'shelf1', 7, 'filerA').text).toBe('0a.23 (shelf1 bay 7)');
    expect(diskLabel(labActors('ha-pair'), 'shelf2', 0, null).name).toBe('0a.32');
    const cluster = labActors('cluster-4');
    expect(diskLabel(cluster, 'shelf9', 3, 'node1').name).toMatch(/^0[a-d]\.83$/);
    expect(diskLabel(cluster, 'nowhere', 3, 'node1')).toEqual({ name: undefined, place: 'nowhere bay 3', text: 'nowhere bay 3' });
  });

  it('lists a filer’s disks by role (failed first) and its RAID groups with rebuild progress, with no raw paths', () => {
    const actors = labActors('ha-pair');
    const state = {
      'filerA.disks.shelf1.7.role': 'failed', 'filerA.disks.shelf1.12.role': 'reconstructing', 'filerA.disks.shelf1.0.role': 'data',
      'shelf1.bays.7.state': 'failed', 'shelf1.bays.7.owner': 'filerA', 'shelf1.bays.12.state': 'ok', 'shelf1.bays.0.state': 'ok',
      'filerA.raid.aggr0.rg1.status': 'reconstructing', 'filerA.raid.aggr0.rg1.reconstructPercent': 41.7, 'filerA.raid.aggr0.rg0.status': 'normal',
    };
    expect(filerDisks(state, actors, 'filerA').map((row) => [row.label, row.role, row.health])).toEqual([
      ['0a.23 (shelf1 bay 7)', 'failed', 'failed'], ['0a.28 (shelf1 bay 12)', 'reconstructing', 'ok'], ['0a.16 (shelf1 bay 0)', 'data', 'ok'],
    ]);
    expect(raidGroups(state, 'filerA')).toEqual([{ name: 'aggr0/rg0', status: 'normal' }, { name: 'aggr0/rg1', status: 'reconstructing', reconstructPercent: 41 }]);
    expect(shelfDisks(state, actors, 'shelf1').map((row) => row.label)).toEqual(['0a.16 (shelf1 bay 0)', '0a.23 (shelf1 bay 7)', '0a.28 (shelf1 bay 12)']);
  });
});
