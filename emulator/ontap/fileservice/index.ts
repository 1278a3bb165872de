// The file service's public face: the subsystem a lab plugs into each filer, after storage, over the
// same FC disk door (its file-system calls log to NVRAM and may start a CP through it).
import { fcDiskIo } from '../storage/fc-disk-io.ts';
import { createFileServiceSubsystem } from './fileservice-subsystem.ts';

export const fileServiceSubsystem = createFileServiceSubsystem(fcDiskIo);

export { FILESERVICE_SUBSYSTEM, createFileServiceSubsystem } from './fileservice-subsystem.ts';
export type { FileServiceState, ServedAddress } from './state.ts';
