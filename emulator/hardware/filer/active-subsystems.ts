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

export function activeList(): readonly FilerSubsystem[] {
  const list = activeSubsystems[activeSubsystems.length - 1];
  if (!list) throw new Error('filer subsystems reached outside of a filer event');
  return list;
}

/** Offers a hardware message to the subsystems in order; true when one of them put it on the console. */
export function offerHardwareMessage(filer: FilerState, message: HardwareMessage, ctx: ActorContext): boolean {
  for (const subsystem of activeList()) {
    if (subsystem.hardwareMessage?.(filer.subsystems[subsystem.name], filer, message, ctx)) return true;
  }
  return false;
}
