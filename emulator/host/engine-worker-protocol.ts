// Messages between the conductor and an engine worker thread (see placement-workers.ts). After boot,
// requests and replies travel through shared memory: each direction is a lane with a message counter
// and an area the encoded message is written into (engine-wire.ts). Neither side listens on an event
// loop: each spins briefly on the other's counter, then sleeps on it with Atomics.wait. At most one
// request is outstanding, so an area is never written while its last message is still unread. A
// message too big for its area goes over a MessagePort instead, still encoded, so the lane's string
// table stays in step.
import type { MessagePort } from 'node:worker_threads';
import { receiveMessageOnPort } from 'node:worker_threads';
import type { ActorId } from '../engine/actor.ts';
import type { LabSpec } from '../engine/lab-spec.ts';
import type { ActorSnapshot, WindowRequest } from '../engine/window.ts';
import { WireReader, WireWriter } from './engine-wire.ts';

export interface WorkerBoot {
  readonly spec: LabSpec;
  readonly seed: number;
  readonly actorIds: readonly ActorId[];
  readonly registryUrl: string;
  readonly snapshot?: readonly ActorSnapshot[];
  /** CONTROL_BYTES of shared memory: the counters and lengths below. */
  readonly control: SharedArrayBuffer;
  /** Two areas of AREA_BYTES: requests, then replies. */
  readonly areas: SharedArrayBuffer;
  /** The worker's end of the channel for messages that do not fit an area. */
  readonly port: MessagePort;
  /** How long the worker spins on the request counter before it sleeps (see spinBudgets). */
  readonly spinUs: number;
}

/** Int32 slots of the control block: per lane, messages sent (wrapping) and the last one's length. */
export const REQUEST_LANE = { count: 0, length: 1, area: 0 } as const;
export const REPLY_LANE = { count: 2, length: 3, area: 1 } as const;
/** Int32 slot: 1 while both sides may spin before they sleep, 0 when a paced lab wants the CPU back. */
export const SPIN_SLOT = 4;
export const CONTROL_BYTES = 20;
/**
 * A sleeping thread is woken by the kernel in tens of µs (a bare futex round trip measured 10–60 µs on
 * this class of VM), a spinning one in well under one: each side spins on the counter for about one
 * wake-up's worth before it sleeps. Spinning only pays while every spinner has a core of its own;
 * with more threads than cores a spinning worker holds the core its partner needs, so then only the
 * conductor spins (it is the one waiting for all of them: 2 workers on 2 cores ~45 → ~28 µs a barrier).
 */
export const SPIN_US = 100;

export function spinBudgets(workers: number, cores: number): { conductorUs: number; workerUs: number } {
  return { conductorUs: SPIN_US, workerUs: workers + 1 <= cores ? SPIN_US : 0 };
}

/** A window's messages are a few hundred bytes to a few hundred KiB (disk blocks); snapshots may be more. */
export const AREA_BYTES = 4 * 1024 * 1024;
const ON_PORT = -1;

export type LaneSlots = typeof REQUEST_LANE | typeof REPLY_LANE;

export type WorkerRequest =
  | { readonly id: number; readonly op: 'window'; readonly request: WindowRequest }
  | { readonly id: number; readonly op: 'snapshot' | 'summarize' | 'traces' };

/** Reply 0 answers the boot on parentPort (value: the partition's first pending time). */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** The writing end of a lane. */
export class LaneSender {
  private readonly writer = new WireWriter();
  private readonly area: Uint8Array;
  private sent = 0;

  constructor(private readonly control: Int32Array, areas: SharedArrayBuffer, private readonly slots: LaneSlots, private readonly port: MessagePort) {
    this.area = new Uint8Array(areas, slots.area * AREA_BYTES, AREA_BYTES);
  }

  /** Encodes and publishes one message; throws a WireError (sending nothing) if it is not plain data. */
  send(message: unknown): void {
    const bytes = this.writer.encode(message);
    if (bytes.length <= AREA_BYTES) {
      this.area.set(bytes);
      Atomics.store(this.control, this.slots.length, bytes.length);
    } else {
      this.port.postMessage(bytes.slice());
      Atomics.store(this.control, this.slots.length, ON_PORT);
    }
    this.sent = (this.sent + 1) | 0;
    Atomics.store(this.control, this.slots.count, this.sent);
    Atomics.notify(this.control, this.slots.count);
  }
}

/** The reading end of a lane. */
export class LaneReceiver {
  private readonly reader = new WireReader();
  private readonly area: Uint8Array;
  /** Messages taken so far (wrapping), as the counter counts them. */
  taken = 0;

  constructor(
    private readonly control: Int32Array,
    areas: SharedArrayBuffer,
    readonly slots: LaneSlots,
    private readonly port: MessagePort,
    /** How long wait() spins before it sleeps (0: sleep at once). */
    private readonly spinUs = 0,
  ) {
    this.area = new Uint8Array(areas, slots.area * AREA_BYTES, AREA_BYTES);
  }

  /** True when the sender has published a message not taken yet. */
  pending(): boolean {
    return Atomics.load(this.control, this.slots.count) !== this.taken;
  }

  /** Takes the next message; only after pending() said there is one. */
  take(): unknown {
    const length = Atomics.load(this.control, this.slots.length);
    let bytes: Uint8Array;
    if (length === ON_PORT) {
      // Posted before the counter moved, but a port delivers asynchronously to another thread: wait for it.
      let received = receiveMessageOnPort(this.port);
      while (!received) {
        Atomics.wait(this.control, this.slots.count, this.taken + 1, 1);
        received = receiveMessageOnPort(this.port);
      }
      bytes = received.message as Uint8Array;
    } else {
      bytes = this.area.subarray(0, length);
    }
    this.taken = (this.taken + 1) | 0;
    return this.reader.decode(bytes);
  }

  /** Waits until the sender publishes, at most about `timeoutMs`: spins for spinUs (while SPIN_SLOT allows), then sleeps. */
  wait(timeoutMs: number): void {
    if (this.spinUs > 0 && Atomics.load(this.control, SPIN_SLOT) !== 0) {
      const until = performance.now() + Math.min(this.spinUs / 1000, timeoutMs);
      do {
        if (Atomics.load(this.control, this.slots.count) !== this.taken) return;
      } while (performance.now() < until);
    }
    Atomics.wait(this.control, this.slots.count, this.taken, timeoutMs);
  }
}
