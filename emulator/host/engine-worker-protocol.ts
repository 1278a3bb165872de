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

/**
 * Int32 slots of the control block: per lane, messages sent (wrapping), the last one's length, and how
 * many of its readers sleep in Atomics.wait (a sender calls Atomics.notify, a system call, only then).
 */
export const REQUEST_LANE = { count: 0, length: 1, area: 0, sleeping: 5 } as const;
export const REPLY_LANE = { count: 2, length: 3, area: 1, sleeping: 6 } as const;
/** Int32 slot: 1 while both sides may spin before they sleep, 0 when a paced lab wants the CPU back. */
export const SPIN_SLOT = 4;
export const CONTROL_BYTES = 28;
/**
 * A sleeping thread is woken by the kernel in tens of µs (a bare futex round trip measured 10–60 µs on
 * this class of VM, 40 µs of the waker's own CPU inside a lab), a spinning one in well under one.
 * While every thread has a core of its own (threads + conductor <= cores) both sides spin for up to
 * SPIN_US, long enough to cover a filer's consistency point (a window of several hundred µs): a
 * sender then publishes without any system call (it wakes the receiver only if it sleeps). With more
 * threads than cores a spinning worker holds the core its partner needs, so then only the conductor
 * spins, briefly. Spinning happens only while a lab runs flat out (BarrierSpin): a paced lab sleeps.
 */
export const SPIN_US = 1_000;
export const SHARED_CORES_SPIN_US = 100;
/** The least an adaptive spin shrinks to (LaneReceiver.wait). */
const MIN_SPIN_US = 5;

export function spinBudgets(threads: number, cores: number): { conductorUs: number; workerUs: number } {
  return threads + 1 <= cores ? { conductorUs: SPIN_US, workerUs: SPIN_US } : { conductorUs: SHARED_CORES_SPIN_US, workerUs: 0 };
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
    if (Atomics.load(this.control, this.slots.sleeping) !== 0) Atomics.notify(this.control, this.slots.count);
  }
}

/** The reading end of a lane. */
export class LaneReceiver {
  private readonly reader = new WireReader();
  private readonly area: Uint8Array;
  /** Messages taken so far (wrapping), as the counter counts them. */
  taken = 0;
  /** How long the next wait spins (µs): adapts between MIN_SPIN_US and spinUs. */
  private spinBudgetUs: number;

  constructor(
    private readonly control: Int32Array,
    areas: SharedArrayBuffer,
    readonly slots: LaneSlots,
    private readonly port: MessagePort,
    /** How long wait() spins before it sleeps (0: sleep at once). */
    private readonly spinUs = 0,
  ) {
    this.area = new Uint8Array(areas, slots.area * AREA_BYTES, AREA_BYTES);
    this.spinBudgetUs = spinUs;
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

  /**
   * Waits until the sender publishes, at most about `timeoutMs`: spins (while SPIN_SLOT allows), then
   * sleeps. The spin adapts to how long waits last: a wait that had to sleep but ended within spinUs
   * doubles the next spin (a longer one would have caught it without a system call on either side),
   * one that lasted longer halves it. On a machine busy with other work a spinner mostly waits for a
   * peer the kernel has not scheduled, and holds a core that peer could use: there waits are long and
   * the spin shrinks towards a few µs instead of burning a millisecond a barrier.
   */
  wait(timeoutMs: number): void {
    const spinning = this.spinUs > 0 && Atomics.load(this.control, SPIN_SLOT) !== 0;
    const start = spinning ? performance.now() : 0;
    if (spinning) {
      const until = start + Math.min(this.spinBudgetUs / 1000, timeoutMs);
      do {
        if (Atomics.load(this.control, this.slots.count) !== this.taken) return;
      } while (performance.now() < until);
    }
    Atomics.add(this.control, this.slots.sleeping, 1);
    Atomics.wait(this.control, this.slots.count, this.taken, timeoutMs);
    Atomics.sub(this.control, this.slots.sleeping, 1);
    if (!spinning) return;
    const waitedUs = (performance.now() - start) * 1000;
    this.spinBudgetUs = waitedUs <= this.spinUs ? Math.min(this.spinUs, this.spinBudgetUs * 2) : Math.max(MIN_SPIN_US, this.spinBudgetUs / 2);
  }
}
