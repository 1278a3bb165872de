// Building a consistency point (pure): every dirty block of an aggregate's volumes goes to a NEW place
// (write anywhere: a stripe with no block in use), whole stripes at a time so parity comes from memory;
// then the inode files and, last and separately, the fsinfo root naming them. Blocks the new image no
// longer needs are freed only once that root is on disk, so a crash at any moment leaves the previous
// CP intact.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { crc32 } from './checksum.ts';
import {
  dataWidth, mergeWrites, planStripeWrite, ROOT_STRIPES, vbnAt,
  type DiskBlockWrite, type DiskRunWrite,
} from './raid-layout.ts';
import { formatSchedule } from './snapshot-schedule.ts';
import { freezeSnapshot, snapshotRoot } from './snapshot-tree.ts';
import type { AggregateState, Inode, Snapshot, VolumeState } from './types.ts';
import {
  directoryBytes, encodeDirectory, encodeFsinfo, encodeIndirect, encodeInode, INODE_BYTES, INODE_POINTERS,
  POINTERS_PER_INDIRECT, type BlockPointer, type Fsinfo, type InodeRecord,
} from './wafl-format.ts';

export interface CpImage {
  /** Data, indirect and inode-file blocks: all must complete before the root is written. */
  readonly dataWrites: DiskRunWrite[];
  /** The fsinfo stripe, written last. */
  readonly rootWrites: DiskRunWrite[];
  readonly generation: number;
  /** VBNs to free once the root is on disk. */
  readonly freeAfterCommit: number[];
  readonly blocksWritten: number;
  /**
   * The inodes whose blocks this image moved, with what was dirty in them: if the CP fails (no path
   * to the disks), they are marked dirty again so that the retried CP rewrites them (redirtyAfterFailedCp).
   */
  readonly rewritten: RewrittenInode[];
  /** Snapshots this CP took (snapshot.ts): they join their volumes once the root is on disk. */
  readonly snapshotsTaken: { readonly volume: string; readonly snapshots: Snapshot[] }[];
}

export interface RewrittenInode {
  readonly volume: string;
  readonly inode: number;
  readonly dirty: 'all' | number[];
}

/** Hands out VBNs a stripe at a time, collecting each stripe's blocks until it is full. */
class StripeAllocator {
  private stripe: { group: number; stripe: number; blocks: Uint8Array[] } | null = null;
  readonly writes: DiskBlockWrite[] = [];
  blocksWritten = 0;
  constructor(private readonly aggregate: AggregateState) {}

  place(block: Uint8Array): BlockPointer {
    if (!this.stripe) this.stripe = this.nextFreeStripe();
    const group = this.aggregate.raidGroups[this.stripe.group];
    const vbn = vbnAt(group, this.stripe.stripe, this.stripe.blocks.length);
    this.stripe.blocks.push(block);
    this.aggregate.used[vbn] = 1;
    this.aggregate.usedCount += 1;
    this.blocksWritten += 1;
    if (this.stripe.blocks.length === dataWidth(group)) this.flush();
    return { vbn, crc: crc32(block) };
  }

  /** Pads the last stripe with zero blocks (left free) and emits it. */
  flush(): void {
    if (!this.stripe) return;
    const group = this.aggregate.raidGroups[this.stripe.group];
    while (this.stripe.blocks.length < dataWidth(group)) this.stripe.blocks.push(new Uint8Array(BLOCK_BYTES));
    this.writes.push(...planStripeWrite(group, this.stripe.stripe, this.stripe.blocks));
    this.stripe = null;
  }

  private nextFreeStripe(): { group: number; stripe: number; blocks: Uint8Array[] } {
    const { aggregate } = this;
    const total = aggregate.raidGroups.length * aggregate.stripes;
    for (let step = 0; step < total; step++) {
      const linear = (aggregate.stripeCursor + step) % total;
      const groupIndex = Math.floor(linear / aggregate.stripes);
      const stripe = linear % aggregate.stripes;
      if (groupIndex === 0 && stripe < ROOT_STRIPES) continue;
      const group = aggregate.raidGroups[groupIndex];
      if (stripeInUse(aggregate, groupIndex, stripe)) continue;
      aggregate.stripeCursor = (linear + 1) % total;
      return { group: group.index, stripe, blocks: [] };
    }
    throw new NoSpaceError(aggregate.name);
  }
}

export class NoSpaceError extends Error {
  constructor(aggregate: string) {
    super(`aggregate ${aggregate} has no free stripe`);
  }
}

export function stripeInUse(aggregate: AggregateState, groupIndex: number, stripe: number): boolean {
  const group = aggregate.raidGroups[groupIndex];
  for (let position = 0; position < dataWidth(group); position++) {
    if (aggregate.used[vbnAt(group, stripe, position)]) return true;
  }
  return false;
}

/**
 * Builds the CP image of one aggregate and moves the in-memory pointers to the new blocks. `prefix` is
 * the partner namespace of an aggregate held after a takeover: the disks keep the partner's own names.
 */
export function buildCp(aggregate: AggregateState, volumes: readonly VolumeState[], cpSeq: number, nowUs: number, prefix = ''): CpImage {
  const onDisk = (name: string): string => (prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const allocator = new StripeAllocator(aggregate);
  const freeAfterCommit: number[] = [];
  const fsinfoVolumes: Fsinfo['volumes'][number][] = [];
  const rewritten: RewrittenInode[] = [];
  const snapshotsTaken: CpImage['snapshotsTaken'] = [];
  const held = new Set<number>();
  for (const volume of [...volumes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    freeAfterCommit.push(...volume.orphanBlocks);
    volume.orphanBlocks = [];
    const ids = Object.keys(volume.inodes).map(Number).sort((a, b) => a - b);
    for (const id of ids) {
      const dirty = volume.inodes[id].dirty;
      if (dirty !== null) rewritten.push({ volume: volume.name, inode: id, dirty: dirty === 'all' ? 'all' : [...dirty] });
      writeInodeBlocks(volume.inodes[id], allocator, freeAfterCommit);
    }
    const inodeFileBytes = encodeInodeFile(volume, ids);
    const inodeFile = rewriteAll(inodeFileBytes, volume.inodeFile, allocator, freeAfterCommit);
    volume.inodeFile = inodeFile;
    volume.dirty = false;
    const taken: Snapshot[] = [];
    for (const name of volume.snapshotRequests ?? []) taken.push(freezeSnapshot(volume, name, nowUs, { size: inodeFileBytes.length, ...inodeFile }, taken));
    if (taken.length > 0) snapshotsTaken.push({ volume: volume.name, snapshots: taken });
    const snapshots = [...(volume.snapshots ?? []), ...taken];
    for (const snapshot of snapshots) for (const vbn of snapshot.held) held.add(vbn);
    fsinfoVolumes.push({
      name: onDisk(volume.name), fsid: volume.fsid, sizeBytes: volume.sizeBytes, nextFileId: volume.nextFileId,
      settings: { offline: volume.adminOffline === true, ...(volume.snapReserve === undefined ? {} : { snapReserve: volume.snapReserve }), options: volume.options ?? {} },
      inodeFile: {
        id: 1, generation: 1, type: 'file', mode: 0o600, uid: 0, gid: 0, nlink: 1, size: inodeFileBytes.length,
        atimeUs: nowUs, mtimeUs: nowUs, ctimeUs: nowUs, ...pointersOf(inodeFile),
      },
      ...(snapshots.length > 0 ? { snapshots: snapshots.map((snapshot) => { const root = pointersOf(snapshot.inodeFile); return snapshotRoot(snapshot, root.level, root.pointers); }) } : {}),
      ...(volume.snapSchedule ? { snapSchedule: formatSchedule(volume.snapSchedule) } : {}),
    });
  }
  allocator.flush();
  // Copy-on-write: a block the new image no longer needs stays allocated while a snapshot holds it.
  const freed = held.size === 0 ? freeAfterCommit : freeAfterCommit.filter((vbn) => !held.has(vbn));
  const generation = aggregate.generation + 1;
  const fsinfo = encodeFsinfo({ aggregate: onDisk(aggregate.name), generation, cpSeq, timeUs: nowUs, volumes: fsinfoVolumes });
  const rootGroup = aggregate.raidGroups[0];
  const rootStripe = generation % ROOT_STRIPES;
  const rootBlocks = Array.from({ length: dataWidth(rootGroup) }, () => fsinfo);
  return {
    dataWrites: mergeWrites(allocator.writes),
    rootWrites: mergeWrites(planStripeWrite(rootGroup, rootStripe, rootBlocks)),
    generation,
    freeAfterCommit: freed,
    blocksWritten: allocator.blocksWritten,
    rewritten,
    snapshotsTaken,
  };
}

/** The inode file: record of file id N at byte N * INODE_BYTES; free slots are zeros. */
function encodeInodeFile(volume: VolumeState, ids: readonly number[]): Uint8Array {
  const maxId = ids.length > 0 ? ids[ids.length - 1] : 0;
  const bytes = new Uint8Array((maxId + 1) * INODE_BYTES);
  for (const id of ids) encodeInode(inodeRecord(volume.inodes[id]), bytes.subarray(id * INODE_BYTES, (id + 1) * INODE_BYTES));
  return bytes;
}

export function inodeRecord(inode: Inode): InodeRecord {
  return {
    id: inode.id, generation: inode.generation, type: inode.type, mode: inode.mode, uid: inode.uid, gid: inode.gid,
    nlink: inode.nlink, size: inode.type === 'dir' ? directoryBytes(inode.entries) : inode.size,
    atimeUs: inode.atimeUs, mtimeUs: inode.mtimeUs, ctimeUs: inode.ctimeUs, ...pointersOf(inode),
  };
}

function pointersOf(tree: { blocks: BlockPointer[]; indirect: BlockPointer[] }): { level: 0 | 1; pointers: BlockPointer[] } {
  return tree.blocks.length > INODE_POINTERS ? { level: 1, pointers: tree.indirect } : { level: 0, pointers: tree.blocks };
}

/**
 * Block `index` of a file's content. A whole block is a view, not a copy: a placed block is only read
 * (checksum, parity) and copied into the CP's runs by mergeWrites before buildCp returns, so the file
 * changing later cannot reach the disks. Only the short last block is padded into a fresh one.
 */
function blockOf(content: Uint8Array, index: number): Uint8Array {
  if ((index + 1) * BLOCK_BYTES <= content.length) return content.subarray(index * BLOCK_BYTES, (index + 1) * BLOCK_BYTES);
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(content.subarray(index * BLOCK_BYTES, Math.min(content.length, (index + 1) * BLOCK_BYTES)));
  return block;
}

function writeInodeBlocks(inode: Inode, allocator: StripeAllocator, free: number[]): void {
  if (inode.dirty === null) return;
  const content = inode.type === 'dir' ? encodeDirectory(inode.entries) : inode.data.subarray(0, inode.size);
  const count = Math.ceil(content.length / BLOCK_BYTES);
  for (const pointer of inode.blocks.slice(count)) free.push(pointer.vbn);
  const blocks = inode.blocks.slice(0, count);
  const dirty = new Set(inode.dirty === 'all' ? [] : inode.dirty);
  for (let index = 0; index < count; index++) {
    if (inode.dirty !== 'all' && !dirty.has(index) && index < blocks.length) continue;
    if (index < blocks.length) free.push(blocks[index].vbn);
    blocks[index] = allocator.place(blockOf(content, index));
  }
  inode.blocks = blocks;
  inode.indirect = rewriteIndirect(blocks, inode.indirect, allocator, free);
  inode.dirty = null;
}

function rewriteIndirect(blocks: BlockPointer[], old: BlockPointer[], allocator: StripeAllocator, free: number[]): BlockPointer[] {
  for (const pointer of old) free.push(pointer.vbn);
  if (blocks.length <= INODE_POINTERS) return [];
  const indirect: BlockPointer[] = [];
  for (let start = 0; start < blocks.length; start += POINTERS_PER_INDIRECT) {
    indirect.push(allocator.place(encodeIndirect(blocks.slice(start, start + POINTERS_PER_INDIRECT))));
  }
  return indirect;
}

function rewriteAll(
  content: Uint8Array, old: { blocks: BlockPointer[]; indirect: BlockPointer[] }, allocator: StripeAllocator, free: number[],
): { blocks: BlockPointer[]; indirect: BlockPointer[] } {
  for (const pointer of old.blocks) free.push(pointer.vbn);
  const blocks: BlockPointer[] = [];
  for (let index = 0; index * BLOCK_BYTES < content.length; index++) blocks.push(allocator.place(blockOf(content, index)));
  return { blocks, indirect: rewriteIndirect(blocks, old.indirect, allocator, free) };
}

/**
 * After the root is on disk: the previous image's blocks become free, and so do the blocks failed CPs
 * left pending (the image on disk no longer names them either).
 */
export function commitCp(aggregate: AggregateState, image: { generation: number; freeAfterCommit: readonly number[] }, cpSeq: number): void {
  const pending = aggregate.pendingFree;
  aggregate.pendingFree = [];
  for (const vbn of [...pending, ...image.freeAfterCommit]) {
    if (aggregate.used[vbn]) {
      delete aggregate.used[vbn];
      aggregate.usedCount -= 1;
    }
  }
  aggregate.generation = image.generation;
  aggregate.cpSeq = cpSeq;
}

/**
 * A CP of this aggregate could not reach its disks: its root was never committed, so the image on disk
 * is still the previous one. The blocks that CP meant to free stay in use until a later CP commits; the
 * inodes it moved are dirty again (their new blocks may never have been written) and so is every
 * volume's inode file, so the retried CP writes them all anew.
 */
export function redirtyAfterFailedCp(
  aggregate: AggregateState, volumes: Record<string, VolumeState>, image: { freeAfterCommit: readonly number[]; rewritten: readonly RewrittenInode[] },
): void {
  aggregate.pendingFree.push(...image.freeAfterCommit);
  for (const volume of Object.values(volumes)) if (volume.aggregate === aggregate.name) volume.dirty = true;
  for (const moved of image.rewritten) {
    const inode = volumes[moved.volume]?.inodes[moved.inode];
    // A file removed since: its blocks went to the volume's orphans, freed after the next commit.
    if (!inode) continue;
    if (inode.dirty === 'all' || moved.dirty === 'all') inode.dirty = 'all';
    else inode.dirty = [...new Set([...(inode.dirty ?? []), ...moved.dirty])].sort((a, b) => a - b);
  }
}
