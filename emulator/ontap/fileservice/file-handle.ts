// NFS file handles: the volume (by fsid), the file id and its generation. Never the node: after a
// takeover the partner serves the same volume with the same fsids and inode numbers, so a client's
// handles stay good. The generation tells a reused inode number from the file the client knew
// (NFS3ERR_STALE rather than someone else's data).

export interface FileHandle {
  readonly fsid: number;
  readonly fileId: number;
  readonly generation: number;
}

export function fileHandle(fsid: number, fileId: number, generation: number): FileHandle {
  return { fsid, fileId, generation };
}

/** A handle from the wire: typed check, since a client may send anything. */
export function isFileHandle(value: unknown): value is FileHandle {
  if (!value || typeof value !== 'object') return false;
  const handle = value as Record<string, unknown>;
  // Field by field, no array and closure: every NFS call checks its handles.
  return Number.isInteger(handle.fsid) && Number.isInteger(handle.fileId) && Number.isInteger(handle.generation);
}

export function sameHandle(a: FileHandle, b: FileHandle): boolean {
  return a.fsid === b.fsid && a.fileId === b.fileId && a.generation === b.generation;
}

/** `fsid:fileId:generation`, for logs and keys. */
export function handleKey(handle: FileHandle): string {
  return `${handle.fsid}:${handle.fileId}:${handle.generation}`;
}
