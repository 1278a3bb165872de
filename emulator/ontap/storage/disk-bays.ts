// Disks pulled out of their bays and new ones pushed in, as the shelves report them (scsi.ts
// 'shelf.disk-report'), and `disk assign`: software disk ownership (issue 19). A disk of this filer's
// that is pulled is missing: a member's group runs degraded and is rebuilt onto a spare, as after a
// failure, and once out of its group the disk is no longer this filer's (it leaves `sysconfig -r`). A new
// disk belongs to no filer until `disk assign` gives it to one, which reserves it and takes it as a spare
// (not zeroed); a degraded group with no spare then rebuilds onto it.
import { logEms } from '../ems.ts';
import { parseDiskId } from './disk-io.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { DISK_MISSING, displayName, failDisk, startReconstruction } from './raid-ops.ts';
import { DISK_USABLE_BLOCKS } from './boot.ts';
import type { DiskId, StorageState } from './types.ts';
import { encodeLabel } from './wafl-format.ts';

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

export type AssignError = 'not-unowned' | 'not-online';

/**
 * `disk assign <disk>`: an unowned disk becomes this filer's spare. The filer registers and reserves it
 * (so its partner writes it no more than any other of its disks) and writes a spare label.
 */
export function assignDisk(state: StorageState, env: StorageEnv, id: DiskId): AssignError | null {
  if (state.status !== 'online') return 'not-online';
  const address = parseDiskId(id);
  if (state.bays?.[id] !== 'unowned' || !address) return 'not-unowned';
  state.bays[id] = 'assigned';
  // A replacement is of its shelf's model: the size this filer's disks there answered at boot.
  const sameShelf = Object.values(state.disks).find((record) => record.address.shelf === address.shelf);
  state.disks[id] = { id, address, blocks: sameShelf?.blocks ?? DISK_USABLE_BLOCKS, role: 'spare', aggregate: null, raidGroup: null, zeroed: false, zeroingPercent: null, failReason: null };
  const key = env.filer.config.systemId;
  const batch = openBatch(state, { kind: 'reserve' });
  issue(state, env, batch, id, { op: 'pr-register', key });
  issue(state, env, batch, id, { op: 'pr-reserve', key });
  const label = encodeLabel({ aggregate: '', group: 0, position: 0, members: [], stripes: DISK_USABLE_BLOCKS - 1, generation: 1, root: false, zeroed: false });
  issue(state, env, batch, id, { op: 'write', lba: 0, blocks: 1, data: label });
  logEms(env.filer, env.ctx, 'diskown.changingOwner', 'info', `changing ownership for disk ${displayName(state, env, id)} from unowned to ${env.filer.config.name} (ID ${key})`);
  // A group left degraded for want of a spare is rebuilt onto the new one now.
  for (const aggregate of Object.values(state.aggregates)) {
    for (const group of aggregate.raidGroups) if (group.failed.length === 1 && !group.reconstruction) startReconstruction(state, env, aggregate, group);
  }
  return null;
}
