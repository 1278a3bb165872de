// `snap sched` by the virtual clock (snapshot-schedule.ts): the schedule's words, which kind is due at
// an hour, and the rotation of `hourly.N` / `nightly.N` when a due hour is crossed.
import { describe, it, expect } from 'vitest';
import { DEFAULT_SNAP_SCHEDULE, formatSchedule, kindDue, parseSchedule, takeScheduledSnapshots } from '../../../emulator/ontap/storage/snapshot-schedule.ts';
import type { Snapshot, StorageState, VolumeState } from '../../../emulator/ontap/storage/types.ts';
import { createVolume } from '../../../emulator/ontap/storage/wafl-fs.ts';

const HOUR_US = 3_600_000_000;
/** Virtual time 0 is Monday 3 June 2013, 09:00 GMT. */
const at = (hoursAfterNine: number): number => hoursAfterNine * HOUR_US;

function snapshot(name: string, id: number): Snapshot {
  return { name, id, createdUs: 0, nextFileId: 64, inodeFile: { size: 0, blocks: [], indirect: [] }, held: [id * 1000], inodes: {} };
}

function stateWith(volume: VolumeState): StorageState {
  return { volumes: { [volume.name]: volume } } as unknown as StorageState;
}

describe('snap sched', () => {
  it('reads and prints the product\'s schedule words', () => {
    expect(parseSchedule(['0', '2', '6@8,12,16,20'])).toEqual(DEFAULT_SNAP_SCHEDULE);
    expect(formatSchedule(DEFAULT_SNAP_SCHEDULE)).toBe('0 2 6@8,12,16,20');
    expect(parseSchedule(['1'])).toEqual({ weeks: 1, days: 0, hours: 0, hourList: [] });
    expect(parseSchedule(['0', '0', '4@24'])).toBeNull();
    expect(parseSchedule(['x'])).toBeNull();
    expect(parseSchedule(['0', '0', '0', '0'])).toBeNull();
  });

  it('takes the larger kind when two fall on one hour', () => {
    const schedule = { weeks: 1, days: 2, hours: 6, hourList: [] };
    expect(kindDue(schedule, at(3))).toBe('hourly'); // Mon 12:00
    expect(kindDue(schedule, at(15))).toBe('nightly'); // Tue 00:00
    expect(kindDue(schedule, at(15 + 24 * 5))).toBe('weekly'); // Sun 00:00
    expect(kindDue(DEFAULT_SNAP_SCHEDULE, at(2))).toBeNull(); // 11:00 is not in the list
    expect(kindDue(DEFAULT_SNAP_SCHEDULE, at(3))).toBe('hourly');
  });

  it('rotates hourly.N when a due hour is crossed, keeping the count', () => {
    const volume = createVolume('vol3', 'aggr0', 7, 100 * 1024 * 1024, 0);
    volume.snapSchedule = { weeks: 0, days: 0, hours: 2, hourList: [] };
    volume.snapshots = [snapshot('hourly.1', 1), snapshot('hourly.0', 2)];
    const state = stateWith(volume);
    expect(takeScheduledSnapshots(state, at(0.5))).toBe(false); // first look: nothing retroactive
    expect(takeScheduledSnapshots(state, at(0.9))).toBe(false); // no hour crossed
    expect(takeScheduledSnapshots(state, at(1.01))).toBe(true);
    expect(volume.snapshots.map((kept) => kept.name)).toEqual(['hourly.1']);
    expect(volume.snapshots[0].id).toBe(2);
    expect(volume.snapshotRequests).toEqual(['hourly.0']);
    expect(volume.orphanBlocks).toEqual([1000]);
    expect(takeScheduledSnapshots(state, at(1.02))).toBe(false);
    volume.options = { nosnap: 'on' };
    expect(takeScheduledSnapshots(state, at(2.01))).toBe(false);
    expect(volume.snapshotRequests).toEqual(['hourly.0']);
  });
});

describe('the fsinfo block bounds the snapshots', () => {
  it('refuses a snapshot whose root would not fit, long before a CP could fail to write it', async () => {
    const { snapshotFits } = await import('../../../emulator/ontap/storage/snapshot-room.ts');
    const volume = createVolume('vol3', 'aggr0', 7, 100 * 1024 * 1024, 0);
    const state = stateWith(volume);
    let queued = 0;
    while (queued < 300 && snapshotFits(state, volume, `manual.${queued}`)) {
      volume.snapshotRequests = [...(volume.snapshotRequests ?? []), `manual.${queued}`];
      queued += 1;
    }
    expect(queued).toBeGreaterThan(10);
    expect(queued).toBeLessThan(255);
  });
});
