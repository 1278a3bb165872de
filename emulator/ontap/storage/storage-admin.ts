// The operator's changes to the storage layout: `aggr create` on spares, `aggr add` (into the last RAID
// group up to its raidsize, then new groups), `aggr offline|online|options` (kept in the RAID labels), `vol create` (an empty flexible volume
// that the next CP writes into its aggregate's fsinfo) and `vol size`. Each returns an error word for the
// console to phrase, or what it did.
import { logEms } from '../ems.ts';
import { buildGroups, formatAggregate, labelNewGroups } from './aggregate-build.ts';
import { groupCanGrow, growGroup, planAddition, relabelAggregate, type AddTarget } from './aggregate-grow.ts';
import { startCp } from './cp.ts';
import type { StorageEnv } from './io.ts';
import { LABEL_BLOCKS, totalVbns } from './raid-layout.ts';
import { isAvailableSpare } from './raid-ops.ts';
import type { AggregateState, DiskId, StorageState, VolumeState } from './types.ts';
import { DEFAULT_SNAP_SCHEDULE } from './snapshot-schedule.ts';
import { createVolume, usedBytes } from './wafl-fs.ts';

/** RAID-4 group sizes the product accepts for FC disks (7-Mode: 2 to 14, default 8). */
export const RAID4_SIZE_MIN = 2;
export const RAID4_SIZE_MAX = 14;
export const RAID4_SIZE_DEFAULT = 8;
/** Smallest and largest flexible volume (7.3: 20 MB to 16 TB). */
export const FLEXVOL_MIN_BYTES = 20 * 1024 * 1024;
export const FLEXVOL_MAX_BYTES = 16 * 1024 ** 4;

export type LayoutError =
  | 'exists' | 'no-such-aggregate' | 'not-enough-spares' | 'not-a-spare' | 'too-small' | 'too-large'
  | 'no-space' | 'not-online' | 'root' | 'has-online-volumes' | 'partner' | 'below-used' | 'too-few-disks'
  | 'group-full' | 'no-such-group' | 'group-degraded';

/** The spares that can join an aggregate now: owned, not being zeroed, big enough, by disk order. */
export function usableSpares(state: StorageState, minBlocks = 0): DiskId[] {
  return Object.values(state.disks)
    .filter((record) => isAvailableSpare(record) && record.aggregate === null && record.blocks > 0 && record.blocks >= minBlocks)
    .sort((a, b) => (a.zeroed === b.zeroed ? 0 : a.zeroed ? -1 : 1) || a.address.shelf.localeCompare(b.address.shelf) || a.address.bay - b.address.bay)
    .map((record) => record.id);
}

/** The spares named, or the first `count` usable ones. */
function pickSpares(state: StorageState, count: number, named: readonly DiskId[] | null, minBlocks = 0): DiskId[] | LayoutError {
  const usable = usableSpares(state, minBlocks);
  if (named) return named.every((disk) => usable.includes(disk)) ? [...named] : 'not-a-spare';
  return usable.length < count ? 'not-enough-spares' : usable.slice(0, count);
}

export function raidSizeOf(aggregate: AggregateState, configured?: number): number {
  const option = Number(aggregate.options?.raidsize);
  return Number.isInteger(option) && option > 0 ? option : configured ?? RAID4_SIZE_DEFAULT;
}

/** `aggr create <name> [-r size] {N | -d disks}`: a new, empty, online aggregate. */
export function createAggregateOnSpares(
  state: StorageState, env: StorageEnv, name: string, count: number, named: readonly DiskId[] | null, raidSize: number,
): AggregateState | LayoutError {
  if (state.aggregates[name] || state.volumes[name]) return 'exists';
  if (count < 2) return 'too-few-disks';
  const disks = pickSpares(state, count, named);
  if (typeof disks === 'string') return disks;
  const aggregate = formatAggregate(state, env, name, disks, raidSize, false, { raidsize: String(raidSize) });
  if (!aggregate) return 'too-few-disks';
  logEms(env.filer, env.ctx, 'raid.vol.created', 'notice', `Aggregate ${name} created with ${disks.length} disks.`);
  startCp(state, env, 'aggr');
  return aggregate;
}

/**
 * `aggr add <name> [-g target] {N | -d disks}`: the disks fill the last RAID group up to `raidSize`,
 * then make new groups after it (aggregate-grow.ts); every check passes before anything changes.
 */
export function addDisksToAggregate(
  state: StorageState, env: StorageEnv, aggregate: AggregateState, count: number, named: readonly DiskId[] | null, raidSize: number,
  target: AddTarget = 'last',
): DiskId[] | LayoutError {
  if (aggregate.partnerOf !== undefined) return 'partner';
  if (aggregate.status !== 'online') return 'not-online';
  const disks = pickSpares(state, count, named, aggregate.stripes + LABEL_BLOCKS);
  if (typeof disks === 'string') return disks;
  const plan = planAddition(aggregate.raidGroups.map((group) => group.members.length), raidSize, disks.length, target);
  if (typeof plan === 'string') return plan;
  if (plan.into.some((step) => !groupCanGrow(aggregate.raidGroups[step.group]))) return 'group-degraded';
  let next = 0;
  for (const step of plan.into) {
    growGroup(state, env, aggregate, aggregate.raidGroups[step.group], disks.slice(next, next + step.count));
    next += step.count;
  }
  const lists = plan.newGroups.map((size) => { const list = disks.slice(next, next + size); next += size; return list; });
  const groups = buildGroups(lists, aggregate.stripes, aggregate.raidGroups.length, totalVbns(aggregate));
  // The groups there before carry the grown layout from now on: their labels are written again.
  if (plan.into.length > 0) relabelAggregate(state, env, aggregate);
  aggregate.raidGroups.push(...groups);
  labelNewGroups(state, env, aggregate, groups);
  startCp(state, env, 'aggr');
  return disks;
}

/** `aggr offline`: only an aggregate none of whose volumes is online, and not the root aggregate. */
export function offlineAggregate(state: StorageState, env: StorageEnv, aggregate: AggregateState): LayoutError | null {
  if (aggregate.root) return 'root';
  if (aggregate.partnerOf !== undefined) return 'partner';
  if (aggregate.status !== 'online') return 'not-online';
  if (Object.values(state.volumes).some((volume) => volume.aggregate === aggregate.name && volume.status === 'online')) return 'has-online-volumes';
  aggregate.status = 'offline';
  aggregate.adminOffline = true;
  relabelAggregate(state, env, aggregate);
  return null;
}

export function onlineAggregate(state: StorageState, env: StorageEnv, aggregate: AggregateState): LayoutError | null {
  if (aggregate.status === 'online') return null;
  if (!aggregate.adminOffline) return 'not-online';
  aggregate.status = 'online';
  aggregate.adminOffline = false;
  relabelAggregate(state, env, aggregate);
  return null;
}

/** `aggr options <aggr> <name> <value>`: kept in the aggregate's labels, so a reboot or a takeover finds it. */
export function setAggregateOption(state: StorageState, env: StorageEnv, aggregate: AggregateState, option: string, value: string): void {
  aggregate.options = { ...aggregate.options, [option]: value };
  relabelAggregate(state, env, aggregate);
}

/** Kilobytes of the aggregate the volumes in it guarantee (their sizes), but for `except`. */
function guaranteedKb(state: StorageState, aggregate: AggregateState, except?: VolumeState): number {
  return Object.values(state.volumes)
    .filter((volume) => volume.aggregate === aggregate.name && volume !== except)
    .reduce((sum, volume) => sum + volume.sizeBytes / 1024, 0);
}

/** What the aggregate can hold for volumes: its data blocks less the 5% aggregate snapshot reserve. */
export function aggregateCapacityKb(aggregate: AggregateState): number {
  const totalKb = totalVbns(aggregate) * 4;
  return totalKb - Math.floor(totalKb * 0.05);
}

function checkSize(state: StorageState, aggregate: AggregateState, bytes: number, except?: VolumeState): LayoutError | null {
  if (bytes < FLEXVOL_MIN_BYTES) return 'too-small';
  if (bytes > FLEXVOL_MAX_BYTES) return 'too-large';
  if (guaranteedKb(state, aggregate, except) + bytes / 1024 > aggregateCapacityKb(aggregate)) return 'no-space';
  return null;
}

/** A volume id no volume this filer holds has: `<filer's range> + n`, apart from the lab file's numbering. */
function freshFsid(state: StorageState, systemId: string): number {
  const base = 0x40000000 + (Number(systemId) % 0x3000) * 0x10000;
  const taken = new Set(Object.values(state.volumes).map((volume) => volume.fsid));
  let fsid = base + 1;
  while (taken.has(fsid)) fsid += 1;
  return fsid;
}

/** `vol create <name> <aggr> <size>`: an empty flexible volume, online at once, on disk at the CP it starts. */
export function createFlexVolume(state: StorageState, env: StorageEnv, name: string, aggregateName: string, bytes: number): VolumeState | LayoutError {
  if (state.volumes[name] || state.aggregates[name]) return 'exists';
  const aggregate = state.aggregates[aggregateName];
  if (!aggregate || aggregate.partnerOf !== undefined) return 'no-such-aggregate';
  if (aggregate.status !== 'online') return 'not-online';
  const error = checkSize(state, aggregate, bytes);
  if (error) return error;
  const volume = createVolume(name, aggregateName, freshFsid(state, env.filer.config.systemId), bytes, env.ctx.now);
  // A new volume gets the product's default snapshot schedule (the lab file's volumes start with none).
  volume.snapSchedule = DEFAULT_SNAP_SCHEDULE;
  state.volumes[name] = volume;
  startCp(state, env, 'vol');
  return volume;
}

/** `vol size <vol> [+|-]<size>`: the new size, at least what the volume uses and what the aggregate has. */
export function resizeVolume(state: StorageState, env: StorageEnv, volume: VolumeState, bytes: number): LayoutError | null {
  const aggregate = state.aggregates[volume.aggregate];
  if (!aggregate || aggregate.status !== 'online') return 'not-online';
  if (bytes < usedBytes(volume)) return 'below-used';
  const error = checkSize(state, aggregate, bytes, volume);
  if (error) return error;
  volume.sizeBytes = bytes;
  volume.dirty = true;
  startCp(state, env, 'vol');
  return null;
}
