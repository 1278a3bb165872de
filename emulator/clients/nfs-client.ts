// The NFS client of a workstation: a hard mount. It mounts the export, makes its own directory, and
// runs one workload op at a time as a short program of calls (create: CREATE GUARDED then WRITEs;
// write: LOOKUP, SETATTR to size 0, WRITEs — an open with O_TRUNC, then the data; read: LOOKUP then
// READs to EOF; REMOVE; RENAME). A write stopped part way so leaves a prefix of its own data, never
// its bytes over the old tail (see partialContents).
// A call left unanswered is sent again with the same xid after `timeo`, doubling up to 60 s; after
// `retrans` tries the kernel says "server not responding, still trying" and goes on forever, as a
// hard mount does (Linux: timeo/retrans, here in virtual time).
import { MICROS_PER_SECOND, type Micros } from '../engine/actor.ts';
import type { FileHandle } from '../ontap/fileservice/file-handle.ts';
import { NFS_MAX_IO_BYTES, type NfsReply, type NfsRequest } from '../ontap/fileservice/nfs-wire.ts';
import { NO_BYTES, partialContents, splitPath, writeChunk, type ClientIo, type OpEnd, type OpToRun } from './client-io.ts';
import { readHashOf } from './known-content.ts';
import { ABSENT } from './history.ts';

export interface NfsMountOptions {
  /** First retransmission timeout (Linux UDP default timeo=11: 1.1 s). */
  readonly timeoUs: Micros;
  /** Tries before the "not responding" message (a major timeout). */
  readonly retrans: number;
  readonly exportPath: string;
}

export const DEFAULT_NFS_OPTIONS: NfsMountOptions = { timeoUs: 1_100_000, retrans: 3, exportPath: '/vol/vol1' };
const MAX_TIMEO_US = 60 * MICROS_PER_SECOND;

type Stage = 'mnt' | 'lookup-dir' | 'mkdir' | 'lookup' | 'create' | 'truncate' | 'write' | 'read' | 'remove' | 'rename';

interface InFlight {
  readonly xid: number;
  readonly request: NfsRequest;
  attempts: number;
  timeoutUs: Micros;
  timerId: number;
}

interface OpProgress {
  readonly run: OpToRun;
  stage: Stage;
  fh: FileHandle | null;
  offset: number;
  chunks: Uint8Array[];
}

export interface NfsClientState {
  readonly options: NfsMountOptions;
  readonly directory: string;
  phase: 'unmounted' | 'mounting' | 'mounted';
  rootFh: FileHandle | null;
  dirFh: FileHandle | null;
  nextXid: number;
  inFlight: InFlight | null;
  op: OpProgress | null;
  /** File handles by path, from CREATE and LOOKUP. */
  handles: Record<string, FileHandle>;
  notResponding: boolean;
  /** The last refusal of the server, with its reason when it gave one (a probe's mount: seed 004 claim 1). */
  lastError: string | null;
  calls: number;
  retransmits: number;
}

export function createNfsClient(options: NfsMountOptions, directory: string, xidBase: number): NfsClientState {
  return {
    options, directory, phase: 'unmounted', rootFh: null, dirFh: null, nextXid: xidBase, inFlight: null, op: null,
    handles: {}, notResponding: false, lastError: null, calls: 0, retransmits: 0,
  };
}

export function nfsReady(state: NfsClientState): boolean {
  return state.phase === 'mounted' && state.op === null;
}

export function nfsMount(state: NfsClientState, io: ClientIo): void {
  if (state.phase !== 'unmounted') return;
  state.phase = 'mounting';
  call(state, io, { proc: 'MNT', path: state.options.exportPath });
}

function call(state: NfsClientState, io: ClientIo, request: NfsRequest): void {
  if (state.inFlight) throw new Error('nfs client: one call at a time');
  const xid = state.nextXid;
  state.nextXid = (state.nextXid + 1) >>> 0;
  const timeoutUs = state.options.timeoUs;
  state.inFlight = { xid, request, attempts: 1, timeoutUs, timerId: io.setTimer(timeoutUs, { kind: 'nfs.timeout', xid }) };
  state.calls += 1;
  io.send({ kind: 'nfs.call', xid, request });
}

/** A retransmission timer fired: send the same call again (hard mount: forever). */
export function nfsTimeout(state: NfsClientState, xid: number, server: string, io: ClientIo): void {
  const inFlight = state.inFlight;
  if (!inFlight || inFlight.xid !== xid) return;
  inFlight.attempts += 1;
  if (inFlight.attempts === state.options.retrans + 1 && !state.notResponding) {
    state.notResponding = true;
    io.ems('warning', `nfs: server ${server} not responding, still trying`);
  }
  inFlight.timeoutUs = Math.min(MAX_TIMEO_US, inFlight.timeoutUs * 2);
  inFlight.timerId = io.setTimer(inFlight.timeoutUs, { kind: 'nfs.timeout', xid });
  state.retransmits += 1;
  io.send({ kind: 'nfs.call', xid, request: inFlight.request });
}

/** Starts a workload op; the client must be ready. */
export function nfsStartOp(state: NfsClientState, run: OpToRun, io: ClientIo): void {
  if (!nfsReady(state)) throw new Error('nfs client: op started while not ready');
  const planned = run.planned;
  const cached = state.handles[planned.path] ?? null;
  const first: Stage = planned.kind === 'create' ? 'create'
    : planned.kind === 'write' ? (cached ? 'truncate' : 'lookup')
    : planned.kind === 'read' ? 'lookup'
    : planned.kind;
  state.op = { run, stage: first, fh: planned.kind === 'write' ? cached : null, offset: 0, chunks: [] };
  issue(state, io);
}

/** Sends the call of the op's current stage. */
function issue(state: NfsClientState, io: ClientIo): void {
  const op = state.op;
  const dir = state.dirFh;
  if (!op || !dir) throw new Error('nfs client: nothing to issue');
  const planned = op.run.planned;
  const { name } = splitPath(planned.path);
  const data = op.run.data ?? NO_BYTES;
  switch (op.stage) {
    case 'lookup': return call(state, io, { proc: 'LOOKUP', dir, name });
    case 'create': return call(state, io, { proc: 'CREATE', dir, name, mode: 'GUARDED' });
    case 'write': {
      const fh = mustHandle(op);
      return call(state, io, { proc: 'WRITE', fh, offset: op.offset, data: writeChunk(data, op.offset, NFS_MAX_IO_BYTES) });
    }
    case 'truncate': return call(state, io, { proc: 'SETATTR', fh: mustHandle(op), size: 0 });
    case 'read': return call(state, io, { proc: 'READ', fh: mustHandle(op), offset: op.offset, count: NFS_MAX_IO_BYTES });
    case 'remove': return call(state, io, { proc: 'REMOVE', dir, name });
    case 'rename': {
      if (planned.kind !== 'rename') throw new Error('nfs client: rename stage for another op');
      return call(state, io, { proc: 'RENAME', fromDir: dir, fromName: name, toDir: dir, toName: splitPath(planned.target).name });
    }
    default: throw new Error(`nfs client: op in stage ${op.stage}`);
  }
}

function mustHandle(op: OpProgress): FileHandle {
  if (!op.fh) throw new Error(`nfs client: ${op.stage} without a file handle`);
  return op.fh;
}

/**
 * A reply arrived. Returns how the workload op ended when this reply finished it, else null (the op
 * goes on, or the reply was for a call no longer wanted: a late duplicate).
 */
export function nfsReceive(state: NfsClientState, reply: NfsReply, server: string, io: ClientIo): OpEnd | null {
  const inFlight = state.inFlight;
  if (!inFlight || inFlight.xid !== reply.xid || inFlight.request.proc !== reply.proc) return null;
  io.cancelTimer(inFlight.timerId);
  state.inFlight = null;
  if (state.notResponding) {
    state.notResponding = false;
    io.ems('notice', `nfs: server ${server} OK`);
  }
  if (state.phase === 'mounting') {
    mountStep(state, reply, io);
    return null;
  }
  return opStep(state, reply, inFlight.attempts > 1, io);
}

function mountStep(state: NfsClientState, reply: NfsReply, io: ClientIo): void {
  const fh = reply.status === 'NFS3_OK' ? reply.body.fh ?? null : null;
  const root = state.rootFh;
  if (reply.proc === 'MNT') {
    state.rootFh = fh;
    if (fh) call(state, io, { proc: 'LOOKUP', dir: fh, name: state.directory });
    else {
      state.phase = 'unmounted';
      state.lastError = reply.body.why === undefined ? reply.status : `${reply.status}: ${reply.body.why}`;
    }
    return;
  }
  if (fh) {
    state.dirFh = fh;
    state.phase = 'mounted';
    return;
  }
  // No directory yet: make it; someone made it meanwhile: look it up again. Else give up for now.
  if (root && reply.proc === 'LOOKUP' && reply.status === 'NFS3ERR_NOENT') call(state, io, { proc: 'MKDIR', dir: root, name: state.directory });
  else if (root && reply.proc === 'MKDIR' && reply.status === 'NFS3ERR_EXIST') call(state, io, { proc: 'LOOKUP', dir: root, name: state.directory });
  else state.phase = 'unmounted';
}

function finish(state: NfsClientState, end: OpEnd): OpEnd {
  state.op = null;
  return end;
}

function opStep(state: NfsClientState, reply: NfsReply, retried: boolean, io: ClientIo): OpEnd | null {
  const op = state.op;
  if (!op) return null;
  const planned = op.run.planned;
  const data = op.run.data ?? NO_BYTES;
  if (reply.status !== 'NFS3_OK') return finish(state, failure(state, op, reply, retried));
  switch (op.stage) {
    case 'lookup':
      op.fh = reply.body.fh ?? null;
      if (op.fh) state.handles[planned.path] = op.fh;
      op.stage = planned.kind === 'read' ? 'read' : 'truncate';
      break;
    case 'create':
      op.fh = reply.body.fh ?? null;
      if (op.fh) state.handles[planned.path] = op.fh;
      op.stage = 'write';
      if (data.length === 0) return finish(state, { outcome: 'ok' });
      break;
    case 'truncate':
      op.stage = 'write';
      if (data.length === 0) return finish(state, { outcome: 'ok' });
      break;
    case 'write':
      op.offset += Math.min(NFS_MAX_IO_BYTES, data.length - op.offset);
      if (op.offset < data.length) break;
      return finish(state, { outcome: 'ok' });
    case 'read': {
      const chunk = reply.body.data ?? NO_BYTES;
      op.chunks.push(chunk);
      op.offset += chunk.length;
      if (reply.body.eof || chunk.length === 0) return finish(state, { outcome: 'ok', readHash: readHashOf(op.run, op.chunks) });
      break;
    }
    case 'remove':
      delete state.handles[planned.path];
      return finish(state, { outcome: 'ok' });
    case 'rename':
      if (planned.kind === 'rename') moveHandle(state, planned.path, planned.target);
      return finish(state, { outcome: 'ok' });
    default:
      return finish(state, { outcome: 'fail', reason: `reply in stage ${op.stage}` });
  }
  issue(state, io);
  return null;
}

function moveHandle(state: NfsClientState, from: string, to: string): void {
  const fh = state.handles[from];
  delete state.handles[from];
  if (fh) state.handles[to] = fh;
}

/** An error reply: what it means for the op, as a careful client reads it. */
function failure(state: NfsClientState, op: OpProgress, reply: NfsReply, retried: boolean): OpEnd {
  const planned = op.run.planned;
  if (reply.status === 'NFS3ERR_STALE') delete state.handles[planned.path];
  // No such file, asked by a read: the read returns "absent" (the checker decides if that is right).
  if (planned.kind === 'read' && op.stage === 'lookup' && reply.status === 'NFS3ERR_NOENT') return { outcome: 'ok', readHash: ABSENT };
  // A retried CREATE/REMOVE/RENAME that the server did not find in its duplicate request cache:
  // EXIST/NOENT may be our own first try having worked. Unknown, not failed.
  const nonIdempotent = op.stage === 'create' || op.stage === 'remove' || op.stage === 'rename';
  if (retried && nonIdempotent && (reply.status === 'NFS3ERR_EXIST' || reply.status === 'NFS3ERR_NOENT')) {
    return { outcome: 'maybe', reason: `${reply.status} on a retried ${reply.proc}`, ...partialOf(op) };
  }
  // A WRITE refused once the file was emptied (created, or truncated) leaves what had landed.
  if (op.stage === 'write') return { outcome: 'maybe', reason: reply.status, ...partialOf(op) };
  return { outcome: 'fail', reason: reply.status };
}

/**
 * A create or write stopped in its current stage, its call unanswered or refused: what the file may
 * hold besides the old and the whole new content. A CREATE or a truncation may have emptied it; a
 * WRITE leaves the prefix acknowledged so far, or that and its chunk.
 */
function partialOf(op: OpProgress): { partialHashes?: string[] } {
  const data = op.run.data;
  if (!data) return {};
  if (op.stage === 'create' || op.stage === 'truncate') return { partialHashes: partialContents(data, 0, NFS_MAX_IO_BYTES, false) };
  if (op.stage === 'write') return { partialHashes: partialContents(data, op.offset, NFS_MAX_IO_BYTES, true) };
  return {};
}

/** The run stopped with an op in flight: it may or may not have happened. */
export function nfsAbandon(state: NfsClientState, io: ClientIo): OpEnd | null {
  if (state.inFlight) io.cancelTimer(state.inFlight.timerId);
  state.inFlight = null;
  const op = state.op;
  if (!op) return null;
  state.op = null;
  return { outcome: 'maybe', reason: 'abandoned', ...partialOf(op) };
}
