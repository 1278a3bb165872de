// The storage OS's public face: the subsystem a lab plugs into each filer (over the FC loops), and the
// API the file-service and HA subsystems call (see the module comments for what each does).
import { fcDiskIo } from './fc-disk-io.ts';
import { createStorageSubsystem } from './storage-subsystem.ts';

export const storageSubsystem = createStorageSubsystem(fcDiskIo);

export { STORAGE_SUBSYSTEM, createStorageSubsystem } from './storage-subsystem.ts';
export {
  getattr, lookup, modify, read, readdir, resolveHandle, rootHandle, takeCompletions,
  type FileAttributes, type FileHandle, type FsRequest,
} from './fs-api.ts';
export { readMailbox, reserveDisks, writeMailbox, mailboxDisks } from './mailbox.ts';
export { startFsck, corruptVolume } from './fsck.ts';
export { startCp } from './cp.ts';
export { mountPartnerStorage, releasePartnerStorage, type PartnerIdentity, type PartnerStorageError } from './partner.ts';
export { adminFailDisk, isBeingCopied, replaceDisk, zeroSpares } from './spares.ts';
export { startScrub, scrubPercent } from './scrub.ts';
export type { StorageState, OpCompletion, FsError, MailboxRecord, MailboxTakeoverState, PartnerStorage } from './types.ts';
export type { StorageEnv } from './io.ts';
