// One disk in a shelf bay (DESIGN.md §3): 4 KiB blocks stored sparsely (only blocks ever written with
// something other than zeros take memory), health, SCSI-3 persistent reservations and the mailbox area.
//
// Fault model: `failed` answers nothing but not-ready; a media error on a block fails reads that touch
// it (a write to the block reallocates it, as a real disk does, which is how RAID repairs it); `slow`
// adds SLOW_EXTRA_US to every answer. Reservations are "write exclusive, registrants only" (what ONTAP
// uses): anyone reads; while a reservation is held only registered keys write; preempt removes the
// victim's registration, so its writes are refused from then on with 'reservation-conflict'.
import { BLOCK_BYTES, type ReservationKey, type ScsiCommand, type ScsiStatus } from '../scsi.ts';
import { dropBlock, storeBlock } from './block-slabs.ts';

/** Time a healthy disk takes to answer one command. */
export const DISK_SERVICE_US = 2_000;
/** Extra time a `slow` disk takes. */
export const SLOW_EXTRA_US = 300_000;
/** The reserved mailbox area outside the data blocks. */
export const MAILBOX_BYTES = 4_096;

export interface PersistentReservation {
  /** Registered keys, in registration order. */
  keys: ReservationKey[];
  holder: ReservationKey | null;
}

export interface DiskState {
  readonly bay: number;
  readonly serial: string;
  /** Capacity in 4 KiB blocks. */
  readonly blocks: number;
  /** Written blocks by LBA; a missing block reads as zeros. A plain object, not a Map: actor state
   *  is plain data, so that a snapshot (or a worker thread) carries it whole. */
  data: Record<number, Uint8Array>;
  health: 'ok' | 'failed';
  /** LBAs that fail to read. */
  mediaErrors: number[];
  slow: boolean;
  /** Software ownership (the filer that owns the disk): the lab file's, then what `owner-write` set. */
  owner: string | null;
  reservation: PersistentReservation;
  mailbox: Uint8Array;
  /** Commands served: the activity LED. */
  commands: number;
}

export interface DiskAnswer {
  readonly status: ScsiStatus;
  readonly data?: Uint8Array;
  readonly reservation?: { readonly keys: readonly ReservationKey[]; readonly holder: ReservationKey | null };
  readonly owner?: string | null;
  readonly badLba?: number;
}

export function createDisk(bay: number, serial: string, blocks: number, owner: string | null): DiskState {
  return {
    bay, serial, blocks, data: {}, health: 'ok', mediaErrors: [], slow: false, owner,
    reservation: { keys: [], holder: null }, mailbox: new Uint8Array(MAILBOX_BYTES), commands: 0,
  };
}

/** What the disk does with one command. `ready` is false while the shelf has no power. */
export function executeCommand(disk: DiskState, key: ReservationKey, command: ScsiCommand, ready: boolean): DiskAnswer {
  if (!ready || disk.health === 'failed') return { status: 'not-ready' };
  disk.commands += 1;
  switch (command.op) {
    case 'read':
      return readBlocks(disk, command.lba, command.blocks);
    case 'write':
      return writeBlocks(disk, key, command.lba, command.blocks, command.data);
    case 'inquiry':
      return { status: 'good', data: asciiBytes(JSON.stringify({ vendor: 'NETAPP', model: 'X279_FILERLAB', serial: disk.serial, blocks: disk.blocks })) };
    case 'mailbox-read':
      return { status: 'good', data: disk.mailbox.slice() };
    case 'mailbox-write':
      // The mailbox sits in the disk's reserved area, but a write there is a write: fenced like any.
      if (!mayWrite(disk, key)) return { status: 'reservation-conflict' };
      storeMailbox(disk, command.data);
      return { status: 'good' };
    case 'pr-register':
      if (!disk.reservation.keys.includes(command.key)) disk.reservation.keys.push(command.key);
      return { status: 'good' };
    case 'pr-reserve': {
      const pr = disk.reservation;
      if (!pr.keys.includes(command.key) || (pr.holder !== null && pr.holder !== command.key)) return { status: 'reservation-conflict' };
      pr.holder = command.key;
      return { status: 'good' };
    }
    case 'pr-preempt': {
      const pr = disk.reservation;
      if (!pr.keys.includes(command.key)) return { status: 'reservation-conflict' };
      pr.keys = pr.keys.filter((k) => k !== command.victim);
      if (pr.holder === null || pr.holder === command.victim) pr.holder = command.key;
      return { status: 'good' };
    }
    case 'pr-release':
      if (disk.reservation.holder === command.key) disk.reservation.holder = null;
      return { status: 'good' };
    case 'pr-read':
      return { status: 'good', reservation: { keys: [...disk.reservation.keys], holder: disk.reservation.holder }, owner: disk.owner };
    case 'owner-write':
      if (!mayWrite(disk, key)) return { status: 'reservation-conflict' };
      disk.owner = command.owner;
      return { status: 'good' };
  }
}

// Mailboxes this module made, which nothing else holds (a read copies out, a snapshot copies): only
// these are written over in place. A restored lab's may be shared with its snapshot, so it is replaced.
// Each filer writes its mailbox disks every second; a new 4 KiB buffer each time showed in the profile.
const ownMailboxes = new WeakSet<Uint8Array>();

/** The mailbox now holds `data` (cut to MAILBOX_BYTES), zeros after it. */
function storeMailbox(disk: DiskState, data: Uint8Array): void {
  if (!ownMailboxes.has(disk.mailbox)) {
    disk.mailbox = new Uint8Array(MAILBOX_BYTES);
    ownMailboxes.add(disk.mailbox);
  }
  const bytes = data.subarray(0, MAILBOX_BYTES);
  disk.mailbox.set(bytes);
  disk.mailbox.fill(0, bytes.length);
}

/** Whether a write under this key passes the reservation. */
export function mayWrite(disk: DiskState, key: ReservationKey): boolean {
  return disk.reservation.holder === null || disk.reservation.keys.includes(key);
}

function readBlocks(disk: DiskState, lba: number, blocks: number): DiskAnswer {
  if (!inRange(disk, lba, blocks)) return { status: 'medium-error', badLba: Math.max(0, Math.min(lba, disk.blocks)) };
  const bad = disk.mediaErrors.length === 0 ? undefined : disk.mediaErrors.filter((b) => b >= lba && b < lba + blocks).sort((x, y) => x - y)[0];
  if (bad !== undefined) return { status: 'medium-error', badLba: bad };
  const out = new Uint8Array(blocks * BLOCK_BYTES);
  for (let i = 0; i < blocks; i += 1) {
    const block = disk.data[lba + i];
    if (block) out.set(block, i * BLOCK_BYTES);
  }
  return { status: 'good', data: out };
}

function writeBlocks(disk: DiskState, key: ReservationKey, lba: number, blocks: number, data: Uint8Array): DiskAnswer {
  if (!mayWrite(disk, key)) return { status: 'reservation-conflict' };
  if (!inRange(disk, lba, blocks) || data.length !== blocks * BLOCK_BYTES) return { status: 'medium-error', badLba: lba };
  for (let i = 0; i < blocks; i += 1) {
    const block = data.subarray(i * BLOCK_BYTES, (i + 1) * BLOCK_BYTES);
    if (allZero(block)) dropBlock(disk, lba + i);
    else storeBlock(disk, lba + i, block);
  }
  // A write reallocates bad blocks it covers.
  if (disk.mediaErrors.length > 0) disk.mediaErrors = disk.mediaErrors.filter((b) => b < lba || b >= lba + blocks);
  return { status: 'good' };
}

/**
 * A plain loop: `every` with a closure per byte was a tenth of storage's time. Four bytes a step where
 * the block lies on a 4-byte boundary (storage's writes always do): a zero block, a quarter of all
 * blocks written, is read to its end.
 */
function allZero(bytes: Uint8Array): boolean {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let i = 0; i < words.length; i += 1) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] !== 0) return false;
  return true;
}

function inRange(disk: DiskState, lba: number, blocks: number): boolean {
  return Number.isInteger(lba) && Number.isInteger(blocks) && lba >= 0 && blocks >= 1 && lba + blocks <= disk.blocks;
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}
