// RAID-4 geometry and I/O planning (pure). An aggregate's block space (VBNs) is laid over its RAID
// groups: in a group of d data disks plus parity, stripe s holds d consecutive VBNs, one per data disk
// at disk block s + LABEL_BLOCKS, and the parity disk holds their XOR at the same block. Reads of a
// missing disk are rebuilt from the rest of the stripe; writes always cover a whole stripe, so parity
// is computed in memory and no block is ever read back to update it.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import type { AggregateState, DiskId, RaidGroupState } from './types.ts';
import { parityOf } from './xor.ts';

/** Disk block 0 holds the RAID label. */
export const LABEL_BLOCKS = 1;
/** Stripes 0 and 1 of group 0 hold the two fsinfo slots (the CP root, written last). */
export const ROOT_STRIPES = 2;
/** Longest single SCSI transfer the planner issues, in blocks. */
export const MAX_TRANSFER_BLOCKS = 64;

export interface VbnLocation {
  readonly group: number;
  readonly stripe: number;
  readonly position: number;
}

export function dataWidth(group: RaidGroupState): number {
  return group.members.length - 1;
}

export function parityPosition(group: RaidGroupState): number {
  return group.members.length - 1;
}

export function diskLba(stripe: number): number {
  return stripe + LABEL_BLOCKS;
}

export function totalVbns(aggregate: AggregateState): number {
  return aggregate.raidGroups.reduce((sum, group) => sum + dataWidth(group) * aggregate.stripes, 0);
}

/**
 * A run of a group's data positions and the VBNs they cover, stripe by stripe. A group has one run
 * from its creation; each `aggr add` into it appends one for the disks it brought, whose VBNs start at
 * the aggregate's end then, so no block already written moves.
 */
export interface VbnRun {
  readonly firstPosition: number;
  readonly width: number;
  readonly baseVbn: number;
}

export function vbnRuns(group: RaidGroupState): VbnRun[] {
  const starts = [{ firstPosition: 0, baseVbn: group.baseVbn }, ...(group.extents ?? [])];
  return starts.map((start, index) => ({
    firstPosition: start.firstPosition, baseVbn: start.baseVbn,
    width: (starts[index + 1]?.firstPosition ?? dataWidth(group)) - start.firstPosition,
  }));
}

export function locateVbn(aggregate: AggregateState, vbn: number): VbnLocation | null {
  for (const group of aggregate.raidGroups) {
    if (!group.extents || group.extents.length === 0) {
      // A group never grown (the common case): one run, no list to build on this hot path.
      const width = dataWidth(group);
      const offset = vbn - group.baseVbn;
      if (offset >= 0 && offset < width * aggregate.stripes) return { group: group.index, stripe: Math.floor(offset / width), position: offset % width };
      continue;
    }
    for (const run of vbnRuns(group)) {
      const offset = vbn - run.baseVbn;
      if (offset >= 0 && offset < run.width * aggregate.stripes) {
        return { group: group.index, stripe: Math.floor(offset / run.width), position: run.firstPosition + (offset % run.width) };
      }
    }
  }
  return null;
}

export function vbnAt(group: RaidGroupState, stripe: number, position: number): number {
  if (!group.extents || group.extents.length === 0) return group.baseVbn + stripe * dataWidth(group) + position;
  const run = vbnRuns(group).findLast((candidate) => candidate.firstPosition <= position) as VbnRun;
  return run.baseVbn + stripe * run.width + (position - run.firstPosition);
}

export function blockKey(disk: DiskId, lba: number): string {
  return `${disk}:${lba}`;
}

/** Whether a member can be read (present and not being rebuilt). */
export function memberReadable(group: RaidGroupState, position: number): boolean {
  return !group.failed.includes(position);
}

export interface DiskBlockRead {
  readonly disk: DiskId;
  readonly lba: number;
}

/**
 * The disk blocks to read to obtain these VBNs: the block itself on a healthy member, or every other
 * member's block of the stripe (parity included) when its disk is missing. `lost` lists VBNs no read
 * can produce (two members of the group missing, or outside the aggregate).
 */
export function planVbnReads(aggregate: AggregateState, vbns: readonly number[]): { reads: DiskBlockRead[]; lost: number[] } {
  const wanted = new Map<string, DiskBlockRead>();
  const lost: number[] = [];
  for (const vbn of vbns) {
    const location = locateVbn(aggregate, vbn);
    if (!location) { lost.push(vbn); continue; }
    const group = aggregate.raidGroups[location.group];
    const lba = diskLba(location.stripe);
    if (memberReadable(group, location.position)) {
      const disk = group.members[location.position];
      wanted.set(blockKey(disk, lba), { disk, lba });
      continue;
    }
    if (group.failed.length > 1) { lost.push(vbn); continue; }
    group.members.forEach((disk, position) => {
      if (position !== location.position) wanted.set(blockKey(disk, lba), { disk, lba });
    });
  }
  return { reads: [...wanted.values()], lost };
}

/** The content of a VBN from blocks read per planVbnReads, rebuilding it from parity if needed. */
export function resolveVbn(aggregate: AggregateState, vbn: number, blocks: Record<string, Uint8Array>): Uint8Array | null {
  const location = locateVbn(aggregate, vbn);
  if (!location) return null;
  const group = aggregate.raidGroups[location.group];
  const lba = diskLba(location.stripe);
  if (memberReadable(group, location.position)) return blocks[blockKey(group.members[location.position], lba)] ?? null;
  if (group.failed.length > 1) return null;
  const survivors: Uint8Array[] = [];
  for (let position = 0; position < group.members.length; position++) {
    if (position === location.position) continue;
    const block = blocks[blockKey(group.members[position], lba)];
    if (!block) return null;
    survivors.push(block);
  }
  return parityOf(survivors);
}

export interface DiskBlockWrite {
  readonly disk: DiskId;
  readonly lba: number;
  readonly data: Uint8Array;
}

/**
 * The writes of one full stripe: each data block to its member, their XOR to parity. Missing members
 * are skipped (parity covers them); a member under reconstruction is written on its spare.
 */
export function planStripeWrite(group: RaidGroupState, stripe: number, data: readonly Uint8Array[]): DiskBlockWrite[] {
  if (data.length !== dataWidth(group)) throw new Error(`stripe write: ${data.length} blocks for ${dataWidth(group)} data disks`);
  const lba = diskLba(stripe);
  const blocks = [...data, parityOf(data)];
  const writes: DiskBlockWrite[] = [];
  blocks.forEach((block, position) => {
    const target = writeTarget(group, position);
    if (target) writes.push({ disk: target, lba, data: block });
    // A disk being copied: its copy takes every write too, so the copy ends current.
    const copy = group.reconstruction;
    if (copy?.copyFrom !== undefined && copy.position === position) writes.push({ disk: copy.spare, lba, data: block });
  });
  return writes;
}

function writeTarget(group: RaidGroupState, position: number): DiskId | null {
  if (!group.failed.includes(position)) return group.members[position];
  if (group.reconstruction && group.reconstruction.position === position) return group.reconstruction.spare;
  return null;
}

export interface DiskRunWrite {
  readonly disk: DiskId;
  readonly lba: number;
  readonly blocks: number;
  readonly data: Uint8Array;
}

/**
 * Merges single-block writes into runs of consecutive blocks per disk (fewer, larger SCSI writes). Each
 * run gets its own buffer, not a view of one buffer per call: a CP's whole image (~200 KiB in ha-pair)
 * in one buffer is above the C allocator's mmap threshold, so its every page was a fresh page fault
 * when filled (twice this function's time in ha-pair); a run is mostly far smaller and comes from
 * memory already mapped. Nothing writes into a run once issued (a disk copies what it stores).
 */
export function mergeWrites(writes: readonly DiskBlockWrite[]): DiskRunWrite[] {
  const byDisk = new Map<DiskId, DiskBlockWrite[]>();
  for (const write of writes) {
    const list = byDisk.get(write.disk);
    if (list) list.push(write);
    else byDisk.set(write.disk, [write]);
  }
  const runs: DiskRunWrite[] = [];
  for (const [disk, list] of [...byDisk.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => a.lba - b.lba);
    let start = 0;
    for (let index = 1; index <= list.length; index++) {
      const contiguous = index < list.length && list[index].lba === list[index - 1].lba + 1 && index - start < MAX_TRANSFER_BLOCKS;
      if (contiguous) continue;
      const data = new Uint8Array((index - start) * BLOCK_BYTES);
      for (let block = start; block < index; block++) data.set(list[block].data, (block - start) * BLOCK_BYTES);
      runs.push({ disk, lba: list[start].lba, blocks: index - start, data });
      start = index;
    }
  }
  return runs;
}

/** Merges single-block reads into runs of consecutive blocks per disk. */
export function mergeReads(reads: readonly DiskBlockRead[]): { disk: DiskId; lba: number; blocks: number }[] {
  const sorted = [...reads].sort((a, b) => (a.disk === b.disk ? a.lba - b.lba : a.disk < b.disk ? -1 : 1));
  const runs: { disk: DiskId; lba: number; blocks: number }[] = [];
  for (const read of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.disk === read.disk && last.lba + last.blocks === read.lba && last.blocks < MAX_TRANSFER_BLOCKS) {
      last.blocks += 1;
    } else if (!(last && last.disk === read.disk && read.lba >= last.lba && read.lba < last.lba + last.blocks)) {
      runs.push({ disk: read.disk, lba: read.lba, blocks: 1 });
    }
  }
  return runs;
}

/** Group health as `sysconfig -r` names it. */
export function groupStatus(group: RaidGroupState): 'normal' | 'degraded' | 'reconstructing' | 'failed' {
  if (group.failed.length > 1) return 'failed';
  if (group.reconstruction && group.reconstruction.copyFrom === undefined) return 'reconstructing';
  if (group.failed.length === 1) return 'degraded';
  return 'normal';
}
