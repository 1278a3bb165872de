// The file-system API for file service (NFS, CIFS) and for tests. Reads are served at once from the
// buffer cache. A modifying request runs in memory, is logged in NVRAM and mirrored to the partner,
// and is answered later: it returns an operation id whose completion shows up in `takeCompletions`
// once the partner holds the log entry (or at once, unmirrored, when there is no partner link).
// File handles name (volume fsid, file id, generation), never the filer, so they survive a takeover.
import type { StorageEnv } from './io.ts';
import { startCp } from './cp.ts';
import { logOperation } from './mirror.ts';
import { accessBlocked } from './repair.ts';
import { halfCapacityBytes, type LogOp, type RequestOrigin } from './nvram-log.ts';
import type { FsError, Inode, OpCompletion, OpResult, StorageState, VolumeState } from './types.ts';
import { applyOp, ROOT_FILE_ID } from './wafl-fs.ts';
import type { InodeType } from './wafl-format.ts';

export interface FileHandle {
  readonly fsid: number;
  readonly fileId: number;
  readonly generation: number;
}

export interface FileAttributes {
  readonly fileId: number;
  readonly generation: number;
  readonly type: InodeType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nlink: number;
  readonly size: number;
  readonly atimeUs: number;
  readonly mtimeUs: number;
  readonly ctimeUs: number;
  readonly fsid: number;
}

export type FsRequest =
  | { readonly kind: 'create'; readonly dir: number; readonly name: string; readonly mode?: number; readonly uid?: number; readonly gid?: number }
  | { readonly kind: 'mkdir'; readonly dir: number; readonly name: string; readonly mode?: number; readonly uid?: number; readonly gid?: number }
  /** `data` is kept by the NVRAM log until the next CP: the caller must not write into it afterwards. */
  | { readonly kind: 'write'; readonly fileId: number; readonly offset: number; readonly data: Uint8Array }
  | {
      readonly kind: 'setattr'; readonly fileId: number; readonly size?: number; readonly mode?: number;
      readonly uid?: number; readonly gid?: number; readonly mtimeUs?: number;
    }
  | { readonly kind: 'rename'; readonly fromDir: number; readonly fromName: string; readonly toDir: number; readonly toName: string }
  | { readonly kind: 'remove'; readonly dir: number; readonly name: string };

function usable(state: StorageState, volumeName: string): VolumeState | FsError {
  if (state.status !== 'online') return 'offline';
  const volume = state.volumes[volumeName];
  if (!volume || volume.adminOffline) return 'stale';
  return volume.status === 'online' && !accessBlocked(volume) ? volume : 'offline';
}

export function rootHandle(state: StorageState, volumeName: string): FileHandle | FsError {
  const volume = usable(state, volumeName);
  if (typeof volume === 'string') return volume;
  return { fsid: volume.fsid, fileId: ROOT_FILE_ID, generation: volume.inodes[ROOT_FILE_ID].generation };
}

/** The volume a handle belongs to (by fsid), and whether the file still exists with that generation. */
export function resolveHandle(state: StorageState, handle: FileHandle): { volume: string; fileId: number } | FsError {
  const volume = Object.values(state.volumes).find((candidate) => candidate.fsid === handle.fsid);
  if (!volume || volume.adminOffline) return 'stale';
  if (volume.status !== 'online' || state.status !== 'online' || accessBlocked(volume)) return 'offline';
  const inode = volume.inodes[handle.fileId];
  if (!inode || inode.generation !== handle.generation) return 'stale';
  return { volume: volume.name, fileId: handle.fileId };
}

function attributesOf(volume: VolumeState, inode: Inode): FileAttributes {
  return {
    fileId: inode.id, generation: inode.generation, type: inode.type, mode: inode.mode, uid: inode.uid, gid: inode.gid,
    nlink: inode.nlink, size: inode.type === 'dir' ? 4096 : inode.size,
    atimeUs: inode.atimeUs, mtimeUs: inode.mtimeUs, ctimeUs: inode.ctimeUs, fsid: volume.fsid,
  };
}

export function getattr(state: StorageState, volumeName: string, fileId: number): FileAttributes | FsError {
  const volume = usable(state, volumeName);
  if (typeof volume === 'string') return volume;
  const inode = volume.inodes[fileId];
  return inode ? attributesOf(volume, inode) : 'stale';
}

export function lookup(state: StorageState, volumeName: string, dir: number, name: string): FileAttributes | FsError {
  const volume = usable(state, volumeName);
  if (typeof volume === 'string') return volume;
  const parent = volume.inodes[dir];
  if (!parent) return 'stale';
  if (parent.type !== 'dir') return 'notdir';
  const id = parent.entries[name];
  const inode = id === undefined ? undefined : volume.inodes[id];
  return inode ? attributesOf(volume, inode) : 'noent';
}

export function readdir(state: StorageState, volumeName: string, dir: number): { name: string; attributes: FileAttributes }[] | FsError {
  const volume = usable(state, volumeName);
  if (typeof volume === 'string') return volume;
  const parent = volume.inodes[dir];
  if (!parent) return 'stale';
  if (parent.type !== 'dir') return 'notdir';
  return Object.keys(parent.entries).sort()
    .filter((name) => volume.inodes[parent.entries[name]])
    .map((name) => ({ name, attributes: attributesOf(volume, volume.inodes[parent.entries[name]]) }));
}

export function read(state: StorageState, volumeName: string, fileId: number, offset: number, count: number): { data: Uint8Array; eof: boolean } | FsError {
  const volume = usable(state, volumeName);
  if (typeof volume === 'string') return volume;
  const inode = volume.inodes[fileId];
  if (!inode) return 'stale';
  if (inode.type !== 'file') return 'isdir';
  if (offset < 0 || count < 0) return 'inval';
  const end = Math.min(inode.size, offset + count);
  const data = offset >= end ? new Uint8Array(0) : inode.data.slice(offset, end);
  return { data, eof: end >= inode.size };
}

function toLogOp(state: StorageState, env: StorageEnv, volume: VolumeState, request: FsRequest): LogOp {
  const timeUs = env.ctx.now;
  const name = volume.name;
  switch (request.kind) {
    case 'create':
    case 'mkdir':
      return {
        op: 'create', volume: name, dir: request.dir, name: request.name, type: request.kind === 'mkdir' ? 'dir' : 'file',
        fileId: volume.nextFileId, generation: 1 + Math.floor(env.ctx.random() * 0x7fffffff),
        mode: request.mode ?? (request.kind === 'mkdir' ? 0o755 : 0o644), uid: request.uid ?? 0, gid: request.gid ?? 0, timeUs,
      };
    // The request's bytes are logged as they are, not copied: they are a received payload, which no one
    // writes into (applyWrite copies them into the file; the log and the mirror only read them).
    case 'write': return { op: 'write', volume: name, fileId: request.fileId, offset: request.offset, data: request.data, timeUs };
    case 'setattr':
      return {
        op: 'setattr', volume: name, fileId: request.fileId, size: request.size ?? null, mode: request.mode ?? null,
        uid: request.uid ?? null, gid: request.gid ?? null, mtimeUs: request.mtimeUs ?? null, timeUs,
      };
    case 'rename': return { op: 'rename', volume: name, fromDir: request.fromDir, fromName: request.fromName, toDir: request.toDir, toName: request.toName, timeUs };
    case 'remove': return { op: 'remove', volume: name, dir: request.dir, name: request.name, timeUs };
  }
}

/**
 * Runs a modifying request; returns its operation id. The answer (with `mirrored`) arrives in
 * `takeCompletions`: at once for an error or an unmirrored filer, after the partner's ack otherwise.
 */
export function modify(state: StorageState, env: StorageEnv, volumeName: string, request: FsRequest, origin?: RequestOrigin, requester?: string): number {
  const opId = state.ops.nextOpId++;
  const volume = usable(state, volumeName);
  if (typeof volume === 'string') {
    state.ops.completed.push({ opId, result: { ok: false, error: volume }, mirrored: false });
    return opId;
  }
  const op = toLogOp(state, env, volume, request);
  const result: OpResult = applyOp(volume, op);
  if (!result.ok) {
    state.ops.completed.push({ opId, result, mirrored: false });
    return opId;
  }
  logOperation(state, env, volume.aggregate, op, opId, result, origin, requester);
  const nvram = env.filer.chassis.nvram;
  if (nvram.local.bytes > halfCapacityBytes(nvram.capacityBytes) / 2) startCp(state, env, 'nvlog');
  return opId;
}

/** Drains the answers of finished modifying requests, in completion order. */
export function takeCompletions(state: StorageState): OpCompletion[] {
  const completed = state.ops.completed;
  state.ops.completed = [];
  return completed;
}
