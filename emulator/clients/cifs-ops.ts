// One workload op as a CIFS client runs it: a short program of commands on the session.
//   create: CREATE(create) → WRITE… → CLOSE
//   write:  CREATE(open) → LOCK exclusive → WRITE… → SET_EOF → UNLOCK → CLOSE
//   read:   CREATE(open) → READ… until a short read → CLOSE   (not found: the file is absent)
//   rename: RENAME;  remove: DELETE
// An error after the file was opened still closes it, then ends the op with the error.
import type { CifsCommand, CifsResponse } from '../ontap/fileservice/cifs-wire.ts';
import type { OpEnd, OpToRun } from './client-io.ts';
import { concatBytes } from './client-io.ts';
import { contentHash } from './content.ts';
import { ABSENT } from './history.ts';
import type { PlannedOp } from './workload.ts';

/** Bytes per READ/WRITE (the negotiated buffer size). */
const IO_BYTES = 32 * 1024;

export type CifsStage = 'open' | 'lock' | 'write' | 'set-eof' | 'unlock' | 'close' | 'read' | 'rename' | 'delete';

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
  const data = op.run.data ?? new Uint8Array(0);
  const lockLength = Math.max(1, data.length);
  switch (op.stage) {
    case 'open':
      return { command: 'CREATE', uid, tid, path: planned.path, disposition: planned.kind === 'create' ? 'create' : 'open' };
    case 'lock': return { command: 'LOCK', uid, tid, fid: op.fid, offset: 0, length: lockLength, exclusive: true };
    case 'write': return { command: 'WRITE', uid, tid, fid: op.fid, offset: op.offset, data: data.slice(op.offset, op.offset + IO_BYTES) };
    case 'set-eof': return { command: 'SET_EOF', uid, tid, fid: op.fid, size: data.length };
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
  const data = op.run.data ?? new Uint8Array(0);
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
      return goTo(op, 'write', uid, tid);
    case 'lock':
      if (!ok) return closeWith(op, { outcome: 'fail', reason: response.status }, uid, tid);
      if (data.length === 0) return goTo(op, 'set-eof', uid, tid);
      return goTo(op, 'write', uid, tid);
    case 'write':
      if (!ok) return closeWith(op, { outcome: 'maybe', reason: response.status }, uid, tid);
      op.offset += Math.min(IO_BYTES, data.length - op.offset);
      if (op.offset < data.length) return goTo(op, 'write', uid, tid);
      if (planned.kind === 'create') { op.dataDone = true; return goTo(op, 'close', uid, tid); }
      return goTo(op, 'set-eof', uid, tid);
    case 'set-eof':
      if (!ok) return closeWith(op, { outcome: 'maybe', reason: response.status }, uid, tid);
      op.dataDone = true;
      return goTo(op, 'unlock', uid, tid);
    case 'unlock':
      return goTo(op, 'close', uid, tid);
    case 'read': {
      if (!ok) return closeWith(op, { outcome: 'fail', reason: response.status }, uid, tid);
      const chunk = response.body.data ?? new Uint8Array(0);
      op.readChunks = [...(op.readChunks ?? []), chunk];
      op.offset += chunk.length;
      if (chunk.length >= IO_BYTES) return goTo(op, 'read', uid, tid);
      op.dataDone = true;
      return goTo(op, 'close', uid, tid);
    }
    case 'close':
      if (op.pendingEnd) return { end: op.pendingEnd };
      if (op.readChunks) return { end: { outcome: 'ok', readHash: contentHash(concatBytes(op.readChunks)) } };
      return { end: { outcome: 'ok' } };
    case 'rename':
    case 'delete':
      return { end: ok ? { outcome: 'ok' } : { outcome: 'fail', reason: response.status } };
  }
}
