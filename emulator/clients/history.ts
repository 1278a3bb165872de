// What a client saw, op by op: the raw material of the checker. An op is invoked, then ends ok (the
// server acknowledged it), fail (the server refused it: it certainly did not happen) or maybe (the
// client lost track of it: a dropped session, the run ended; it may or may not have happened).
import type { Micros } from '../engine/actor.ts';

export type OpKind = 'create' | 'write' | 'read' | 'rename' | 'remove';
export type Outcome = 'ok' | 'fail' | 'maybe';

/** The value of a file that does not exist, in the register model (content hashes are hex). */
export const ABSENT = 'absent';

export interface HistoryOp {
  readonly id: number;
  readonly kind: OpKind;
  readonly path: string;
  /** For rename: the new name. */
  readonly target?: string;
  readonly invokeUs: Micros;
  /** create/write: the hash of the whole content written. */
  readonly writtenHash?: string;
  completeUs?: Micros;
  outcome?: Outcome;
  /** read: the hash of the content read back, or ABSENT when the server said "no such file". */
  readHash?: string;
  /** fail/maybe: why, in a few words (`NOENT`, `session dropped`). */
  reason?: string;
  /** create/write that ended maybe: contents it may have left by stopping part way (a prefix of its data). */
  partialHashes?: string[];
}

/** A bounded log of the most recent ops, for the UI and for a human chasing a checker finding. */
export interface RecentLog {
  readonly capacity: number;
  ops: HistoryOp[];
}

export function createRecentLog(capacity: number): RecentLog {
  if (!(capacity > 0)) throw new Error(`recent log capacity must be positive, got ${capacity}`);
  return { capacity, ops: [] };
}

export function appendRecent(log: RecentLog, op: HistoryOp): void {
  log.ops.push(op);
  // shift, not splice: splice builds an array of what it removed, once per op.
  while (log.ops.length > log.capacity) log.ops.shift();
}
