// What an HA step works with: the filer, the actor's door, the disk door (for storage calls), and typed
// access to the subsystems HA drives (storage, file service, console).
import type { ActorContext } from '../../engine/actor.ts';
import { subsystemState, type FilerState } from '../../hardware/filer/subsystem.ts';
import type { ConsoleState } from '../console/state.ts';
import { CONSOLE_SUBSYSTEM } from '../console/state.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import type { DiskIo } from '../storage/disk-io.ts';
import type { StorageEnv } from '../storage/io.ts';
import { storageEnvDuringEvent } from '../storage/storage-subsystem.ts';
import type { StorageState } from '../storage/types.ts';
import { HA_SUBSYSTEM, STORAGE_SLOT, FILESERVICE_SLOT } from './slots.ts';
import type { HaState } from './types.ts';

export interface HaEnv {
  readonly filer: FilerState;
  readonly ctx: ActorContext;
  readonly io: DiskIo;
}

export function storageEnv(env: HaEnv): StorageEnv {
  return { filer: env.filer, ctx: env.ctx, io: env.io };
}

export function storageOf(filer: FilerState): StorageState | undefined {
  return subsystemState<StorageState>(filer, STORAGE_SLOT);
}

export function fileServiceOf(filer: FilerState): FileServiceState | undefined {
  return subsystemState<FileServiceState>(filer, FILESERVICE_SLOT);
}

export function consoleOf(filer: FilerState): ConsoleState | undefined {
  return subsystemState<ConsoleState>(filer, CONSOLE_SUBSYSTEM);
}

export function haOf(filer: FilerState): HaState | undefined {
  return subsystemState<HaState>(filer, HA_SUBSYSTEM);
}

/**
 * An HA environment for code that runs in another subsystem's event (a console command): the disk
 * door is storage's, the one HA was built over. Null when the filer has no HA or no storage.
 */
export function haEnvDuringEvent(filer: FilerState, ctx: ActorContext): HaEnv | null {
  const storage = storageEnvDuringEvent(filer, ctx);
  return storage && haOf(filer) ? { filer, ctx, io: storage.io } : null;
}
