// Mailbox disks (seed 000, DESIGN.md §4): a small record in the reserved area of the root aggregate's
// disks holding a disk heartbeat counter and the takeover state, so that a filer that lost only its
// interconnect is not taken over, and a taken-over filer knows to wait for giveback. The HA subsystem
// reads and writes them with these helpers; storage beats the heartbeat while it is online.
import type { Micros } from '../../engine/actor.ts';
import { logEms } from '../ems.ts';
import { crc32 } from './checksum.ts';
import { decodeUtf8, encodeUtf8 } from './utf8.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import type { DiskId, IoBatch, MailboxRecord, MailboxTakeoverState, StorageState } from './types.ts';

export const MAILBOX_BYTES = 512;
export const MAILBOX_HEARTBEAT_US: Micros = 1_000_000;
/** Mailbox copies: the first disks of the root aggregate's first RAID group (data and parity). */
export const MAILBOX_DISKS = 2;

export function encodeMailbox(record: MailboxRecord): Uint8Array {
  const bytes = new Uint8Array(MAILBOX_BYTES);
  const body = encodeUtf8(JSON.stringify(record));
  if (body.length > MAILBOX_BYTES - 8) throw new Error('mailbox record too large');
  const view = new DataView(bytes.buffer);
  view.setUint32(0, body.length, true);
  bytes.set(body, 8);
  view.setUint32(4, crc32(body), true);
  return bytes;
}

export function decodeMailbox(bytes: Uint8Array | undefined): MailboxRecord | null {
  if (!bytes || bytes.length < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  if (length === 0 || length > bytes.length - 8) return null;
  const body = bytes.subarray(8, 8 + length);
  if (crc32(body) !== view.getUint32(4, true)) return null;
  try {
    return JSON.parse(decodeUtf8(body)) as MailboxRecord;
  } catch {
    return null;
  }
}

/**
 * Where a filer's configuration puts its mailbox: the first members of its first (root) aggregate. Read
 * before the aggregate is assembled (at boot) and by the partner (the lab gives it this list).
 */
export function configuredMailboxDisks(aggregates: readonly { readonly disks: readonly string[] }[]): string[] {
  return (aggregates[0]?.disks ?? []).slice(0, MAILBOX_DISKS);
}

/** The mailbox disks of this filer: the first members of its root aggregate's first group. */
export function mailboxDisks(state: StorageState): DiskId[] {
  const root = Object.values(state.aggregates).find((aggregate) => aggregate.root && aggregate.partnerOf === undefined);
  if (!root) return [];
  const group = root.raidGroups[0];
  return group.members.filter((_disk, position) => !group.failed.includes(position)).slice(0, MAILBOX_DISKS);
}

/**
 * Writes this filer's mailbox record (heartbeat and takeover state) to its own mailbox disks, or, in
 * takeover, `declared-dead` to the partner's (`disks` given): only a write to our own is watched for
 * fencing.
 */
export function writeMailbox(state: StorageState, env: StorageEnv, takeover: MailboxTakeoverState, disks?: readonly DiskId[]): void {
  const record: MailboxRecord = {
    owner: env.filer.config.name, systemId: env.filer.config.systemId, heartbeat: state.mailbox.heartbeat,
    state: takeover, writtenUs: env.ctx.now,
  };
  const own = mailboxDisks(state);
  const targets = disks ?? own;
  const batch = openBatch(state, targets.every((disk) => own.includes(disk)) ? { kind: 'mailbox-write' } : { kind: 'reserve' });
  // Encoded once for every copy (each beat writes two): nobody writes into sent bytes, a disk copies them.
  const data = encodeMailbox(record);
  for (const disk of targets) issue(state, env, batch, disk, { op: 'mailbox-write', data });
}

/**
 * A heartbeat write came back. Refused by a reservation: the partner has preempted this filer's disks
 * (it took this filer over); HA halts the filer when it sees `reservationConflict`.
 */
export function mailboxFenced(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (state.reservationConflict || !batch.errors.some((error) => error.status === 'reservation-conflict')) return;
  state.reservationConflict = true;
  logEms(env.filer, env.ctx, 'disk.reservation.conflict', 'error', 'Reservation conflict found on this node\'s disks!');
}

/** Reads the mailbox records of some disks (the partner's, for HA); the result lands in `state.mailbox.reads[id]`. */
export function readMailbox(state: StorageState, env: StorageEnv, disks: readonly DiskId[]): number {
  const requestId = state.mailbox.nextRequest++;
  state.mailbox.reads[requestId] = null;
  const batch = openBatch(state, { kind: 'mailbox-read', requestId });
  for (const disk of disks) issue(state, env, batch, disk, { op: 'mailbox-read' });
  if (batch.outstanding === 0) { delete state.io.batches[batch.id]; mailboxRead(state, batch); }
  return requestId;
}

export function mailboxRead(state: StorageState, batch: IoBatch): void {
  if (batch.purpose.kind !== 'mailbox-read') return;
  const records: Record<DiskId, MailboxRecord | null> = {};
  for (const [disk, result] of Object.entries(batch.results)) records[disk] = result.status === 'good' ? decodeMailbox(result.data) : null;
  for (const error of batch.errors) records[error.disk] ??= null;
  const answered = Object.entries(batch.results).filter(([, result]) => result.status === 'good').map(([disk]) => disk).sort();
  state.mailbox.reads[batch.purpose.requestId] = { records, answered };
}

/** Registers this filer's key and takes the reservation on disks (at boot; HA preempts with pr-preempt). */
export function reserveDisks(state: StorageState, env: StorageEnv, disks: readonly DiskId[], preempt: string | null = null): void {
  const key = env.filer.config.systemId;
  const batch = openBatch(state, { kind: 'reserve' });
  for (const disk of disks) {
    issue(state, env, batch, disk, { op: 'pr-register', key });
    issue(state, env, batch, disk, preempt ? { op: 'pr-preempt', key, victim: preempt } : { op: 'pr-reserve', key });
  }
}
