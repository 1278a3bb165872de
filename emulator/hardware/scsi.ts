// SCSI over the FC loops: what a filer's initiator port sends to a disk in a shelf and what comes
// back. The shelf's I/O module forwards frames along the loop until the addressed shelf answers.
// Blocks are 4 KiB; a disk is addressed by shelf actor id and bay.
import type { ActorId } from '../engine/actor.ts';

export const BLOCK_BYTES = 4096;

/** A SCSI-3 persistent reservation key: one per filer (its system id), as ONTAP registers them. */
export type ReservationKey = string;

export type ScsiCommand =
  | { readonly op: 'read'; readonly lba: number; readonly blocks: number }
  /** data.length === blocks * BLOCK_BYTES */
  | { readonly op: 'write'; readonly lba: number; readonly blocks: number; readonly data: Uint8Array }
  | { readonly op: 'inquiry' }
  /** The small reserved area (mailbox) outside the data blocks: heartbeat and takeover state. */
  | { readonly op: 'mailbox-read' }
  | { readonly op: 'mailbox-write'; readonly data: Uint8Array }
  | { readonly op: 'pr-register'; readonly key: ReservationKey }
  | { readonly op: 'pr-reserve'; readonly key: ReservationKey }
  /** Removes the victim's registration and takes the reservation (what takeover does). */
  | { readonly op: 'pr-preempt'; readonly key: ReservationKey; readonly victim: ReservationKey }
  | { readonly op: 'pr-release'; readonly key: ReservationKey }
  /** Reads the reservations, and the ownership record with them. */
  | { readonly op: 'pr-read' }
  /**
   * Software disk ownership (as SANOWN keeps it): the owning filer's name, written in the disk's reserved
   * area. Unlike a reservation it survives a power cycle. Fenced like any write.
   */
  | { readonly op: 'owner-write'; readonly owner: string };

export type ScsiStatus =
  | 'good'
  /** The disk is reserved by another key: the write (or reserve) is refused. */
  | 'reservation-conflict'
  /** Unreadable block(s): media error. */
  | 'medium-error'
  /** Failed or powered-off disk, empty bay. */
  | 'not-ready'
  /** No path answered: both loops down, shelf off (set by the initiator, never by a disk). */
  | 'transport-failure';

/** Frame sent by an initiator port toward a shelf (payload kind 'scsi.request'). */
export interface ScsiRequestFrame {
  readonly kind: 'scsi.request';
  /** Unique per initiator: (initiator actor, tag) names the exchange. */
  readonly tag: number;
  readonly initiator: ActorId;
  readonly shelf: ActorId;
  readonly bay: number;
  /** The key the initiator acts under; writes are checked against the disk's reservation. */
  readonly key: ReservationKey;
  readonly command: ScsiCommand;
}

/** Frame sent back by the shelf (payload kind 'scsi.response'). */
export interface ScsiResponseFrame {
  readonly kind: 'scsi.response';
  readonly tag: number;
  readonly initiator: ActorId;
  readonly shelf: ActorId;
  readonly bay: number;
  readonly status: ScsiStatus;
  /** For reads: blocks * BLOCK_BYTES bytes; for mailbox-read: the mailbox; for pr-read: JSON bytes. */
  readonly data?: Uint8Array;
  /** For pr-read: the registered keys and the holder. */
  readonly reservation?: { readonly keys: readonly ReservationKey[]; readonly holder: ReservationKey | null };
  /** For pr-read: the ownership record (the owning filer's name, or null for an unowned disk). */
  readonly owner?: string | null;
  /** For medium-error: the first bad block. */
  readonly badLba?: number;
}

/**
 * A shelf's unsolicited report of a disk it found failed, or of a bay emptied or filled (payload kind
 * 'shelf.disk-report'), the way a shelf's enclosure services bypass a failed disk and tell the loop: sent out of every port, forwarded
 * along each loop like any frame, so each filer on either loop hears it without waiting for its next I/O.
 */
export const SHELF_DISK_REPORT_KIND = 'shelf.disk-report';

export interface ShelfDiskReportFrame {
  readonly kind: typeof SHELF_DISK_REPORT_KIND;
  readonly shelf: ActorId;
  readonly bay: number;
  /** `failed`: the disk stopped answering; `missing`: it was pulled out of its bay; `inserted`: a new disk is in it. */
  readonly health: 'failed' | 'missing' | 'inserted';
}

/**
 * A shelf's enclosure services (SES) telling the loop its environment (payload kind
 * 'shelf.environment-report'): sent out of every port when a power supply fails or comes back, and on a
 * port whose link comes up while something is wrong, so a filer powered on later still learns of it.
 * A shelf whose environment is normal says nothing (the filer assumes normal until told).
 */
export const SHELF_ENVIRONMENT_REPORT_KIND = 'shelf.environment-report';

export interface ShelfEnvironmentReportFrame {
  readonly kind: typeof SHELF_ENVIRONMENT_REPORT_KIND;
  readonly shelf: ActorId;
  /** Each power supply: true while it delivers. */
  readonly psus: readonly boolean[];
  /** The shelf's temperature sensors, ambient first, degrees Celsius. */
  readonly temperaturesC: readonly number[];
}
