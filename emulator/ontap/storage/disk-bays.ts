// Disks pulled out of their bays and new ones pushed in, as the shelves report them (scsi.ts
// 'shelf.disk-report'), and `disk assign`: software disk ownership (issue 19). A disk of this filer's
// that is pulled is missing: a member's group runs degraded and is rebuilt onto a spare, as after a
// failure, and once out of its group the disk is no longer this filer's (it leaves `sysconfig -r`). A new
// disk belongs to no filer until `disk assign` gives it to one (disk-admin.ts).
import type { StorageEnv } from './io.ts';
import { DISK_MISSING, failDisk } from './raid-ops.ts';
import type { DiskId, StorageState } from './types.ts';

/** Whether a group still counts the disk among its members (failed or not). */
function inAGroup(state: StorageState, disk: DiskId): boolean {
  return Object.values(state.aggregates).some((aggregate) => aggregate.raidGroups.some((group) => group.members.includes(disk)));
}

/** The bay's disk was pulled: ours is missing (a member degrades its group); anyone's leaves the bay empty. */
export function diskReportedMissing(state: StorageState, env: StorageEnv, shelf: string, bay: number): void {
  const id = `${shelf}.${bay}`;
  const bays = (state.bays ??= {});
  bays[id] = 'missing';
  const record = state.disks[id];
  if (!record) return;
  failDisk(state, env, id, DISK_MISSING);
  if (!inAGroup(state, id)) delete state.disks[id];
}

/** A new disk in the bay: nobody's until `disk assign`. */
export function diskReportedInserted(state: StorageState, _env: StorageEnv, shelf: string, bay: number): void {
  const id = `${shelf}.${bay}`;
  const bays = (state.bays ??= {});
  bays[id] = 'unowned';
}

/** Bays holding a disk no filer owns, as this filer heard of them. */
export function unownedBays(state: StorageState): DiskId[] {
  return Object.entries(state.bays ?? {}).filter(([, change]) => change === 'unowned').map(([id]) => id).sort();
}

/** Whether the bay is empty as far as this filer knows (its disk was pulled and none came back). */
export function bayEmpty(state: StorageState, id: DiskId): boolean {
  return state.bays?.[id] === 'missing' && !state.disks[id];
}
