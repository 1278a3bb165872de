// Messages between the conductor and an engine worker thread (see placement-workers.ts). After boot,
// every request and reply travels over a dedicated MessagePort that neither side listens on: each side
// takes messages with receiveMessageOnPort when a counter in shared memory says one is there, and
// sleeps on that counter with Atomics.wait. No event-loop turn per window on either side.
import type { MessagePort } from 'node:worker_threads';
import type { ActorId } from '../engine/actor.ts';
import type { LabSpec } from '../engine/lab-spec.ts';
import type { ActorSnapshot, WindowRequest } from '../engine/window.ts';

export interface WorkerBoot {
  readonly spec: LabSpec;
  readonly seed: number;
  readonly actorIds: readonly ActorId[];
  readonly registryUrl: string;
  readonly snapshot?: readonly ActorSnapshot[];
  /** CONTROL_BYTES of shared memory: the request and reply counters below. */
  readonly control: SharedArrayBuffer;
  /** The worker's end of the request/reply channel. */
  readonly port: MessagePort;
}

/** Int32 slots of the control block. */
export const CONTROL_REQUESTS = 0;
export const CONTROL_REPLIES = 1;
export const CONTROL_BYTES = 8;

export type WorkerRequest =
  | { readonly id: number; readonly op: 'window'; readonly request: WindowRequest }
  | { readonly id: number; readonly op: 'snapshot' | 'summarize' | 'traces' };

/** Reply 0 answers the boot on parentPort (value: the partition's first pending time). */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
