// The operator's changes to single disks: software ownership (`disk assign <disk>` takes an unowned disk
// as a spare, `disk assign <disk> -s unowned` gives a spare up), `disk remove` (a spare unloaded to be
// pulled) and `disk unfail` (a broken disk that no RAID group holds becomes a spare again). Ownership
// changes are kept in the storage state across reboots (types.ts `ownership`); the partner does not
// learn of them (docs/fidelity.md).
import { parseDiskId } from './disk-io.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { isOwnSpare, startReconstruction, writeGroupLabels } from './raid-ops.ts';
import { unownedBays } from './disk-bays.ts';
import { DISK_USABLE_BLOCKS, inquiryBlocks } from './boot.ts';
import type { DiskId, IoBatch, StorageState } from './types.ts';
import { encodeLabel } from './wafl-format.ts';

export type DiskAdminError = 'not-a-spare' | 'owned' | 'not-unowned' | 'not-broken' | 'busy';

function ownership(state: StorageState): NonNullable<StorageState['ownership']> {
  state.ownership ??= { assigned: [], released: [] };
  return state.ownership;
}

/**
 * Disks no filer owns as far as this one knows: new disks in their bays (disk-bays.ts) and disks this
 * filer gave up that no one has taken since.
 */
export function unownedDisks(state: StorageState): DiskId[] {
  const owned = state.ownership;
  const released = [...(owned?.released ?? []), ...(owned?.partnerReleased ?? [])].filter((disk) => !state.disks[disk]);
  const taken = new Set(owned?.partnerTook ?? []);
  return [...new Set([...released, ...unownedBays(state)])].filter((disk) => !taken.has(disk)).sort();
}

/**
 * The HA partner took a disk (`disk assign`: no longer unowned as far as this filer knows) or gave one up
 * (`disk assign -s unowned`: unowned here too), and said so over the interconnect.
 */
export function partnerChangedDiskOwner(state: StorageState, disk: DiskId, change: 'taken' | 'released'): void {
  const owned = ownership(state);
  const without = (list: DiskId[] | undefined) => (list ?? []).filter((id) => id !== disk);
  owned.partnerTook = change === 'taken' ? [...without(owned.partnerTook), disk] : without(owned.partnerTook);
  owned.partnerReleased = change === 'released' ? [...without(owned.partnerReleased), disk] : without(owned.partnerReleased);
  if (change === 'taken') owned.released = without(owned.released);
}

/**
 * `disk assign <disk>`: an unowned disk becomes this filer's spare (not zeroed), registered and reserved
 * by its key. A new disk from a bay is blank, so it gets a spare's label; the bay's word counts even
 * while a RAID group still names the pulled disk that was there.
 */
export function assignDisk(state: StorageState, env: StorageEnv, disk: DiskId): DiskAdminError | null {
  const fromBay = state.bays?.[disk] === 'unowned';
  if (state.disks[disk] && !fromBay) return 'owned';
  const address = parseDiskId(disk);
  if (!address || !unownedDisks(state).includes(disk)) return 'not-unowned';
  const owned = ownership(state);
  owned.partnerReleased = (owned.partnerReleased ?? []).filter((id) => id !== disk);
  if (fromBay && state.bays) state.bays[disk] = 'assigned';
  else {
    owned.released = owned.released.filter((id) => id !== disk);
    if (!env.filer.config.spares.includes(disk) && !env.filer.config.aggregates.some((aggregate) => aggregate.disks.includes(disk))) owned.assigned.push(disk);
  }
  // Its size is known when its inquiry answers (until then no aggregate can take it: usableSpares).
  state.disks[disk] = { id: disk, address, blocks: 0, role: 'spare', aggregate: null, raidGroup: null, zeroed: false, zeroingPercent: null, failReason: null };
  const key = env.filer.config.systemId;
  const batch = openBatch(state, { kind: 'disk-inquiry', disk });
  issue(state, env, batch, disk, { op: 'pr-register', key });
  issue(state, env, batch, disk, { op: 'pr-reserve', key });
  if (fromBay) {
    const label = encodeLabel({ aggregate: '', group: 0, position: 0, members: [], stripes: DISK_USABLE_BLOCKS - 1, generation: 1, root: false, zeroed: false });
    issue(state, env, batch, disk, { op: 'write', lba: 0, blocks: 1, data: label });
  }
  issue(state, env, batch, disk, { op: 'inquiry' });
  return null;
}

/** The assigned disk answered its inquiry: its size is known, and a group left degraded for want of a spare rebuilds onto it. */
export function diskInquired(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'disk-inquiry') return;
  const record = state.disks[batch.purpose.disk];
  if (record && record.blocks === 0) record.blocks = inquiryBlocks(batch.results[record.id]?.data) ?? DISK_USABLE_BLOCKS;
  for (const aggregate of Object.values(state.aggregates)) {
    for (const group of aggregate.raidGroups) if (group.failed.length === 1 && !group.reconstruction) startReconstruction(state, env, aggregate, group);
  }
}

/** `disk assign <disk> -s unowned`: a spare leaves this filer; its reservation is released. */
export function releaseDisk(state: StorageState, env: StorageEnv, disk: DiskId): DiskAdminError | null {
  const record = state.disks[disk];
  if (!record || !isOwnSpare(record) || record.aggregate !== null) return 'not-a-spare';
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
  if (!record || !isOwnSpare(record) || record.aggregate !== null) return 'not-a-spare';
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
