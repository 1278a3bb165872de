// The narrow door between the storage OS and its disks: SCSI commands go out as data with a cookie,
// completions come back as events. The FC initiator (multipath over loops A and B) implements it on a
// real lab; an in-memory disk set implements it for tests and disk-less labs.
import type { ActorContext, ActorEvent } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { ReservationKey, ScsiCommand, ScsiResponseFrame } from '../../hardware/scsi.ts';
import type { DiskAddress } from './types.ts';

export type DiskResponse = Pick<ScsiResponseFrame, 'status' | 'data' | 'reservation' | 'owner' | 'badLba'>;

export interface DiskIo {
  submit(filer: FilerState, ctx: ActorContext, disk: DiskAddress, key: ReservationKey, command: ScsiCommand, cookie: number): void;
  /**
   * The completions this event carries (a response frame, a path timeout, a lost link), or null when
   * the event is not the disk door's. `consumed` is false for events others must see too (links).
   */
  accept(filer: FilerState, event: ActorEvent, ctx: ActorContext): DiskEventResult | null;
}

/** `shelf1.3` → shelf actor `shelf1`, bay 3. */
export function parseDiskId(id: string): DiskAddress | null {
  const dot = id.lastIndexOf('.');
  if (dot <= 0) return null;
  const bay = Number(id.slice(dot + 1));
  if (!Number.isInteger(bay) || bay < 0) return null;
  return { shelf: id.slice(0, dot), bay };
}

export interface DiskEventResult {
  readonly completions: readonly { readonly cookie: number; readonly response: DiskResponse }[];
  readonly consumed: boolean;
}
