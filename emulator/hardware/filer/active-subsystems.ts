// The subsystems of the filer whose event is being handled now (handle is synchronous: a stack
// suffices), so that hardware code deep in the chassis can reach them without knowing them by name:
// lifecycle phases, and hardware messages offered to whoever keeps the system log (ONTAP's console).
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState, FilerSubsystem, HardwareMessage } from './subsystem.ts';

const activeSubsystems: (readonly FilerSubsystem[])[] = [];

/**
 * Makes `list` the active subsystems until the matching leaveSubsystems (the caller pairs them in a
 * try/finally; a body closure would cost one allocation per filer event).
 */
export function enterSubsystems(list: readonly FilerSubsystem[]): void {
  activeSubsystems.push(list);
}

export function leaveSubsystems(): void {
  activeSubsystems.pop();
}

/** The active list, or none when code runs outside a filer event (a test calling storage directly). */
export function activeListOrNone(): readonly FilerSubsystem[] {
  return activeSubsystems[activeSubsystems.length - 1] ?? [];
}

export function activeList(): readonly FilerSubsystem[] {
  const list = activeSubsystems[activeSubsystems.length - 1];
  if (!list) throw new Error('filer subsystems reached outside of a filer event');
  return list;
}

/**
 * Offers a system-log message (the hardware's, or an EMS event of any subsystem) to the subsystems in
 * order: the one that keeps the system log (ONTAP's console) records it. True when it also printed it.
 * This is the channel by which storage, HA and the file service reach the console without importing it.
 */
export function offerSystemLog(filer: FilerState, message: HardwareMessage, ctx: ActorContext): boolean {
  for (const subsystem of activeListOrNone()) {
    if (subsystem.systemLog?.(filer.subsystems[subsystem.name], filer, message, ctx)) return true;
  }
  return false;
}
