// The HA subsystem a lab plugs into each filer, over the FC disk door (its storage calls preempt,
// mount and release the partner's disks through it).
import { fcDiskIo } from '../storage/fc-disk-io.ts';
import { createHaSubsystem } from './ha-subsystem.ts';

export const haSubsystem = createHaSubsystem(fcDiskIo);

export { createHaSubsystem } from './ha-subsystem.ts';
export { HA_SUBSYSTEM } from './slots.ts';
export type { HaState, CfState } from './types.ts';
