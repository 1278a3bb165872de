// The operator's snapshot actions on a volume (the tree and the list are snapshot-tree.ts's): `snap
// create` queues one for the CP it starts; `snap restore` makes a snapshot's tree the active one again;
// and the figures `snap list` and `df` print.
import { startCp } from './cp.ts';
import type { StorageEnv } from './io.ts';
import { snapshotFits } from './snapshot-room.ts';
import { activeBlocks, copyInode, findSnapshot, heldBySnapshots, queueSnapshot, validSnapshotName, type SnapshotError } from './snapshot-tree.ts';
import type { Inode, Snapshot, StorageState, VolumeState } from './types.ts';

/** `snap create`: the snapshot is taken by the CP this starts (or the next one, if one is running). */
export function requestSnapshot(state: StorageState, env: StorageEnv, volume: VolumeState, name: string): SnapshotError | null {
  if (validSnapshotName(name) && !snapshotFits(state, volume, name)) return 'too-many';
  const error = queueSnapshot(volume, name);
  if (!error) startCp(state, env, 'snapshot');
  return error;
}

/**
 * `snap restore -t vol`: the snapshot's tree becomes the active file system (the snapshot stays). The
 * active tree's blocks that no snapshot holds are freed after the next CP, which this starts; file ids
 * go on from the higher of the two counters, so a file made after the snapshot never comes back under
 * an old handle.
 */
export function restoreSnapshot(state: StorageState, env: StorageEnv, volume: VolumeState, name: string): SnapshotError | null {
  const snapshot = findSnapshot(volume, name);
  if (!snapshot) return 'no-such-snapshot';
  const held = heldBySnapshots([volume]);
  volume.orphanBlocks.push(...[...activeBlocks(volume)].filter((vbn) => !held.has(vbn)));
  const inodes: Record<number, Inode> = {};
  for (const [key, inode] of Object.entries(snapshot.inodes)) inodes[Number(key)] = copyInode(inode);
  volume.inodes = inodes;
  volume.nextFileId = Math.max(volume.nextFileId, snapshot.nextFileId);
  // The inode file is written anew by the next CP; the blocks it had are among the orphans above.
  volume.inodeFile = { blocks: [], indirect: [] };
  volume.dirty = true;
  startCp(state, env, 'snapshot');
  return null;
}

/** Blocks held by snapshots and not by the active file system (df's `.snapshot` used). */
export function snapshotOnlyBlocks(volume: VolumeState): number {
  const active = activeBlocks(volume);
  let count = 0;
  for (const vbn of heldBySnapshots([volume])) if (!active.has(vbn)) count += 1;
  return count;
}

/**
 * `snap list`'s figures, newest first: the blocks this snapshot alone holds, and those the snapshots
 * listed so far hold together, neither counting blocks the active file system still uses.
 */
export function snapshotUsage(volume: VolumeState): { snapshot: Snapshot; aloneBlocks: number; cumulativeBlocks: number }[] {
  const active = activeBlocks(volume);
  const snapshots = [...(volume.snapshots ?? [])].reverse();
  const counts = new Map<number, number>();
  for (const snapshot of snapshots) for (const vbn of new Set(snapshot.held)) counts.set(vbn, (counts.get(vbn) ?? 0) + 1);
  const listed = new Set<number>();
  return snapshots.map((snapshot) => {
    let alone = 0;
    for (const vbn of new Set(snapshot.held)) {
      if (active.has(vbn)) continue;
      if (counts.get(vbn) === 1) alone += 1;
      listed.add(vbn);
    }
    return { snapshot, aloneBlocks: alone, cumulativeBlocks: listed.size };
  });
}
