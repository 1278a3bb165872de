// Slot names of the subsystems HA reads, with no imports: the console's hooks read HA through these
// without importing HA's modules (which import the console).
export const HA_SUBSYSTEM = 'ha';
export const STORAGE_SLOT = 'storage';
export const FILESERVICE_SLOT = 'fileservice';
