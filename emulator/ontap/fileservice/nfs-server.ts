// The NFS-like server: stateless. Reads (GETATTR, LOOKUP, READ, READDIR, MNT) are answered at once from
// the buffer cache; modifying calls go to storage and are answered only when storage completes them,
// after the NVRAM mirror, so an answered write survives a takeover. Non-idempotent calls pass through
// the duplicate request cache: a retry is answered from it, or dropped while the first is in progress.
import type { FsRequest } from '../storage/fs-api.ts';
import { getattr, lookup, read, readdir, rootHandle } from '../storage/fs-api.ts';
import type { FsError, OpCompletion, ReplayedRequest } from '../storage/types.ts';
import { drcBegin, drcCheck, drcFinish } from './drc.ts';
import { fileHandle, isFileHandle, type FileHandle } from './file-handle.ts';
import {
  NFS_MAX_IO_BYTES, NON_IDEMPOTENT, nfsReply, type NfsAttributes, type NfsCall, type NfsProc, type NfsReply, type NfsStatus,
} from './nfs-wire.ts';
import { vserverVolumeByFsid, type ServeDoor } from './serve-door.ts';
import { volumeKey } from './vserver-service.ts';
import type { PendingRequest, ServedAddress } from './state.ts';
import type { Payload } from '../../engine/actor.ts';

const STATUS_OF: Record<FsError, NfsStatus> = {
  noent: 'NFS3ERR_NOENT', exist: 'NFS3ERR_EXIST', notdir: 'NFS3ERR_NOTDIR', isdir: 'NFS3ERR_ISDIR',
  notempty: 'NFS3ERR_NOTEMPTY', stale: 'NFS3ERR_STALE', nospc: 'NFS3ERR_NOSPC', inval: 'NFS3ERR_INVAL',
  rofs: 'NFS3ERR_ROFS', offline: 'NFS3ERR_JUKEBOX',
};

export function nfsStatusOf(error: FsError): NfsStatus {
  return STATUS_OF[error] ?? 'NFS3ERR_SERVERFAULT';
}

const HANDLE_FIELDS = ['fh', 'dir', 'fromDir', 'toDir'] as const;

/** The handles a request names must be well formed; else the call is garbage (dropped, counted). A plain loop: runs per call. */
function handlesOk(call: NfsCall): boolean {
  const request = call.request as unknown as Record<string, unknown>;
  for (const field of HANDLE_FIELDS) {
    const handle = request[field];
    if (handle !== undefined && !isFileHandle(handle)) return false;
  }
  return true;
}

/** Serves one call sent by `client` to the served address. */
export function serveNfs(door: ServeDoor, served: ServedAddress, client: string, call: NfsCall): void {
  const counters = door.fs.counters;
  const proc = call.request.proc;
  if (!handlesOk(call)) {
    counters.nfsBadCalls += 1;
    return;
  }
  counters.nfsCalls[proc] = (counters.nfsCalls[proc] ?? 0) + 1;
  counters.nfsByClient[client] = (counters.nfsByClient[client] ?? 0) + 1;
  if (NON_IDEMPOTENT.has(proc)) {
    const verdict = drcCheck(door.fs.drc, client, call.xid, proc);
    if (verdict.kind === 'replay') return answer(door, served, client, verdict.reply);
    if (verdict.kind === 'in-progress') return;
    const modifying = modifyingRequest(door, served, call);
    if ('status' in modifying) return answer(door, served, client, nfsReply(call.xid, proc, modifying.status));
    drcBegin(door.fs.drc, client, call.xid, proc, door.ctx.now);
    door.submit(modifying.volume, modifying.request, { protocol: 'nfs', client, server: served.address, call, fsid: modifying.fsid, volume: modifying.volume });
    return;
  }
  answer(door, served, client, readOnly(door, served, call));
}

// A module function, not a closure per call: under tsx each named closure costs a defineProperty.
function answer(door: ServeDoor, served: ServedAddress, client: string, reply: NfsReply): void {
  door.send(served.address, client, 'nfs', reply as unknown as Payload);
}

function volumeOf(door: ServeDoor, served: ServedAddress, handle: FileHandle): { name: string; fsid: number } | NfsStatus {
  const volume = vserverVolumeByFsid(door.storage, served, handle.fsid);
  if (volume === 'stale') return 'NFS3ERR_STALE';
  const inode = door.storage.volumes[volume.name]?.inodes[handle.fileId];
  if (!inode || inode.generation !== handle.generation) return 'NFS3ERR_STALE';
  return volume;
}

function attributes(attrs: { type: string; size: number; fileId: number; mtimeUs: number }): NfsAttributes {
  return { type: attrs.type === 'dir' ? 'directory' : 'file', size: attrs.size, fileId: attrs.fileId, mtimeUs: attrs.mtimeUs };
}

// Module helpers, not closures per call: under tsx each named closure costs a defineProperty.
function failed(call: NfsCall, status: NfsStatus): NfsReply {
  return nfsReply(call.xid, call.request.proc, status);
}

function readOnly(door: ServeDoor, served: ServedAddress, call: NfsCall): NfsReply {
  const request = call.request;
  switch (request.proc) {
    case 'NULL': return nfsReply(call.xid, 'NULL', 'NFS3_OK');
    case 'MNT': {
      const name = /^\/vol\/([^/]+)\/?$/.exec(request.path)?.[1];
      // A vserver exports its own volumes only; the answer does not say whose the volume is.
      if (!name || !served.volumes.includes(name)) return nfsReply(call.xid, 'MNT', 'MNT3ERR_NOENT', { why: `vserver ${served.vserver} exports no volume ${name ?? request.path}` });
      const root = rootHandle(door.storage, volumeKey(served, name));
      if (typeof root === 'string') return failed(call, nfsStatusOf(root));
      return nfsReply(call.xid, 'MNT', 'NFS3_OK', { fh: fileHandle(root.fsid, root.fileId, root.generation) });
    }
    case 'GETATTR': {
      const volume = volumeOf(door, served, request.fh);
      if (typeof volume === 'string') return failed(call, volume);
      const attrs = getattr(door.storage, volume.name, request.fh.fileId);
      return typeof attrs === 'string' ? failed(call, nfsStatusOf(attrs)) : nfsReply(call.xid, 'GETATTR', 'NFS3_OK', { attributes: attributes(attrs) });
    }
    case 'LOOKUP': {
      const volume = volumeOf(door, served, request.dir);
      if (typeof volume === 'string') return failed(call, volume);
      const attrs = lookup(door.storage, volume.name, request.dir.fileId, request.name);
      if (typeof attrs === 'string') return failed(call, nfsStatusOf(attrs));
      return nfsReply(call.xid, 'LOOKUP', 'NFS3_OK', { fh: fileHandle(volume.fsid, attrs.fileId, attrs.generation), attributes: attributes(attrs) });
    }
    case 'READ': {
      const volume = volumeOf(door, served, request.fh);
      if (typeof volume === 'string') return failed(call, volume);
      const result = read(door.storage, volume.name, request.fh.fileId, request.offset, Math.min(request.count, NFS_MAX_IO_BYTES));
      if (typeof result === 'string') return failed(call, nfsStatusOf(result));
      return nfsReply(call.xid, 'READ', 'NFS3_OK', { data: result.data, eof: result.eof, count: result.data.length });
    }
    case 'READDIR': {
      const volume = volumeOf(door, served, request.dir);
      if (typeof volume === 'string') return failed(call, volume);
      const entries = readdir(door.storage, volume.name, request.dir.fileId);
      return typeof entries === 'string' ? failed(call, nfsStatusOf(entries)) : nfsReply(call.xid, 'READDIR', 'NFS3_OK', { names: entries.map((entry) => entry.name) });
    }
    default:
      return failed(call, 'NFS3ERR_SERVERFAULT');
  }
}

type Modifying = { volume: string; fsid: number; request: FsRequest } | { status: NfsStatus };

/** The storage request a modifying call makes on the volume its handle names (checked first). */
function modifyingRequest(door: ServeDoor, served: ServedAddress, call: NfsCall): Modifying {
  const request = call.request;
  switch (request.proc) {
    case 'WRITE': {
      if (!(request.data instanceof Uint8Array) || request.data.length > NFS_MAX_IO_BYTES) return { status: 'NFS3ERR_INVAL' };
      const volume = volumeOf(door, served, request.fh);
      if (typeof volume === 'string') return { status: volume };
      return onVolume(volume, { kind: 'write', fileId: request.fh.fileId, offset: request.offset, data: request.data });
    }
    case 'SETATTR': {
      const volume = volumeOf(door, served, request.fh);
      if (typeof volume === 'string') return { status: volume };
      return onVolume(volume, { kind: 'setattr', fileId: request.fh.fileId, ...(request.size !== undefined ? { size: request.size } : {}) });
    }
    case 'CREATE': {
      const volume = volumeOf(door, served, request.dir);
      if (typeof volume === 'string') return { status: volume };
      // UNCHECKED: an existing file is simply opened (NFSv3 semantics).
      const existing = request.mode === 'UNCHECKED' ? lookup(door.storage, volume.name, request.dir.fileId, request.name) : 'noent';
      if (typeof existing !== 'string') return onVolume(volume, { kind: 'setattr', fileId: existing.fileId });
      return onVolume(volume, { kind: 'create', dir: request.dir.fileId, name: request.name });
    }
    case 'MKDIR': {
      const volume = volumeOf(door, served, request.dir);
      if (typeof volume === 'string') return { status: volume };
      return onVolume(volume, { kind: 'mkdir', dir: request.dir.fileId, name: request.name });
    }
    case 'REMOVE': {
      const volume = volumeOf(door, served, request.dir);
      if (typeof volume === 'string') return { status: volume };
      return onVolume(volume, { kind: 'remove', dir: request.dir.fileId, name: request.name });
    }
    case 'RENAME': {
      if (request.fromDir.fsid !== request.toDir.fsid) return { status: 'NFS3ERR_INVAL' };
      const volume = volumeOf(door, served, request.fromDir);
      if (typeof volume === 'string') return { status: volume };
      return onVolume(volume, { kind: 'rename', fromDir: request.fromDir.fileId, fromName: request.fromName, toDir: request.toDir.fileId, toName: request.toName });
    }
    default:
      return { status: 'NFS3ERR_SERVERFAULT' };
  }
}

function onVolume(volume: { name: string; fsid: number }, request: FsRequest): Modifying {
  return { volume: volume.name, fsid: volume.fsid, request };
}

/**
 * A call that a replay redid (the partner's log at takeover, or our own after a crash): its answer goes
 * into the duplicate request cache as if this filer had served it, so the client's retry of a CREATE or
 * REMOVE is answered as the first one would have been instead of failing with EXIST or NOENT.
 */
export function rememberReplayed(door: ServeDoor, replayed: ReplayedRequest): void {
  const { origin, op } = replayed;
  const proc = origin.proc as NfsProc;
  if (!NON_IDEMPOTENT.has(proc)) return;
  const volume = door.storage.volumes[replayed.volume];
  if (!volume) return;
  let reply: NfsReply;
  if ((proc === 'CREATE' || proc === 'MKDIR') && (op.op === 'create' || op.op === 'setattr')) {
    const generation = volume.inodes[op.fileId]?.generation ?? (op.op === 'create' ? op.generation : 0);
    reply = nfsReply(origin.xid, proc, 'NFS3_OK', { fh: fileHandle(volume.fsid, op.fileId, generation) });
  } else if (proc === 'WRITE' && op.op === 'write') reply = nfsReply(origin.xid, proc, 'NFS3_OK', { count: op.data.length });
  else reply = nfsReply(origin.xid, proc, 'NFS3_OK');
  drcBegin(door.fs.drc, origin.client, origin.xid, proc, door.ctx.now);
  drcFinish(door.fs.drc, origin.client, origin.xid, reply);
  door.fs.drc.rebuilt += 1;
}

/** Storage completed a modifying call: answer it, and keep the answer for retries. */
export function completeNfs(door: ServeDoor, pending: Extract<PendingRequest, { protocol: 'nfs' }>, completion: OpCompletion): void {
  const { call } = pending;
  const proc = call.request.proc;
  const result = completion.result;
  let reply: NfsReply;
  if (!result.ok) reply = nfsReply(call.xid, proc, nfsStatusOf(result.error));
  else if ((proc === 'CREATE' || proc === 'MKDIR') && result.fileId !== undefined) {
    reply = nfsReply(call.xid, proc, 'NFS3_OK', { fh: fileHandle(pending.fsid, result.fileId, result.generation ?? 0) });
  } else if (proc === 'WRITE') {
    const data = call.request.proc === 'WRITE' ? call.request.data : new Uint8Array(0);
    reply = nfsReply(call.xid, proc, 'NFS3_OK', { count: data.length });
  } else reply = nfsReply(call.xid, proc, 'NFS3_OK');
  drcFinish(door.fs.drc, pending.client, call.xid, reply);
  door.send(pending.server, pending.client, 'nfs', reply as unknown as Payload);
}
