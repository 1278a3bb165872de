// The storage commands' layouts, on a storage state built by hand: the columns of the real product,
// the sizes, the status words of degraded, reconstructing and failed groups, the paths of each disk.
import { describe, it, expect } from 'vitest';
import type { ActorContext } from '../../../emulator/engine/actor.ts';
import { createChassis, type FilerConfig } from '../../../emulator/hardware/filer/chassis.ts';
import type { FilerState } from '../../../emulator/hardware/filer/subsystem.ts';
import { createStorageState } from '../../../emulator/ontap/storage/storage-subsystem.ts';
import type { DiskRecord, StorageState } from '../../../emulator/ontap/storage/types.ts';
import { raidStatusLines, aggrStatusLines, RAID_HEADER, SECTION_HEADER } from '../../../emulator/ontap/commands/storage-raid-status.ts';
import { dfAggregateLines, dfLines, humanKb, volStatusLines } from '../../../emulator/ontap/commands/storage-volumes.ts';
import { diskPathLines, diskShowLines } from '../../../emulator/ontap/commands/storage-disks.ts';
import { resolveDiskName, storageView, type StorageView } from '../../../emulator/ontap/commands/storage-view.ts';

const BLOCKS_36GB = 8_832_000;

function config(): FilerConfig {
  const disks = Array.from({ length: 4 }, (_, bay) => `shelf1.${bay}`);
  return {
    name: 'filerA', systemId: '0101165001', partner: 'filerB', start: 'warm',
    fcPorts: [
      { port: '0a', loop: 'A', shelves: [{ actor: 'shelf1', shelfId: 1 }] },
      { port: '0b', loop: 'B', shelves: [{ actor: 'shelf1', shelfId: 1 }] },
    ],
    ethernetPorts: [], interconnectPorts: [], nvramBytes: 64 * 1024 * 1024,
    aggregates: [{ name: 'aggr0', raidGroupSize: 4, disks }],
    volumes: [{ name: 'vol0', aggregate: 'aggr0', sizeMb: 1024, fsid: 0x1001 }, { name: 'vol1', aggregate: 'aggr0', sizeMb: 4096, fsid: 0x1002 }],
    spares: ['shelf1.4', 'shelf1.5'], vservers: [], labVservers: [], options: {},
  };
}

function disk(bay: number, role: DiskRecord['role'], extra: Partial<DiskRecord> = {}): DiskRecord {
  const member = role === 'data' || role === 'parity';
  return {
    id: `shelf1.${bay}`, address: { shelf: 'shelf1', bay }, blocks: BLOCKS_36GB, role,
    aggregate: member ? 'aggr0' : null, raidGroup: member ? 0 : null, zeroed: true, zeroingPercent: null, failReason: null, ...extra,
  };
}

/** aggr0 = one group of shelf1.0-3 (parity last), spares shelf1.4 and shelf1.5, vol0 (root) and vol1. */
function storage(): StorageState {
  const state = createStorageState('filerA');
  state.status = 'online';
  const records = [disk(0, 'data'), disk(1, 'data'), disk(2, 'data'), disk(3, 'parity'), disk(4, 'spare'), disk(5, 'spare')];
  for (const record of records) state.disks[record.id] = record;
  state.aggregates.aggr0 = {
    name: 'aggr0', status: 'online', stripes: BLOCKS_36GB - 1, generation: 1, cpSeq: 0, used: {}, usedCount: 0, pendingFree: [],
    stripeCursor: 0, root: true, scrub: null,
    raidGroups: [{ index: 0, members: ['shelf1.0', 'shelf1.1', 'shelf1.2', 'shelf1.3'], failed: [], reconstruction: null, baseVbn: 0, labelGeneration: 1 }],
  };
  for (const [name, mb] of [['vol0', 1024], ['vol1', 4096]] as const) {
    state.volumes[name] = {
      name, aggregate: 'aggr0', fsid: 1, sizeBytes: mb * 1_048_576, status: 'online', inconsistent: false, inodes: {}, nextFileId: 2,
      inodeFile: { blocks: [], indirect: [] }, dirty: false, orphanBlocks: [],
    };
  }
  return state;
}

function viewWith(state: StorageState, linksDown: string[] = []): StorageView {
  const filerConfig = config();
  const filer: FilerState = { self: 'filerA', config: filerConfig, chassis: createChassis(filerConfig), subsystems: { storage: state } };
  const actor = { linkUp: (port: string) => !linksDown.includes(port) } as unknown as ActorContext;
  const view = storageView(filer, actor);
  if (!view) throw new Error('no storage view');
  return view;
}

function filerOf(state: StorageState): FilerState {
  const filerConfig = config();
  return { self: 'filerA', config: filerConfig, chassis: createChassis(filerConfig), subsystems: { storage: state } };
}

describe('sysconfig -r / aggr status -r layout', () => {
  it('prints the aggregate, plex and group lines and member rows under the header columns', () => {
    const lines = raidStatusLines(viewWith(storage()));
    expect(lines.slice(0, 6)).toEqual([
      'Aggregate aggr0 (online, raid4) (block checksums)',
      '  Plex /aggr0/plex0 (online, normal, active)',
      '    RAID group /aggr0/plex0/rg0 (normal)',
      '',
      '      RAID Disk Device  HA  SHELF BAY CHAN Pool Type  RPM  Used (MB/blks)    Phys (MB/blks)',
      '      --------- ------  ------------- ---- ---- ---- ----- --------------    --------------',
    ]);
    // Parity first, then the data disks, as the product lists a group.
    expect(lines[6]).toBe('      parity    0a.19   0a      1   3 FC:A  0   FCAL 10000 34000/69632000    34500/70656000');
    expect(lines[7]).toBe('      data      0a.16   0a      1   0 FC:A  0   FCAL 10000 34000/69632000    34500/70656000');
    const header = `      ${RAID_HEADER}`;
    for (const row of lines.slice(6, 10)) {
      expect(row.indexOf('0a.')).toBe(header.indexOf('Device'));
      expect(row.indexOf('FC:A')).toBe(header.indexOf('CHAN'));
      expect(row.indexOf('FCAL')).toBe(header.indexOf('Type'));
      expect(row.indexOf('34000/')).toBe(header.indexOf('Used'));
      expect(row.indexOf('34500/')).toBe(header.indexOf('Phys'));
    }
    const spareAt = lines.indexOf('Spare disks');
    expect(lines[spareAt + 2]).toBe(SECTION_HEADER);
    expect(lines[spareAt + 4]).toBe('Spare disks for block or zoned checksum traditional volumes or aggregates');
    const spareRow = lines[spareAt + 5];
    expect(spareRow).toBe('spare           0a.20   0a      1   4 FC:A  0   FCAL 10000 34000/69632000    34500/70656000');
    expect(spareRow.indexOf('0a.20')).toBe(SECTION_HEADER.indexOf('Device'));
    expect(spareRow.indexOf('34500/')).toBe(SECTION_HEADER.indexOf('Phys'));
    expect(lines).not.toContain('Broken disks');
  });

  it('shows a degraded group with its FAILED member, then reconstruction progress on the spare, and broken disks', () => {
    const state = storage();
    state.disks['shelf1.1'].role = 'broken';
    state.disks['shelf1.1'].failReason = 'admin failed';
    state.aggregates.aggr0.raidGroups[0].failed = [1];
    let lines = raidStatusLines(viewWith(state));
    expect(lines[0]).toBe('Aggregate aggr0 (online, raid4, degraded) (block checksums)');
    expect(lines[2]).toBe('    RAID group /aggr0/plex0/rg0 (degraded)');
    expect(lines[8]).toBe(`      data      FAILED  N/A${' '.repeat(32)}34000/69632000`);
    expect(lines[8].indexOf('34000/')).toBe(`      ${RAID_HEADER}`.indexOf('Used'));
    const brokenAt = lines.indexOf('Broken disks');
    expect(lines[brokenAt + 4]).toBe('admin failed    0a.17   0a      1   1 FC:A  0   FCAL 10000 34000/69632000    34500/70656000');

    state.disks['shelf1.4'].role = 'data';
    // 3 of 8 stripes of the disk swept: 37%, whatever few of them hold data.
    state.aggregates.aggr0.raidGroups[0].reconstruction = {
      position: 1, spare: 'shelf1.4', totalStripes: 8, inUse: [0, 1], nextInUse: 2, done: 3, stepEnd: 4, stepStartedUs: 0, startedUs: 0,
    };
    lines = raidStatusLines(viewWith(state));
    expect(lines[0]).toBe('Aggregate aggr0 (online, raid4, reconstruct) (block checksums)');
    expect(lines[2]).toBe('    RAID group /aggr0/plex0/rg0 (reconstruction 37% completed)');
    expect(lines[8]).toBe('      data      0a.20   0a      1   4 FC:A  0   FCAL 10000 34000/69632000    34500/70656000 (reconstruction 37% completed)');
    // The figure is the sweep's own: 7 of 8 is 87%, and a group never shows 100% while reconstructing
    // (the last stripe done ends the reconstruction in the same step: raid-ops.ts).
    state.aggregates.aggr0.raidGroups[0].reconstruction.done = 7;
    expect(raidStatusLines(viewWith(state))[2]).toBe('    RAID group /aggr0/plex0/rg0 (reconstruction 87% completed)');
  });

  it('shows a failed aggregate as failed and its plex offline, never throwing on a missing record', () => {
    const state = storage();
    state.aggregates.aggr0.status = 'failed';
    state.aggregates.aggr0.raidGroups[0].failed = [1, 2];
    delete state.disks['shelf1.2'];
    const lines = raidStatusLines(viewWith(state));
    expect(lines.slice(0, 3)).toEqual([
      'Aggregate aggr0 (failed, raid4) (block checksums)',
      '  Plex /aggr0/plex0 (offline, failed, inactive)',
      '    RAID group /aggr0/plex0/rg0 (failed)',
    ]);
    expect(lines.filter((line) => line.includes(' FAILED '))).toHaveLength(2);
    expect(aggrStatusLines(viewWith(state))[1]).toBe('          aggr0 failed          raid4, aggr       root');
  });

  it('marks spares not zeroed or being zeroed, and says when there are none', () => {
    const state = storage();
    state.disks['shelf1.4'].zeroed = false;
    state.disks['shelf1.5'].zeroed = false;
    state.disks['shelf1.5'].zeroingPercent = 40;
    const lines = raidStatusLines(viewWith(state));
    expect(lines.find((line) => line.startsWith('spare           0a.20'))).toMatch(/34500\/70656000 \(not zeroed\)$/);
    expect(lines.find((line) => line.startsWith('spare           0a.21'))).toMatch(/34500\/70656000 \(zeroing, 40% done\)$/);
    state.disks['shelf1.4'].role = 'broken';
    state.disks['shelf1.5'].role = 'broken';
    expect(raidStatusLines(viewWith(state))).toContain('There are no spare disks.');
  });

  it('names disks by the loop in use: 0b.xx on FC:B when loop A is down', () => {
    const lines = raidStatusLines(viewWith(storage(), ['0a']));
    expect(lines[7]).toBe('      data      0b.16   0b      1   0 FC:B  0   FCAL 10000 34000/69632000    34500/70656000');
    expect(lines.some((line) => line.includes('0a.'))).toBe(false);
    const none = raidStatusLines(viewWith(storage(), ['0a', '0b']));
    expect(none[7]).toBe('      data      0a.16   0a      1   0 -     0   FCAL 10000 34000/69632000    34500/70656000');
  });
});

describe('vol status and df', () => {
  it('vol status: the real columns, root first, further status words below', () => {
    const state = storage();
    expect(volStatusLines(viewWith(state))).toEqual([
      '         Volume State           Status            Options',
      '           vol0 online          raid4, flex       root',
      '           vol1 online          raid4, flex',
    ]);
    state.aggregates.aggr0.raidGroups[0].failed = [0];
    state.volumes.vol1.inconsistent = true;
    expect(volStatusLines(viewWith(state), state.volumes.vol1)).toEqual([
      '         Volume State           Status            Options',
      '           vol1 online          raid4, flex',
      '                                degraded',
      '                                wafl inconsistent',
    ]);
  });

  it('df: kbytes less the 20% snapshot reserve, used from the files, the .snapshot line; -h in human units', () => {
    const state = storage();
    state.volumes.vol0.inodes[2] = {
      id: 2, generation: 1, type: 'file', mode: 0o644, uid: 0, gid: 0, nlink: 1, size: 10_000, atimeUs: 0, mtimeUs: 0, ctimeUs: 0,
      data: new Uint8Array(0), entries: {}, blocks: [], indirect: [], dirty: null,
    };
    const lines = dfLines(viewWith(state), 'k');
    expect(lines[0]).toBe('Filesystem              kbytes       used      avail capacity  Mounted on');
    expect(lines[1]).toBe('/vol/vol0/              838861         16     838845       0%  /vol/vol0/');
    expect(lines[2]).toBe('/vol/vol0/.snapshot     209715          0     209715       0%  /vol/vol0/.snapshot');
    expect(lines[3]).toBe('/vol/vol1/             3355444          0    3355444       0%  /vol/vol1/');
    const human = dfLines(viewWith(state), 'h');
    expect(human[0]).toBe('Filesystem               total       used      avail capacity  Mounted on');
    expect(human[3]).toBe('/vol/vol1/              3277MB        0KB     3277MB       0%  /vol/vol1/');
    expect([humanKb(16), humanKb(20 * 1024 * 1024), humanKb(5 * 1024 ** 3 * 3)]).toEqual(['16KB', '20GB', '15TB']);
    state.volumes.vol1.status = 'offline';
    expect(dfLines(viewWith(state), 'k')).toContain('df: /vol/vol1/: Volume is offline');
  });

  it('df -A: the aggregate less 5% reserve, volume guarantees counted used', () => {
    const lines = dfAggregateLines(viewWith(storage()), 'k');
    const total = 3 * (BLOCKS_36GB - 1) * 4;
    const snap = Math.floor(total * 0.05);
    const used = (1024 + 4096) * 1024;
    expect(lines[0]).toBe('Aggregate               kbytes       used      avail capacity');
    expect(lines[1].trim().split(/\s+/)).toEqual(['aggr0', String(total - snap), String(used), String(total - snap - used), `${Math.round((used * 100) / (total - snap))}%`]);
    expect(lines[2].trim().split(/\s+/)).toEqual(['aggr0/.snapshot', String(snap), '0', String(snap), '0%']);
  });
});

describe('disk show -v, storage show disk -p, disk names', () => {
  it('disk show -v: owner as name(system id), pool, serial', () => {
    const lines = diskShowLines(viewWith(storage()));
    expect(lines[0]).toBe('  DISK       OWNER                    POOL   SERIAL NUMBER');
    expect(lines[2]).toBe('0a.16        filerA(0101165001)       Pool0  FL0100X0');
    expect(lines).toHaveLength(2 + 6);
  });

  it('storage show disk -p: both paths with their shelf ports, one when a loop is down', () => {
    const lines = diskPathLines(viewWith(storage()));
    expect(lines[0]).toBe('PRIMARY  PORT  SECONDARY  PORT SHELF BAY');
    expect(lines[2]).toBe('0a.16    A     0b.16      B        1   0');
    expect(lines[2].indexOf('0b.16')).toBe(lines[0].indexOf('SECONDARY'));
    // Shelf and bay right-aligned under their headings.
    expect(lines[2].charAt(lines[0].indexOf('SHELF') + 4)).toBe('1');
    expect(lines[2].length).toBe(lines[0].length);
    expect(diskPathLines(viewWith(storage(), ['0a']))[2]).toBe(`0b.16    B${' '.repeat(25)}1   0`);
  });

  it('resolves 0a.19, 0b.19 and shelf1.3 to the same disk; others to nothing', () => {
    const state = storage();
    const view = viewWith(state);
    const filer = filerOf(state);
    expect(['0a.19', '0b.19', 'shelf1.3'].map((name) => resolveDiskName(view, filer, name))).toEqual(['shelf1.3', 'shelf1.3', 'shelf1.3']);
    expect(['0c.19', '0a.99', '0a.45', 'bogus', ''].map((name) => resolveDiskName(view, filer, name))).toEqual([null, null, null, null, null]);
  });
});
