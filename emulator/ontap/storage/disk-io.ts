// The narrow door between the storage OS and its disks: SCSI commands go out as data with a cookie,
// completions come back as events. The FC initiator (multipath over loops A and B) implements it on a
// real lab; an in-memory disk set implements it for tests and disk-less labs.
import type { ActorContext, ActorEvent } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { ReservationKey, ScsiCommand, ScsiResponseFrame } from '../../hardware/scsi.ts';
import type { DiskAddress } from './types.ts';

export type DiskResponse = Pick<ScsiResponseFrame, 'status' | 'data' | 'reservation' | 'badLba'>;

export interface DiskIo {
  submit(filer: FilerState, ctx: ActorContext, disk: DiskAddress, key: ReservationKey, command: ScsiCommand, cookie: number): void;
  /** The completion this event carries, if it is one of ours (the event is then consumed). */
  accept(filer: FilerState, event: ActorEvent, ctx: ActorContext): { cookie: number; response: DiskResponse } | null;
}

/** `shelf1.3` → shelf actor `shelf1`, bay 3. */
export function parseDiskId(id: string): DiskAddress | null {
  const dot = id.lastIndexOf('.');
  if (dot <= 0) return null;
  const bay = Number(id.slice(dot + 1));
  if (!Number.isInteger(bay) || bay < 0) return null;
  return { shelf: id.slice(0, dot), bay };
}
