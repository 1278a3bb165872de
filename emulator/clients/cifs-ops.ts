// One workload op as a CIFS client runs it: a short program of commands on the session.
//   create: CREATE(create) → WRITE… → CLOSE
//           (to a server that keeps seed 003's state, every other create sends its last WRITE and the
//           CLOSE as one AndX chain, WRITE_ANDX + CLOSE: stage write-close)
//   write:  CREATE(open) → LOCK exclusive → SET_EOF 0 → WRITE… → UNLOCK → CLOSE
//           (emptied first, as an overwrite is: stopped part way it leaves a prefix of its own data,
//           never its bytes over the old tail; see partialContents)
//   read:   CREATE(open) → READ… until a short read → CLOSE   (not found: the file is absent)
//   rename: RENAME;  remove: DELETE
// An error after the file was opened still closes it, then ends the op with the error.
import type { CifsCommand, CifsResponse } from '../ontap/fileservice/cifs-wire.ts';
import type { OpEnd, OpToRun } from './client-io.ts';
import { NO_BYTES, partialContents, writeChunk } from './client-io.ts';
import { readHashOf } from './known-content.ts';
import { ABSENT } from './history.ts';
import type { PlannedOp } from './workload.ts';

/** Bytes per READ/WRITE (the negotiated buffer size). */
const IO_BYTES = 32 * 1024;

export type CifsStage = 'open' | 'lock' | 'truncate' | 'write' | 'write-close' | 'unlock' | 'close' | 'read' | 'rename' | 'delete';

export interface CifsOpProgress {
  readonly run: OpToRun;
  stage: CifsStage;
  fid: number;
  offset: number;
  readChunks: Uint8Array[] | null;
  /** The op's data part is acknowledged (written and sized, or read whole): only cleanup is left. */
  dataDone: boolean;
  /** An error met after the open: reported once the file is closed. */
  pendingEnd?: OpEnd;
  /** A create that sends its last WRITE and the CLOSE as one AndX chain. */
  chain?: boolean;
  /** The op holds its byte-range lock (granted, not yet released). */
  lockHeld?: boolean;
}

/** Whether the op holds an open file (opened, its CLOSE not answered yet). */
export function holdsHandle(op: CifsOpProgress): boolean {
  return op.fid !== 0;
}

/**
 * Whether a create chains its last WRITE with the CLOSE: only with a server that acknowledges requests
 * at the transport (one keeping seed 003's state: a classic run's messages stay as they were), and for
 * every other file by its seeded content, so that both forms run.
 */
export function chainsLastWrite(planned: PlannedOp, serverAcks: boolean): boolean {
  return serverAcks && planned.kind === 'create' && planned.sizeBytes > 0 && planned.contentSeed % 2 === 0;
}

/** The stage that writes the next chunk: the chain when it is the create's last one. */
function writeStage(op: CifsOpProgress, length: number): CifsStage {
  return op.chain === true && op.offset + IO_BYTES >= length ? 'write-close' : 'write';
}

export function firstCifsStage(planned: PlannedOp): CifsStage {
  if (planned.kind === 'rename') return 'rename';
  if (planned.kind === 'remove') return 'delete';
  return 'open';
}

export interface CifsStep {
  readonly next?: CifsCommand;
  readonly end?: OpEnd;
}

function command(op: CifsOpProgress, uid: number, tid: number): CifsCommand {
  const planned = op.run.planned;
  const data = op.run.data ?? NO_BYTES;
  const lockLength = Math.max(1, data.length);
  switch (op.stage) {
    case 'open':
      return { command: 'CREATE', uid, tid, path: planned.path, disposition: planned.kind === 'create' ? 'create' : 'open' };
    case 'lock': return { command: 'LOCK', uid, tid, fid: op.fid, offset: 0, length: lockLength, exclusive: true };
    case 'write': return { command: 'WRITE', uid, tid, fid: op.fid, offset: op.offset, data: writeChunk(data, op.offset, IO_BYTES) };
    case 'write-close': return {
      command: 'ANDX', components: [
        { command: 'WRITE', uid, tid, fid: op.fid, offset: op.offset, data: writeChunk(data, op.offset, IO_BYTES) },
        { command: 'CLOSE', uid, tid, fid: op.fid },
      ],
    };
    case 'truncate': return { command: 'SET_EOF', uid, tid, fid: op.fid, size: 0 };
    case 'unlock': return { command: 'UNLOCK', uid, tid, fid: op.fid, offset: 0, length: lockLength };
    case 'close': return { command: 'CLOSE', uid, tid, fid: op.fid };
    case 'read': return { command: 'READ', uid, tid, fid: op.fid, offset: op.offset, count: IO_BYTES };
    case 'rename':
      if (planned.kind !== 'rename') throw new Error('cifs op: rename stage for another op');
      return { command: 'RENAME', uid, tid, path: planned.path, newPath: planned.target };
    case 'delete': return { command: 'DELETE', uid, tid, path: planned.path };
  }
}

function goTo(op: CifsOpProgress, stage: CifsStage, uid: number, tid: number): CifsStep {
  op.stage = stage;
  return { next: command(op, uid, tid) };
}

function closeWith(op: CifsOpProgress, end: OpEnd, uid: number, tid: number): CifsStep {
  op.pendingEnd = end;
  return goTo(op, 'close', uid, tid);
}

/** Given the response to the current command (null: nothing sent yet), the next command or the end. */
export function cifsOpStep(op: CifsOpProgress, uid: number, tid: number, response: CifsResponse | null): CifsStep {
  if (!response) return { next: command(op, uid, tid) };
  const planned = op.run.planned;
  const data = op.run.data ?? NO_BYTES;
  const ok = response.status === 'STATUS_SUCCESS';
  switch (op.stage) {
    case 'open':
      if (!ok) {
        if (planned.kind === 'read' && response.status === 'STATUS_OBJECT_NAME_NOT_FOUND') return { end: { outcome: 'ok', readHash: ABSENT } };
        return { end: { outcome: 'fail', reason: response.status } };
      }
      op.fid = response.body.fid ?? 0;
      if (planned.kind === 'read') { op.readChunks = []; return goTo(op, 'read', uid, tid); }
      if (planned.kind === 'write') return goTo(op, 'lock', uid, tid);
      if (data.length === 0) { op.dataDone = true; return goTo(op, 'close', uid, tid); }
      return goTo(op, writeStage(op, data.length), uid, tid);
    case 'lock':
      if (!ok) return closeWith(op, { outcome: 'fail', reason: response.status }, uid, tid);
      op.lockHeld = true;
      return goTo(op, 'truncate', uid, tid);
    case 'truncate':
      if (!ok) return closeWith(op, { outcome: 'fail', reason: response.status }, uid, tid);
      if (data.length > 0) return goTo(op, 'write', uid, tid);
      op.dataDone = true;
      return goTo(op, 'unlock', uid, tid);
    case 'write':
      if (!ok) return closeWith(op, { outcome: 'maybe', reason: response.status, ...cifsPartial(op) }, uid, tid);
      op.offset += Math.min(IO_BYTES, data.length - op.offset);
      if (op.offset < data.length) return goTo(op, writeStage(op, data.length), uid, tid);
      op.dataDone = true;
      return goTo(op, planned.kind === 'create' ? 'close' : 'unlock', uid, tid);
    case 'write-close': {
      // The chain stops at a failed WRITE: the file is still open, so close it and report the write.
      const write = response.body.chain?.[0];
      if (!write || write.status !== 'STATUS_SUCCESS') {
        return closeWith(op, { outcome: 'maybe', reason: write?.status ?? response.status, ...cifsPartial(op) }, uid, tid);
      }
      op.offset = data.length;
      op.dataDone = true;
      // The CLOSE's own status changes nothing (as a lone CLOSE's).
      return { end: { outcome: 'ok' } };
    }
    case 'unlock':
      op.lockHeld = false;
      return goTo(op, 'close', uid, tid);
    case 'read': {
      if (!ok) return closeWith(op, { outcome: 'fail', reason: response.status }, uid, tid);
      const chunk = response.body.data ?? NO_BYTES;
      op.readChunks = [...(op.readChunks ?? []), chunk];
      op.offset += chunk.length;
      if (chunk.length >= IO_BYTES) return goTo(op, 'read', uid, tid);
      op.dataDone = true;
      return goTo(op, 'close', uid, tid);
    }
    case 'close':
      if (op.pendingEnd) return { end: op.pendingEnd };
      if (op.readChunks) return { end: { outcome: 'ok', readHash: readHashOf(op.run, op.readChunks) } };
      return { end: { outcome: 'ok' } };
    case 'rename':
    case 'delete':
      return { end: ok ? { outcome: 'ok' } : { outcome: 'fail', reason: response.status } };
  }
}

/**
 * A create or write stopped in its current stage (the session dropped, or a WRITE was refused): what
 * the file may hold besides the old and the whole new content. A CREATE or a truncation may have
 * emptied it; a WRITE leaves the prefix acknowledged so far, or that and its chunk. An error met
 * earlier and still to be reported (closing after it) carries its own.
 */
export function cifsPartial(op: CifsOpProgress): { partialHashes?: readonly string[] } {
  const data = op.run.data;
  if (op.pendingEnd) return op.pendingEnd.partialHashes ? { partialHashes: op.pendingEnd.partialHashes } : {};
  if (!data || op.dataDone) return {};
  const created = op.stage === 'open' && op.run.planned.kind === 'create';
  if (created || op.stage === 'truncate') return { partialHashes: partialContents(data, 0, IO_BYTES, false) };
  if (op.stage === 'write' || op.stage === 'write-close') return { partialHashes: partialContents(data, op.offset, IO_BYTES, true) };
  return {};
}
