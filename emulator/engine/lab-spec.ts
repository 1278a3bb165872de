// What the engine runs: a resolved topology (actors and cables), a seed, and inputs from outside.
// The lab layer turns a `*.lab.yaml` file into a LabSpec; the engine knows nothing of YAML.
import type { ActorId, ActorInput, Micros, PortRef } from './actor.ts';

export interface ActorSpec {
  readonly id: ActorId;
  /** Key into the BehaviorRegistry: 'filer', 'shelf', 'switch', 'client', … */
  readonly kind: string;
  /** Plain-data configuration handed to the behaviour's create(). */
  readonly config: unknown;
  /**
   * Actors with the same placement group share a worker thread in `workers` placement; actors with
   * none stay in the conductor. Filers get a group each (DESIGN.md §2).
   */
  readonly placementGroup?: string;
}

export type CableKind = 'fc' | 'ethernet' | 'interconnect' | 'power';

export interface CableSpec {
  /** Stable name such as `filerA:0a-shelf1:A`. */
  readonly id: string;
  readonly kind: CableKind;
  readonly a: PortRef;
  readonly b: PortRef;
  /** One-way latency; never less than LOOKAHEAD_US. */
  readonly latencyUs?: Micros;
}

export interface LabSpec {
  readonly name: string;
  readonly actors: readonly ActorSpec[];
  readonly cables: readonly CableSpec[];
  /**
   * The lab's vservers by name. The node that serves one reports it in the summary; the lab reports
   * the ones nobody serves as stopped (one author per fact).
   */
  readonly vservers?: readonly string[];
}

/** An input as it enters the lab from outside, before it is stamped with a virtual time. */
export type LabInput =
  | { readonly kind: 'actor'; readonly actor: ActorId; readonly input: ActorInput }
  /** Pull or plug one end of a cable, named by the port it sits in (`filerA:0a`). */
  | { readonly kind: 'cable'; readonly end: PortRef; readonly plugged: boolean }
  /** A marker in the recording (`mark "text"`), with no effect on the lab. */
  | { readonly kind: 'mark'; readonly text: string };

/** An input in the input log: stamped with the virtual time of the window it entered. */
export interface StampedInput {
  readonly atUs: Micros;
  /** Order among inputs stamped with the same time. */
  readonly sequence: number;
  readonly input: LabInput;
}
