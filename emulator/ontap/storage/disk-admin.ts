// The operator's changes to single disks: software ownership (`disk assign <disk>` takes an unowned disk
// as a spare, `disk assign <disk> -s unowned` gives a spare up), `disk remove` (a spare unloaded to be
// pulled) and `disk unfail` (a broken disk that no RAID group holds becomes a spare again). Ownership
// changes are kept in the storage state across reboots (types.ts `ownership`); the partner does not
// learn of them (docs/fidelity.md).
import { parseDiskId } from './disk-io.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { writeGroupLabels } from './raid-ops.ts';
import { DISK_USABLE_BLOCKS, inquiryBlocks } from './boot.ts';
import type { DiskId, IoBatch, StorageState } from './types.ts';
import { encodeLabel } from './wafl-format.ts';

export type DiskAdminError = 'not-a-spare' | 'owned' | 'not-unowned' | 'not-broken' | 'busy';

function ownership(state: StorageState): { assigned: DiskId[]; released: DiskId[] } {
  state.ownership ??= { assigned: [], released: [] };
  return state.ownership;
}

/** Disks this filer gave up and no one has taken since (as far as this filer knows). */
export function unownedDisks(state: StorageState): DiskId[] {
  return [...(state.ownership?.released ?? [])].filter((disk) => !state.disks[disk]).sort();
}

/** `disk assign <disk>`: an unowned disk becomes this filer's spare (not zeroed), reserved by its key. */
export function assignDisk(state: StorageState, env: StorageEnv, disk: DiskId): DiskAdminError | null {
  if (state.disks[disk]) return 'owned';
  const address = parseDiskId(disk);
  if (!address || !unownedDisks(state).includes(disk)) return 'not-unowned';
  const owned = ownership(state);
  owned.released = owned.released.filter((id) => id !== disk);
  if (!env.filer.config.spares.includes(disk) && !env.filer.config.aggregates.some((aggregate) => aggregate.disks.includes(disk))) owned.assigned.push(disk);
  // Its size is known when its inquiry answers (until then no aggregate can take it: usableSpares).
  state.disks[disk] = { id: disk, address, blocks: 0, role: 'spare', aggregate: null, raidGroup: null, zeroed: false, zeroingPercent: null, failReason: null };
  const key = env.filer.config.systemId;
  const batch = openBatch(state, { kind: 'disk-inquiry', disk });
  issue(state, env, batch, disk, { op: 'pr-register', key });
  issue(state, env, batch, disk, { op: 'pr-reserve', key });
  issue(state, env, batch, disk, { op: 'inquiry' });
  return null;
}

export function diskInquired(state: StorageState, batch: IoBatch): void {
  if (batch.purpose.kind !== 'disk-inquiry') return;
  const record = state.disks[batch.purpose.disk];
  if (record && record.blocks === 0) record.blocks = inquiryBlocks(batch.results[record.id]?.data) ?? DISK_USABLE_BLOCKS;
}

/** `disk assign <disk> -s unowned`: a spare leaves this filer; its reservation is released. */
export function releaseDisk(state: StorageState, env: StorageEnv, disk: DiskId): DiskAdminError | null {
  const record = state.disks[disk];
  if (!record || record.role !== 'spare' || record.aggregate !== null) return 'not-a-spare';
  if (record.zeroingPercent !== null) return 'busy';
  const owned = ownership(state);
  owned.assigned = owned.assigned.filter((id) => id !== disk);
  if (!owned.released.includes(disk)) owned.released.push(disk);
  delete state.disks[disk];
  const batch = openBatch(state, { kind: 'reserve' });
  issue(state, env, batch, disk, { op: 'pr-release', key: env.filer.config.systemId });
  return null;
}

/** `disk remove`: the spare is unloaded (spun down) and no RAID group takes it until the next boot. */
export function removeSpare(state: StorageState, disk: DiskId): DiskAdminError | null {
  const record = state.disks[disk];
  if (!record || record.role !== 'spare' || record.aggregate !== null) return 'not-a-spare';
  if (record.zeroingPercent !== null) return 'busy';
  record.spunDown = true;
  return null;
}

/**
 * `disk unfail`: a broken disk that is no longer a member of any RAID group (reconstruction replaced it)
 * becomes a spare, not zeroed. Its own label is rewritten as a spare's, and the labels of this filer's
 * groups are rewritten without it in their failed-disk registry, so a reboot does not fail it again.
 */
export function unfailDisk(state: StorageState, env: StorageEnv, disk: DiskId): DiskAdminError | { group: string } | null {
  const record = state.disks[disk];
  if (!record || record.role !== 'broken') return 'not-broken';
  for (const aggregate of Object.values(state.aggregates)) {
    const group = aggregate.raidGroups.find((candidate) => candidate.members.includes(disk));
    if (group) return { group: `/${aggregate.name}/plex0/rg${group.index}` };
  }
  record.role = 'spare';
  record.failReason = null;
  record.zeroed = false;
  record.aggregate = null;
  record.raidGroup = null;
  const label = encodeLabel({ aggregate: '', group: 0, position: 0, members: [], stripes: record.blocks - 1, generation: 1, root: false, zeroed: false });
  issue(state, env, openBatch(state, { kind: 'reserve' }), disk, { op: 'write', lba: 0, blocks: 1, data: label });
  for (const aggregate of Object.values(state.aggregates)) {
    if (aggregate.partnerOf !== undefined || aggregate.status !== 'online') continue;
    for (const group of aggregate.raidGroups) writeGroupLabels(state, env, aggregate, group);
  }
  return null;
}
