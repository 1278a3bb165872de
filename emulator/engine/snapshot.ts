// A lab frozen as plain data (DESIGN.md §2, v86's save states): the topology, the seed, the conductor's
// own state and every actor's. JSON-safe as long as actor states are; carries a format version.
import type { LabInput, LabSpec, StampedInput } from './lab-spec.ts';
import type { ActorPanic, ActorSnapshot, Delivery, PortChange } from './window.ts';

export const LAB_SNAPSHOT_FORMAT = 'filerlab-lab-snapshot';
/** 2: filers carry the HA slot, storage's disk access, unmirrored writes waiting for a CP and replayed requests. */
export const LAB_SNAPSHOT_VERSION = 2;

export interface InFlight {
  readonly cable: string;
  readonly delivery: Delivery;
}

export interface LabSnapshot {
  readonly format: typeof LAB_SNAPSHOT_FORMAT;
  readonly version: number;
  readonly spec: LabSpec;
  readonly seed: number;
  readonly nowUs: number;
  readonly eventsHandled: number;
  readonly nextInputSequence: number;
  readonly nextLinkSequence: number;
  readonly inputLog: readonly StampedInput[];
  /** Inputs received but not yet stamped (they enter at the next window). */
  readonly pendingInputs: readonly LabInput[];
  readonly pendingDeliveries: readonly Delivery[];
  readonly inFlight: readonly InFlight[];
  readonly pendingPortChanges: readonly PortChange[];
  readonly unplugged: readonly string[];
  readonly disabledPorts: readonly string[];
  readonly panics: readonly ActorPanic[];
  /** In actor-id order. */
  readonly actors: readonly ActorSnapshot[];
}

/** Checks the envelope of a snapshot read from outside; returns why it cannot be restored. */
export function checkSnapshot(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a lab snapshot is a JSON object';
  const snapshot = value as Partial<LabSnapshot>;
  if (snapshot.format !== LAB_SNAPSHOT_FORMAT) return `not a lab snapshot (format ${JSON.stringify(snapshot.format)})`;
  if (snapshot.version !== LAB_SNAPSHOT_VERSION) return `lab snapshot version ${snapshot.version} is not supported (this build reads ${LAB_SNAPSHOT_VERSION})`;
  if (!snapshot.spec || !Array.isArray(snapshot.actors)) return 'lab snapshot lacks its topology or actors';
  return undefined;
}
