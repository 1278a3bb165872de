// What storage shows the lab window: each disk's RAID role by where it sits, and each RAID group's
// health and reconstruction progress. Published only when a value changes (the filer runs this after
// every storage event), and removed (null) when storage forgets it (a panic or power loss).
//
//   <filer>.disks.<shelf>.<bay>.role              'data' | 'parity' | 'spare' | 'failed' | 'reconstructing' | 'partner'
//   <filer>.raid.<aggr>.rg<n>.status              'normal' | 'degraded' | 'reconstructing' | 'failed'
//   <filer>.raid.<aggr>.rg<n>.reconstructPercent  0–100 while reconstructing
//   <filer>.storage.diskAccess                    'ok' | 'lost' (disk-access.ts), while storage is up
import type { ActorContext } from '../../engine/actor.ts';
import { reconstructionPercent } from './raid-ops.ts';
import type { DiskRecord, RaidGroupState, StorageState } from './types.ts';

export type DiskViewRole = 'data' | 'parity' | 'spare' | 'failed' | 'reconstructing' | 'partner';

export function groupStatus(group: RaidGroupState): string {
  if (group.failed.length > 1) return 'failed';
  if (group.reconstruction && group.reconstruction.copyFrom === undefined) return 'reconstructing';
  return group.failed.length > 0 ? 'degraded' : 'normal';
}

// Paths are built once per group and disk record (the filer checks the view after every storage event;
// building its ~40 path strings each time was the lab's largest single cost). Keyed by the record, checked
// against the names that make the path, so a restored snapshot's fresh records just get new entries.
interface GroupPaths { readonly self: string; readonly aggregate: string; readonly status: string; readonly percent: string }
interface DiskPath {
  readonly self: string;
  readonly path: string;
  /** The published record this path's value was last read from, and that value (records never change). */
  seenIn: Record<string, string | number> | null;
  seenValue: string | number | undefined;
}
const groupPathCache = new WeakMap<RaidGroupState, GroupPaths>();
const diskPathCache = new WeakMap<DiskRecord, DiskPath>();
/** How many paths each published record holds (counted once; a published record is never mutated). */
const publishedSizes = new WeakMap<Record<string, string | number>, number>();

function groupPaths(self: string, aggregate: string, group: RaidGroupState): GroupPaths {
  const cached = groupPathCache.get(group);
  if (cached && cached.self === self && cached.aggregate === aggregate) return cached;
  const base = `${self}.raid.${aggregate}.rg${group.index}`;
  const paths = { self, aggregate, status: `${base}.status`, percent: `${base}.reconstructPercent` };
  groupPathCache.set(group, paths);
  return paths;
}

function diskEntry(self: string, disk: DiskRecord): DiskPath {
  const cached = diskPathCache.get(disk);
  if (cached && cached.self === self) return cached;
  const entry: DiskPath = { self, path: `${self}.disks.${disk.address.shelf}.${disk.address.bay}.role`, seenIn: null, seenValue: undefined };
  diskPathCache.set(disk, entry);
  return entry;
}

/**
 * The disk records in the order the last check walked them, with their entries: the next check finds
 * each record at its place and skips diskEntry's WeakMap lookup (one per disk per event). Checked by
 * record and id at each place, so any change to the disks just refills the places that moved.
 */
interface DiskWalk { readonly self: string; readonly ids: string[]; readonly records: DiskRecord[]; readonly entries: DiskPath[] }
const diskWalks = new WeakMap<StorageState, DiskWalk>();

function diskWalkOf(state: StorageState): DiskWalk {
  let walk = diskWalks.get(state);
  if (walk === undefined || walk.self !== state.self) {
    walk = { self: state.self, ids: [], records: [], entries: [] };
    diskWalks.set(state, walk);
  }
  return walk;
}

function diskPath(self: string, disk: DiskRecord): string {
  return diskEntry(self, disk).path;
}

/**
 * A disk's value in a published record. The record holds ~40 paths (a dictionary lookup each) and stays
 * the same object while nothing changes, so the entry remembers what it read from it.
 */
function publishedRole(entry: DiskPath, published: Record<string, string | number>): string | number | undefined {
  if (entry.seenIn !== published) {
    entry.seenIn = published;
    entry.seenValue = published[entry.path];
  }
  return entry.seenValue;
}

function isRebuildTarget(state: StorageState, id: string): boolean {
  for (const name in state.aggregates) {
    for (const group of state.aggregates[name].raidGroups) if (group.reconstruction?.spare === id) return true;
  }
  return false;
}

function diskRole(disk: DiskRecord, rebuilding: boolean): DiskViewRole {
  return rebuilding ? 'reconstructing' : disk.role === 'broken' ? 'failed' : disk.role;
}

const accessPaths = new Map<string, string>();

/** `<filer>.storage.diskAccess`, built once per filer. */
function accessPath(self: string): string {
  let path = accessPaths.get(self);
  if (path === undefined) {
    path = `${self}.storage.diskAccess`;
    accessPaths.set(self, path);
  }
  return path;
}

/** The view as it is now, by path. */
export function storageView(state: StorageState): Record<string, string | number> {
  const view: Record<string, string | number> = {};
  if (state.status !== 'down') view[accessPath(state.self)] = state.diskAccess.state;
  let anyRebuilding = false;
  for (const name in state.aggregates) {
    const aggregate = state.aggregates[name];
    for (const group of aggregate.raidGroups) {
      const paths = groupPaths(state.self, aggregate.name, group);
      view[paths.status] = groupStatus(group);
      if (group.reconstruction) {
        anyRebuilding = true;
        view[paths.percent] = reconstructionPercent(group);
      }
    }
  }
  for (const id in state.disks) {
    const disk = state.disks[id];
    view[diskPath(state.self, disk)] = diskRole(disk, anyRebuilding && isRebuildTarget(state, id));
  }
  return view;
}

function publishedSize(published: Record<string, string | number>): number {
  let size = publishedSizes.get(published);
  if (size === undefined) {
    size = 0;
    for (const _path in published) size++;
    publishedSizes.set(published, size);
  }
  return size;
}

/** Whether the view equals what was last published, walked without building it (the common case). */
function viewUnchanged(state: StorageState): boolean {
  const before = state.published;
  let count = 0;
  if (state.status !== 'down') {
    if (before[accessPath(state.self)] !== state.diskAccess.state) return false;
    count++;
  }
  let anyRebuilding = false;
  for (const name in state.aggregates) {
    const aggregate = state.aggregates[name];
    for (const group of aggregate.raidGroups) {
      const paths = groupPaths(state.self, aggregate.name, group);
      if (before[paths.status] !== groupStatus(group)) return false;
      count++;
      if (group.reconstruction) {
        anyRebuilding = true;
        if (before[paths.percent] !== reconstructionPercent(group)) return false;
        count++;
      }
    }
  }
  const walk = diskWalkOf(state);
  let place = 0;
  for (const id in state.disks) {
    const disk = state.disks[id];
    let entry = walk.entries[place];
    if (walk.records[place] !== disk || walk.ids[place] !== id) {
      entry = diskEntry(state.self, disk);
      walk.ids[place] = id;
      walk.records[place] = disk;
      walk.entries[place] = entry;
    }
    place++;
    if (publishedRole(entry, before) !== diskRole(disk, anyRebuilding && isRebuildTarget(state, id))) return false;
    count++;
  }
  // Every current path holds its published value: the view is unchanged unless a path went away.
  return count === publishedSize(before);
}

export function publishStorageView(state: StorageState, ctx: ActorContext): void {
  if (viewUnchanged(state)) return;
  const now = storageView(state);
  const before = state.published;
  for (const path in now) {
    if (before[path] !== now[path]) ctx.publish(path, now[path]);
  }
  for (const path in before) {
    if (!(path in now)) ctx.publish(path, null);
  }
  state.published = now;
}
