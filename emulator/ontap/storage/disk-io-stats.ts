// Per-disk I/O counters for `statit`'s disk table: each data-transfer command counted by the kind of
// work it does for — user reads (a mount, fsck, the mailbox), writes, reads a CP makes (parity), and
// RAID's own reads and writes (reconstruction, scrub, zeroing: statit's greads/gwrites) — with its 4 KiB
// blocks and the round trip from issue to completion, as measured in the lab's virtual time.
import type { Micros } from '../../engine/actor.ts';
import type { ScsiCommand } from '../../hardware/scsi.ts';
import type { BatchPurpose, DiskId, IoStats } from './types.ts';

export const DISK_IO_CLASSES = ['ureads', 'writes', 'cpreads', 'greads', 'gwrites'] as const;
export type DiskIoClass = (typeof DISK_IO_CLASSES)[number];

/** Commands, 4 KiB blocks and summed round trips (µs) of one class. */
export interface DiskIoCount {
  commands: number;
  blocks: number;
  roundTripUs: number;
}

export type DiskIoCounts = Record<DiskIoClass, DiskIoCount>;

const RAID_OWN: ReadonlySet<BatchPurpose['kind']> = new Set(['recon', 'recon-write', 'scrub', 'zero']);
const CP: ReadonlySet<BatchPurpose['kind']> = new Set(['cp-data', 'cp-root', 'cp-probe']);

/** The class of a command, or null for one that moves no data (inquiry, reservations). */
export function ioClassOf(command: ScsiCommand, purpose: BatchPurpose['kind']): DiskIoClass | null {
  const read = command.op === 'read' || command.op === 'mailbox-read';
  const write = command.op === 'write' || command.op === 'mailbox-write';
  if (!read && !write) return null;
  if (RAID_OWN.has(purpose)) return read ? 'greads' : 'gwrites';
  if (read) return CP.has(purpose) ? 'cpreads' : 'ureads';
  return 'writes';
}

export function emptyDiskIoCounts(): DiskIoCounts {
  const counts = {} as DiskIoCounts;
  for (const kind of DISK_IO_CLASSES) counts[kind] = { commands: 0, blocks: 0, roundTripUs: 0 };
  return counts;
}

/** Counts a command as it is issued. */
export function countIssued(stats: IoStats, disk: DiskId, ioClass: DiskIoClass, command: ScsiCommand): void {
  const count = ((stats.byDisk ??= {})[disk] ??= emptyDiskIoCounts())[ioClass];
  count.commands += 1;
  count.blocks += 'blocks' in command ? command.blocks : 1;
}

/** Adds a completed command's round trip. */
export function countCompleted(stats: IoStats | undefined, disk: DiskId, ioClass: DiskIoClass, roundTripUs: Micros): void {
  const counts = stats?.byDisk?.[disk];
  if (counts) counts[ioClass].roundTripUs += Math.max(0, roundTripUs);
}
