// What a protocol client (NFS, CIFS) needs from its workstation while it handles one event: the clock,
// a way to send a message to its server, timers and the event log. The client actor builds one per
// event from its ActorContext, so the protocol state machines stay testable on their own.
import type { EmsSeverity, Micros, Payload } from '../engine/actor.ts';
import { contentHash } from './content.ts';
import type { Outcome } from './history.ts';
import type { PlannedOp } from './workload.ts';

export interface ClientIo {
  readonly now: Micros;
  /** Sends a message to the server address this client mounted. */
  send(payload: Payload): void;
  setTimer(delayUs: Micros, payload: Payload): number;
  cancelTimer(timerId: number): void;
  ems(severity: EmsSeverity, text: string): void;
}

/** How one workload op ended, as the history records it. */
export interface OpEnd {
  readonly outcome: Outcome;
  /** read: the hash of what came back (ABSENT for no such file). */
  readonly readHash?: string;
  readonly reason?: string;
  /**
   * create/write that ended maybe: the other contents the file may hold because the op stopped part
   * way (see partialContents), besides the old content and the whole new one.
   */
  readonly partialHashes?: readonly string[];
}

/**
 * What a file may hold when a create or write op stopped part way. Both protocol clients write a file
 * as an application that opens it with O_TRUNC does: empty it first (CREATE, or a truncation to size
 * 0), then WRITE the data from offset 0 up, one chunk at a time, each after the last was answered. So
 * whatever landed is a prefix of the new data: the `doneBytes` acknowledged, or (a chunk was in
 * flight) those and that chunk. Never old bytes under new ones, which the client could not predict.
 */
export function partialContents(data: Uint8Array, doneBytes: number, chunkBytes: number, chunkInFlight: boolean): string[] {
  const hashes = doneBytes < data.length ? [contentHash(data.subarray(0, doneBytes))] : [];
  const reach = Math.min(data.length, doneBytes + chunkBytes);
  if (chunkInFlight && reach > doneBytes && reach < data.length) hashes.push(contentHash(data.subarray(0, reach)));
  return hashes;
}

/** An op handed to a protocol client: the plan, and the bytes to write (create/write). */
export interface OpToRun {
  readonly planned: PlannedOp;
  readonly data: Uint8Array | null;
}

/** The last component of a path and the directory part (`/c1/f3` → `/c1`, `f3`). */
export function splitPath(path: string): { directory: string; name: string } {
  const slash = path.lastIndexOf('/');
  return { directory: path.slice(0, Math.max(0, slash)), name: path.slice(slash + 1) };
}

/** The bytes of an op that has none (a read, a remove); shared: a zero-length array cannot be changed. */
export const NO_BYTES = new Uint8Array(0);

/**
 * The chunk of `data` one WRITE call carries. A file that fits one call goes as it is, not copied: no
 * one changes the bytes after makeContent (the server copies what it keeps). A longer file's chunks
 * are copies, not views: a view sent to a worker thread would be cloned with the whole file under it.
 */
export function writeChunk(data: Uint8Array, offset: number, chunkBytes: number): Uint8Array {
  if (offset === 0 && data.length <= chunkBytes) return data;
  return data.slice(offset, offset + chunkBytes);
}
