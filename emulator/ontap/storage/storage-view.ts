// What storage shows the lab window: each disk's RAID role by where it sits, and each RAID group's
// health and reconstruction progress. Published only when a value changes (the filer runs this after
// every storage event), and removed (null) when storage forgets it (a panic or power loss).
//
//   <filer>.disks.<shelf>.<bay>.role              'data' | 'parity' | 'spare' | 'failed' | 'reconstructing' | 'partner'
//   <filer>.raid.<aggr>.rg<n>.status              'normal' | 'degraded' | 'reconstructing' | 'failed'
//   <filer>.raid.<aggr>.rg<n>.reconstructPercent  0–100 while reconstructing
import type { ActorContext } from '../../engine/actor.ts';
import { reconstructionPercent } from './raid-ops.ts';
import type { RaidGroupState, StorageState } from './types.ts';

export type DiskViewRole = 'data' | 'parity' | 'spare' | 'failed' | 'reconstructing' | 'partner';

function groupStatus(group: RaidGroupState): string {
  if (group.failed.length > 1) return 'failed';
  if (group.reconstruction) return 'reconstructing';
  return group.failed.length > 0 ? 'degraded' : 'normal';
}

/** The view as it is now, by path. */
export function storageView(state: StorageState): Record<string, string | number> {
  const view: Record<string, string | number> = {};
  const rebuilding = new Set<string>();
  for (const aggregate of Object.values(state.aggregates)) {
    for (const group of aggregate.raidGroups) {
      const base = `${state.self}.raid.${aggregate.name}.rg${group.index}`;
      view[`${base}.status`] = groupStatus(group);
      if (group.reconstruction) {
        rebuilding.add(group.reconstruction.spare);
        view[`${base}.reconstructPercent`] = reconstructionPercent(group);
      }
    }
  }
  for (const [id, disk] of Object.entries(state.disks)) {
    const role: DiskViewRole = rebuilding.has(id) ? 'reconstructing' : disk.role === 'broken' ? 'failed' : disk.role;
    view[`${state.self}.disks.${disk.address.shelf}.${disk.address.bay}.role`] = role;
  }
  return view;
}

export function publishStorageView(state: StorageState, ctx: ActorContext): void {
  const now = storageView(state);
  const before = state.published;
  for (const [path, value] of Object.entries(now)) {
    if (before[path] !== value) ctx.publish(path, value);
  }
  for (const path of Object.keys(before)) {
    if (!(path in now)) ctx.publish(path, null);
  }
  state.published = now;
}
