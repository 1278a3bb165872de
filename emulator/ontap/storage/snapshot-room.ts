// Whether one more snapshot's root fits in its aggregate's fsinfo block, which names every volume's
// snapshots (wafl-format.ts). Asked before a snapshot is queued, so that a CP never builds a root block
// it cannot write: the fsinfo is encoded as it would be with every volume's inode file at its largest,
// every queued snapshot and the new one at their largest, and every schedule at its longest.
import type { StorageState, VolumeState } from './types.ts';
import { encodeFsinfo, INODE_POINTERS, type BlockPointer, type FsinfoVolume, type InodeRecord, type SnapshotRoot } from './wafl-format.ts';

const LONGEST_SCHEDULE = `255 255 255@${Array.from({ length: 24 }, (_unused, hour) => hour).join(',')}`;

function inodeFileOf(pointerCount: number): InodeRecord {
  const pointers: BlockPointer[] = Array.from({ length: pointerCount }, () => ({ vbn: 0xffffffff, crc: 0xffffffff }));
  return { id: 1, generation: 1, type: 'file', mode: 0o600, uid: 0, gid: 0, nlink: 1, size: 0, atimeUs: 0, mtimeUs: 0, ctimeUs: 0, level: 1, pointers };
}

function rootOf(name: string, pointerCount: number): SnapshotRoot {
  return { name, id: 255, createdUs: 0, nextFileId: 0, inodeFile: inodeFileOf(pointerCount) };
}

function largestEntry(volume: VolumeState, extra: string | null): FsinfoVolume {
  const snapshots = [
    ...(volume.snapshots ?? []).map((snapshot) => rootOf(snapshot.name, Math.min(INODE_POINTERS, Math.max(snapshot.inodeFile.blocks.length, snapshot.inodeFile.indirect.length)))),
    ...[...(volume.snapshotRequests ?? []), ...(extra === null ? [] : [extra])].map((name) => rootOf(name, INODE_POINTERS)),
  ];
  return {
    name: volume.name, fsid: volume.fsid, sizeBytes: volume.sizeBytes, nextFileId: volume.nextFileId, inodeFile: inodeFileOf(INODE_POINTERS),
    settings: { offline: true, snapReserve: 100, options: volume.options ?? {} }, snapshots, snapSchedule: LONGEST_SCHEDULE,
  };
}

/** True when the aggregate's fsinfo can also name a snapshot `name` of `volume`. */
export function snapshotFits(state: StorageState, volume: VolumeState, name: string): boolean {
  const volumes = Object.values(state.volumes).filter((candidate) => candidate.aggregate === volume.aggregate);
  try {
    encodeFsinfo({
      aggregate: volume.aggregate, generation: 0, cpSeq: 0, timeUs: 0,
      volumes: volumes.map((candidate) => largestEntry(candidate, candidate === volume ? name : null)),
    });
    return true;
  } catch {
    return false;
  }
}
