// Messages between a host and a lab running in a thread of its own (lab-thread.ts, lab-thread-worker.ts).
// They travel by postMessage (structured clone): a request is a stretch of virtual time or a question,
// so there are a few hundred a wall second at most, not one per window as between the conductor and a
// partition (engine-worker-protocol.ts). Every answer carries the lab's state the host reads without
// waiting (its clock, its next event, what entered its log, its panics, its unplugged ends).
import type { Micros } from '../engine/actor.ts';
import type { LabEmission } from '../engine/lab.ts';
import type { LabInput, LabSpec, StampedInput } from '../engine/lab-spec.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import type { ActorPanic } from '../engine/window.ts';

/** The lab a thread opens ('open'); a thread runs one lab at a time and may open another after 'close'. */
export interface LabThreadBoot {
  readonly spec: LabSpec;
  readonly seed: number;
  /** Module exporting `behaviors`, imported by the thread. */
  readonly registryUrl: string;
  readonly snapshot?: LabSnapshot;
}

/**
 * What a request asks: open a lab, run to `targetUs`, handle the events at the earliest pending time, a
 * question, or close the lab (the thread then waits for the next 'open').
 */
export type LabThreadAsk =
  | { readonly op: 'open'; readonly boot: LabThreadBoot }
  | { readonly op: 'close' }
  | { readonly op: 'run'; readonly targetUs: Micros }
  | { readonly op: 'step' }
  | { readonly op: 'snapshot' | 'snapshotBytes' | 'summary' | 'traceHash' };

/** Every request first enters the inputs given since the last (already checked by the host). */
export type LabThreadRequest = LabThreadAsk & { readonly id: number; readonly inputs: readonly LabInput[] };

/** The lab's state after a request, as the host mirrors it. */
export interface LabThreadStatus {
  readonly nowUs: Micros;
  readonly eventsHandled: number;
  readonly nextEventUs: Micros;
  /** Stamped inputs the log gained since the last status. */
  readonly logged: readonly StampedInput[];
  readonly panicked: readonly ActorPanic[];
  readonly unplugged: readonly string[];
  /** Each cable's link now, in spec order (a cable pulled at the clock is down before any window shows it). */
  readonly linksUp: readonly boolean[];
  /** What the windows showed, in order. */
  readonly emissions: readonly LabEmission[];
}

/** Every answer but close's carries the status. */
export type LabThreadReply =
  | { readonly id: number; readonly ok: true; readonly status?: LabThreadStatus; readonly value?: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
