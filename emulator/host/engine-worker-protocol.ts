// Messages between the conductor and an engine worker thread (see placement-workers.ts).
import type { ActorId } from '../engine/actor.ts';
import type { LabSpec } from '../engine/lab-spec.ts';
import type { ActorSnapshot, WindowRequest } from '../engine/window.ts';

export interface WorkerBoot {
  readonly spec: LabSpec;
  readonly seed: number;
  readonly actorIds: readonly ActorId[];
  readonly registryUrl: string;
  readonly snapshot?: readonly ActorSnapshot[];
}

export type WorkerRequest =
  | { readonly id: number; readonly op: 'window'; readonly request: WindowRequest }
  | { readonly id: number; readonly op: 'snapshot' | 'summarize' | 'traces' };

/** Reply 0 answers the boot (value: the partition's first pending time). */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
