// The disk door over the FC loops: the hardware's multipath initiator (fc-initiator.ts), whose state
// lives in the storage slot. Responses arrive as 'scsi.response' frames on FC ports, path timeouts as
// 'fc.timeout' timers, and a lost loop re-sends outstanding I/O on the other loop.
import type { ActorContext, ActorEvent } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import {
  createInitiator, FC_TIMEOUT_KIND, handleFrame, handleLink, handleTimer, submit, type InitiatorState, type IoCompletion,
} from '../../hardware/filer/fc-initiator.ts';
import type { ReservationKey, ScsiCommand } from '../../hardware/scsi.ts';
import type { DiskEventResult, DiskIo } from './disk-io.ts';
import type { DiskAddress, StorageState } from './types.ts';

function initiatorOf(filer: FilerState): InitiatorState {
  const storage = filer.subsystems.storage as StorageState;
  if (!storage.initiator) storage.initiator = createInitiator(filer.config.fcPorts);
  return storage.initiator as InitiatorState;
}

function result(completions: readonly IoCompletion[] | undefined, consumed: boolean): DiskEventResult {
  return {
    completions: (completions ?? []).map((completion) => ({ cookie: completion.cookie.tag as number, response: completion.response })),
    consumed,
  };
}

function isFcPort(filer: FilerState, port: string): boolean {
  for (const fc of filer.config.fcPorts) if (fc.port === port) return true;
  return false;
}

export const fcDiskIo: DiskIo = {
  submit(filer: FilerState, ctx: ActorContext, disk: DiskAddress, key: ReservationKey, command: ScsiCommand, cookie: number): void {
    submit(initiatorOf(filer), ctx, { shelf: disk.shelf, bay: disk.bay, key, command }, { kind: 'storage.io', tag: cookie });
  },
  accept(filer: FilerState, event: ActorEvent, ctx: ActorContext): DiskEventResult | null {
    if (event.type === 'message' && event.payload.kind === 'scsi.response' && isFcPort(filer, event.port)) {
      const completion = handleFrame(initiatorOf(filer), ctx, event.port, event.payload);
      return result(completion ? [completion] : [], true);
    }
    if (event.type === 'timer' && event.payload.kind === FC_TIMEOUT_KIND) {
      const completions = handleTimer(initiatorOf(filer), ctx, event.payload);
      return completions ? result(completions, true) : null;
    }
    if (event.type === 'link' && isFcPort(filer, event.port)) return result(handleLink(initiatorOf(filer), ctx, event.port, event.up), false);
    return null;
  },
};
