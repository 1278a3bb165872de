// Snapshots in the write-anywhere file system. A snapshot is the volume's tree as a CP wrote it: the
// CP that takes it freezes the inode file it just wrote, and from then on no CP frees a block the frozen
// tree holds (copy-on-write comes free with write anywhere: the active file system never overwrites a
// block, it writes a new one and frees the old one, unless a snapshot holds it). The fsinfo names every
// snapshot's inode file, so snapshots survive a reboot and a takeover; mount reads their trees back.
// This file holds the tree and the list (no CP is started here: snapshot.ts and the schedule do that).
import type { Inode, Snapshot, VolumeState } from './types.ts';
import { SNAPSHOTS_PER_VOLUME_MAX, type BlockPointer, type SnapshotRoot } from './wafl-format.ts';

/** Names the product accepts (letters, digits, `_ . -`; not `.` or `..`), at most 255 characters. */
const SNAPSHOT_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

export type SnapshotError = 'bad-name' | 'exists' | 'no-such-snapshot' | 'too-many';

export function validSnapshotName(name: string): boolean {
  return SNAPSHOT_NAME.test(name) && name !== '.' && name !== '..';
}

function pointersOfTree(tree: { blocks: readonly BlockPointer[]; indirect: readonly BlockPointer[] }): number[] {
  return [...tree.blocks.map((pointer) => pointer.vbn), ...tree.indirect.map((pointer) => pointer.vbn)];
}

/** The VBNs a tree of inodes and its inode file reference. */
export function treeBlocks(inodes: Record<number, Inode>, inodeFile: { blocks: readonly BlockPointer[]; indirect: readonly BlockPointer[] }): number[] {
  const vbns = pointersOfTree(inodeFile);
  for (const inode of Object.values(inodes)) vbns.push(...pointersOfTree(inode));
  return vbns;
}

/** The blocks the active file system references now. */
export function activeBlocks(volume: VolumeState): Set<number> {
  return new Set(treeBlocks(volume.inodes, volume.inodeFile));
}

/** Every block the volumes' snapshots hold. */
export function heldBySnapshots(volumes: readonly VolumeState[]): Set<number> {
  const held = new Set<number>();
  for (const volume of volumes) for (const snapshot of volume.snapshots ?? []) for (const vbn of snapshot.held) held.add(vbn);
  return held;
}

export function copyInode(inode: Inode): Inode {
  return {
    ...inode, data: inode.data.slice(0, inode.size), entries: { ...inode.entries },
    blocks: [...inode.blocks], indirect: [...inode.indirect], dirty: null,
  };
}

/**
 * Freezes the volume's tree as the CP being built has just placed it (every inode's blocks written, the
 * inode file too): called by the CP builder, so the snapshot is exactly that CP's image.
 */
export function freezeSnapshot(
  volume: VolumeState, name: string, createdUs: number, inodeFile: { size: number; blocks: BlockPointer[]; indirect: BlockPointer[] }, taken: readonly Snapshot[],
): Snapshot {
  const used = new Set([...(volume.snapshots ?? []), ...taken].map((snapshot) => snapshot.id));
  let id = 1;
  while (used.has(id)) id += 1;
  const inodes: Record<number, Inode> = {};
  for (const [key, inode] of Object.entries(volume.inodes)) inodes[Number(key)] = copyInode(inode);
  const frozenFile = { size: inodeFile.size, blocks: [...inodeFile.blocks], indirect: [...inodeFile.indirect] };
  return { name, id, createdUs, nextFileId: volume.nextFileId, inodeFile: frozenFile, held: treeBlocks(inodes, frozenFile), inodes };
}

/** What the fsinfo keeps of a snapshot: the root of its frozen tree. */
export function snapshotRoot(snapshot: Snapshot, level: 0 | 1, pointers: readonly BlockPointer[]): SnapshotRoot {
  return {
    name: snapshot.name, id: snapshot.id, createdUs: snapshot.createdUs, nextFileId: snapshot.nextFileId,
    inodeFile: {
      id: 1, generation: 1, type: 'file', mode: 0o600, uid: 0, gid: 0, nlink: 1, size: snapshot.inodeFile.size,
      atimeUs: snapshot.createdUs, mtimeUs: snapshot.createdUs, ctimeUs: snapshot.createdUs, level, pointers: [...pointers],
    },
  };
}

/** The snapshot a mount read back: its tree from the walk, its root from the fsinfo. */
export function snapshotFromDisk(root: SnapshotRoot, inodes: Record<number, Inode>, dataPointers: BlockPointer[]): Snapshot {
  const inodeFile = { size: root.inodeFile.size, blocks: dataPointers, indirect: root.inodeFile.level === 1 ? [...root.inodeFile.pointers] : [] };
  return { name: root.name, id: root.id, createdUs: root.createdUs, nextFileId: root.nextFileId, inodeFile, held: treeBlocks(inodes, inodeFile), inodes };
}

export function findSnapshot(volume: VolumeState, name: string): Snapshot | undefined {
  return volume.snapshots?.find((snapshot) => snapshot.name === name);
}

export function nameTaken(volume: VolumeState, name: string): boolean {
  return findSnapshot(volume, name) !== undefined || (volume.snapshotRequests ?? []).includes(name);
}

/** The CP that took these snapshots is on disk: they join the volume's list and leave its requests. */
export function snapshotsCommitted(volume: VolumeState, taken: readonly Snapshot[]): void {
  if (taken.length === 0) return;
  const names = new Set(taken.map((snapshot) => snapshot.name));
  volume.snapshotRequests = (volume.snapshotRequests ?? []).filter((name) => !names.has(name));
  volume.snapshots = [...(volume.snapshots ?? []), ...taken];
}

/**
 * `snap delete`: the snapshot goes; the blocks only it held are freed after the next CP (whose root no
 * longer names it), with the volume's other orphans.
 */
export function deleteSnapshot(volume: VolumeState, name: string): SnapshotError | null {
  const snapshot = findSnapshot(volume, name);
  if (!snapshot) return 'no-such-snapshot';
  volume.snapshots = (volume.snapshots ?? []).filter((candidate) => candidate !== snapshot);
  const keep = heldBySnapshots([volume]);
  const active = activeBlocks(volume);
  volume.orphanBlocks.push(...snapshot.held.filter((vbn) => !keep.has(vbn) && !active.has(vbn)));
  volume.dirty = true;
  return null;
}

export function renameSnapshot(volume: VolumeState, from: string, to: string): SnapshotError | null {
  const snapshot = findSnapshot(volume, from);
  if (!snapshot) return 'no-such-snapshot';
  if (!validSnapshotName(to)) return 'bad-name';
  if (nameTaken(volume, to)) return 'exists';
  snapshot.name = to;
  volume.dirty = true;
  return null;
}

/** Queues a snapshot for the next CP; the caller starts one. */
export function queueSnapshot(volume: VolumeState, name: string): SnapshotError | null {
  if (!validSnapshotName(name)) return 'bad-name';
  if (nameTaken(volume, name)) return 'exists';
  if ((volume.snapshots?.length ?? 0) + (volume.snapshotRequests?.length ?? 0) >= SNAPSHOTS_PER_VOLUME_MAX) return 'too-many';
  volume.snapshotRequests = [...(volume.snapshotRequests ?? []), name];
  return null;
}
