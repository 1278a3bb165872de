// A lab snapshot kept for later without being read: V8's serialized bytes, made where the lab runs. A
// lab in a thread of its own serializes it there and moves the bytes to the host (lab-thread.ts), so
// the host's thread (Electron's main process) never builds the snapshot's millions of objects: an
// ha-pair 10 virtual minutes old is ~40 MB of bytes, and reading them back took ~100 ms there. Undo
// keeps its bases this way (lab-undo.ts), and Record writes them into its keyframes as they are
// (keyframe-sidecar.ts); a restore reads the bytes into a fresh snapshot, which no lab shares with
// another.
import { deserialize, serialize } from 'node:v8';
import type { Micros } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';

export interface KeptSnapshot {
  readonly bytes: Uint8Array;
  /** The snapshot's virtual time. */
  readonly nowUs: Micros;
  /** Inputs the lab had taken, stamped or queued: where in its log the inputs after the snapshot start. */
  readonly inputsTaken: number;
  /** Of those, the ones stamped in its log (the rest were queued). */
  readonly inputsLogged: number;
}

/** A lab that keeps its own snapshots where it runs (a lab in a thread of its own). */
interface SnapshotKeeper {
  keepSnapshot(): Promise<KeptSnapshot>;
}

export function keptSnapshot(snapshot: LabSnapshot): KeptSnapshot {
  const serialized = serialize(snapshot);
  // Its own buffer, whole, so that it can be moved to another thread.
  const bytes = serialized.byteOffset === 0 && serialized.byteLength === serialized.buffer.byteLength ? serialized : new Uint8Array(serialized);
  return { bytes, nowUs: snapshot.nowUs, inputsTaken: snapshot.inputLog.length + snapshot.pendingInputs.length, inputsLogged: snapshot.inputLog.length };
}

/** The lab's snapshot now, kept; only while the lab is idle, as for snapshot(). */
export function keepSnapshot(lab: Lab): Promise<KeptSnapshot> {
  const keeper = lab as Partial<SnapshotKeeper>;
  return typeof keeper.keepSnapshot === 'function' ? keeper.keepSnapshot() : lab.snapshot().then(keptSnapshot);
}

/**
 * The kept snapshot read back: a fresh copy every time. Read from a copy of the bytes: V8 reads byte
 * arrays back as views on the bytes it reads, and a lab restored in this thread writes to its arrays.
 */
export function keptLabSnapshot(kept: KeptSnapshot): LabSnapshot {
  return deserialize(new Uint8Array(kept.bytes)) as LabSnapshot;
}
