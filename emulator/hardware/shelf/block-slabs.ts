// Where a disk keeps its written blocks (issue 20, memory): in 64 KiB slabs of 16 blocks, a block being
// a 4 KiB view into its slab, rather than one ArrayBuffer per block. Thousands of small buffers each
// cost an allocation, a backing-store record and their share of the GC's external-memory accounting
// (which brings full collections forward); a slab costs that once. A block freed by a zero write goes
// to a free list, and a block written again is overwritten in place. Small slabs, so that a disk with
// few blocks written holds little more than those (1 MiB slabs cost ha-pair ~6 MB more at 300 s).
//
// The disk's state stays plain data: `DiskState.data` holds Uint8Arrays, views or not, and the slabs
// are kept beside it, by disk. Only blocks cut from this disk's slabs are ever reused or overwritten:
// a block that came from elsewhere (a restored snapshot's, which may share it) is replaced, never
// written into. Nothing else holds a block: a read copies out of it and a snapshot copies it
// (`slice`, so a snapshot carries 4 KiB per block, not the slab).
import { BLOCK_BYTES } from '../scsi.ts';
import type { DiskState } from './disk.ts';

const SLAB_BLOCKS = 16;

interface DiskSlabs {
  /** The slabs cut for this disk: a block is ours to reuse only if its buffer is one of them. */
  readonly owned: WeakSet<ArrayBufferLike>;
  /** Blocks of our slabs that hold nothing. */
  readonly free: Uint8Array[];
}

const slabsByDisk = new WeakMap<DiskState, DiskSlabs>();

function slabsOf(disk: DiskState): DiskSlabs {
  let slabs = slabsByDisk.get(disk);
  if (slabs === undefined) {
    slabs = { owned: new WeakSet(), free: [] };
    slabsByDisk.set(disk, slabs);
  }
  return slabs;
}

function freeBlock(slabs: DiskSlabs): Uint8Array {
  const block = slabs.free.pop();
  if (block !== undefined) return block;
  const slab = new ArrayBuffer(SLAB_BLOCKS * BLOCK_BYTES);
  slabs.owned.add(slab);
  // Handed out from the front, so a slab fills in order.
  for (let index = SLAB_BLOCKS - 1; index > 0; index -= 1) slabs.free.push(new Uint8Array(slab, index * BLOCK_BYTES, BLOCK_BYTES));
  return new Uint8Array(slab, 0, BLOCK_BYTES);
}

/** Stores one block's bytes (`bytes` is BLOCK_BYTES long and stays the caller's) at `lba`. */
export function storeBlock(disk: DiskState, lba: number, bytes: Uint8Array): void {
  const slabs = slabsOf(disk);
  const held = disk.data[lba];
  const block = held !== undefined && slabs.owned.has(held.buffer) ? held : freeBlock(slabs);
  block.set(bytes);
  disk.data[lba] = block;
}

/** Forgets the block at `lba` (it reads as zeros from now on). */
export function dropBlock(disk: DiskState, lba: number): void {
  const held = disk.data[lba];
  if (held === undefined) return;
  delete disk.data[lba];
  const slabs = slabsOf(disk);
  if (slabs.owned.has(held.buffer)) slabs.free.push(held);
}
