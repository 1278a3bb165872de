// `workers` placement (DESIGN.md §2): placement groups (a filer each) on worker threads, one thread per
// group unless `maxThreads` makes groups share (too few cores: threadsForCores), the other actors in
// the conductor's thread. A worker that throws outside an actor, runs out of memory or exits is a panic
// of its actors: the conductor hears a panic for each and goes on without them.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { ActorId, Micros } from '../engine/actor.ts';
import { compareIds } from '../engine/partition.ts';
import { localPartition } from '../engine/placement.ts';
import type { PartitionHandle, Placement, PlacementRequest } from '../engine/placement.ts';
import type { TraceLanes } from '../engine/trace-hash.ts';
import type { ActorSnapshot, WindowRequest, WindowResult } from '../engine/window.ts';
import { AREA_BYTES, CONTROL_BYTES, LaneReceiver, LaneSender, REPLY_LANE, REQUEST_LANE, SPIN_SLOT, spinBudgets } from './engine-worker-protocol.ts';
import type { WorkerBoot, WorkerReply, WorkerRequest } from './engine-worker-protocol.ts';
import { WireError } from './engine-wire.ts';
import { workerBootstrap } from './worker-bootstrap.ts';

export interface WorkersPlacementOptions {
  /** Module exporting `behaviors`, imported by each worker. */
  readonly registryUrl: string;
  /** Heap limit of each worker; beyond it the worker dies and its filer panics. */
  readonly maxHeapMb?: number;
  /** A worker that answers nothing for this long is taken as hung: its actors panic. Default 60 s. */
  readonly hangTimeoutMs?: number;
  /** Whether the threads spin while they wait for each other (always, without one). */
  readonly spin?: BarrierSpin;
  /**
   * At most this many worker threads; placement groups (filers) share threads beyond it. Without it,
   * one thread per group. See threadsForCores: more busy threads than cores make every barrier a
   * kernel wake-up.
   */
  readonly maxThreads?: number;
}

/**
 * How many worker threads a machine with `cores` cores should run: one per placement group (filer)
 * while the conductor keeps a core of its own, else one fewer than the cores, at least one. With more
 * busy threads than cores a barrier is a futex wake and a reschedule (100–300 µs on a 2-core VM)
 * instead of a few µs of spinning, and a ha-pair minute has 16,250 of them (docs/performance.md).
 */
export function threadsForCores(cores: number): number {
  return Math.max(1, cores - 1);
}

/**
 * Deals placement groups (sorted by name) over `threads` threads in turn, so that neighbours in name
 * order, an HA pair's filerA and filerB or node1 and node2, land in different threads whenever there
 * are two: a thread that dies takes its filers down, and a partner in another thread takes over.
 */
export function dealGroups(names: readonly string[], threads: number): string[][] {
  const count = Math.max(1, Math.min(threads, names.length));
  const dealt: string[][] = Array.from({ length: count }, () => []);
  names.forEach((name, index) => dealt[index % count].push(name));
  return dealt;
}

/**
 * Whether a lab's threads spin before they sleep at a barrier. Spinning makes a barrier tens of µs
 * faster and costs a core while it lasts: worth it running flat out, wasted on a lab paced on the wall
 * clock, which has time to spare and should leave a laptop cool. The host that paces says which;
 * results do not depend on it, only how fast the barriers are.
 */
export class BarrierSpin {
  private readonly controls = new Set<Int32Array>();
  private spinning = true;

  set(spinning: boolean): void {
    if (spinning === this.spinning) return;
    this.spinning = spinning;
    for (const control of this.controls) Atomics.store(control, SPIN_SLOT, spinning ? 1 : 0);
  }

  attach(control: Int32Array): void {
    Atomics.store(control, SPIN_SLOT, this.spinning ? 1 : 0);
    this.controls.add(control);
  }

  detach(control: Int32Array): void {
    this.controls.delete(control);
  }
}

// How long the conductor sleeps in Atomics.wait for a worker's window before it gives the event loop
// a turn (and waits on with Atomics.waitAsync). Windows of a filer take well under this, so a barrier
// costs a futex wake and no event-loop turn; a thread that died is noticed (its 'exit' event needs a
// turn) within this much; and the Electron main thread is never held longer than this per window.
const SYNC_WAIT_MS = 5;
const DEFAULT_HANG_MS = 60_000;
const canBlock = ((): boolean => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false; // a thread that may not block (a browser main thread): always wait asynchronously
  }
})();

const WORKER_URL = new URL('./engine-worker.ts', import.meta.url);

export function workersPlacement(options: WorkersPlacementOptions): Placement {
  return {
    name: 'workers',
    async createPartitions(request) {
      const groups = new Map<string, ActorId[]>();
      const local: ActorId[] = [];
      for (const actor of request.spec.actors) {
        if (actor.placementGroup === undefined) local.push(actor.id);
        else groups.set(actor.placementGroup, [...(groups.get(actor.placementGroup) ?? []), actor.id]);
      }
      const names = [...groups.keys()].sort(compareIds);
      const threads = names.length === 0 ? [] : dealGroups(names, options.maxThreads ?? names.length);
      const spin = spinBudgets(threads.length, availableParallelism());
      const started = await Promise.allSettled(threads.map((dealt) => startWorker(request, dealt.flatMap((name) => groups.get(name)!), options, spin)));
      const failed = started.find((outcome) => outcome.status === 'rejected');
      if (failed) {
        await Promise.all(started.map((outcome) => outcome.status === 'fulfilled' ? outcome.value.dispose() : undefined));
        throw (failed as PromiseRejectedResult).reason;
      }
      const workers = started.map((outcome) => (outcome as PromiseFulfilledResult<PartitionHandle>).value);
      return local.length > 0 ? [localPartition(request, local), ...workers] : workers;
    },
  };
}

async function startWorker(
  request: PlacementRequest, actorIds: ActorId[], options: WorkersPlacementOptions, spin: ReturnType<typeof spinBudgets>,
): Promise<PartitionHandle> {
  const mine = new Set(actorIds);
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const areas = new SharedArrayBuffer(2 * AREA_BYTES);
  const channel = new MessageChannel();
  const boot: WorkerBoot = {
    spec: request.spec, seed: request.seed, actorIds, registryUrl: options.registryUrl,
    snapshot: request.snapshot?.filter((actor) => mine.has(actor.id)), control, areas, port: channel.port2, spinUs: spin.workerUs,
  };
  const worker = new Worker(workerBootstrap(WORKER_URL), {
    eval: true,
    workerData: boot,
    transferList: [channel.port2],
    resourceLimits: options.maxHeapMb ? { maxOldGenerationSizeMb: options.maxHeapMb } : undefined,
    stdout: false,
  });
  const controlSlots = new Int32Array(control);
  if (options.spin) options.spin.attach(controlSlots);
  else Atomics.store(controlSlots, SPIN_SLOT, 1);
  const handle = new WorkerPartition(worker, [...actorIds].sort(compareIds), controlSlots, areas, channel.port1, options.hangTimeoutMs ?? DEFAULT_HANG_MS, spin.conductorUs, options.spin);
  await handle.ready;
  return handle;
}

type Waiter = { resolve: (value: unknown) => void; reject: (error: Error) => void };

class WorkerPartition implements PartitionHandle {
  readonly ready: Promise<void>;
  readonly threaded = true;
  initialNextUs: Micros = Infinity;
  private nextId = 1;
  private bootWaiter: Waiter | undefined;
  private readonly requests: LaneSender;
  private readonly replyLane: LaneReceiver;
  /** Requests waiting for the one outstanding to be answered (an area holds one message at a time). */
  private readonly queued: WorkerRequest[] = [];
  private outstanding = false;
  private readonly replies = new Map<number, WorkerReply>();
  private readonly waiters = new Map<number, Waiter>();
  private watching = false;
  /** Why the thread died, once it has. */
  private death: string | undefined;
  private deathReported = false;
  private lastNextUs: Micros = Infinity;

  constructor(
    private readonly worker: Worker,
    readonly actorIds: readonly ActorId[],
    private readonly control: Int32Array,
    areas: SharedArrayBuffer,
    private readonly port: MessagePort,
    private readonly hangMs: number,
    spinUs: number,
    private readonly spin: BarrierSpin | undefined,
  ) {
    this.requests = new LaneSender(control, areas, REQUEST_LANE, port);
    this.replyLane = new LaneReceiver(control, areas, REPLY_LANE, port, spinUs);
    this.ready = new Promise((resolve, reject) => {
      this.bootWaiter = {
        resolve: (value) => { this.initialNextUs = value as Micros; this.lastNextUs = this.initialNextUs; resolve(); },
        reject,
      };
    });
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.bootWaiter;
      if (!waiter || reply.id !== 0) return;
      this.bootWaiter = undefined;
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.error));
    });
    worker.on('error', (error) => this.die(describeDeath(error)));
    worker.on('exit', (code) => this.die(`worker thread exited with code ${code}`));
  }

  runWindow(request: WindowRequest): WindowResult | Promise<WindowResult> {
    return this.startWindow(request)();
  }

  startWindow(request: WindowRequest): () => WindowResult | Promise<WindowResult> {
    if (this.death !== undefined) return () => this.deadResult(request.endUs);
    let id: number;
    try {
      id = this.post({ id: 0, op: 'window', request });
    } catch (error) {
      // A message for this thread that is not plain data (a behaviour's bug): its actors cannot go on
      // without it, so they panic, saying what it was; the rest of the lab goes on.
      if (!(error instanceof WireError)) throw error;
      this.die(`a message for this thread could not cross: ${error.message}`);
      void this.worker.terminate();
      return () => this.deadResult(request.endUs);
    }
    return () => {
      const reply = this.takeSoon(id);
      if (reply) return this.windowResult(reply, request.endUs);
      return this.awaitReply(id).then(
        (value) => this.windowResult({ id, ok: true, value }, request.endUs),
        (error: Error) => this.windowResult({ id, ok: false, error: error.message }, request.endUs),
      );
    };
  }

  async snapshot(): Promise<ActorSnapshot[]> {
    if (this.death === undefined) {
      try { return await this.call('snapshot') as ActorSnapshot[]; } catch { /* died meanwhile: below */ }
    }
    return this.actorIds.map((id) => ({
      id, state: null, queue: [], prng: [0, 0, 0, 1], nextSequence: 0, nextTimerId: 1, liveTimers: [],
      trace: [0, 0], disabledPorts: [], carrier: [], eventsHandled: 0, panic: this.death ?? 'worker thread lost',
    }));
  }

  async summarize(): Promise<[ActorId, Record<string, unknown>][]> {
    if (this.death !== undefined) return [];
    try { return await this.call('summarize') as [ActorId, Record<string, unknown>][]; } catch { return []; }
  }

  async traces(): Promise<[ActorId, TraceLanes][]> {
    if (this.death === undefined) {
      try { return await this.call('traces') as [ActorId, TraceLanes][]; } catch { /* died meanwhile: below */ }
    }
    return this.actorIds.map((id) => [id, [0, 0]]);
  }

  async dispose(): Promise<void> {
    this.spin?.detach(this.control);
    this.death ??= 'disposed';
    this.deathReported = true;
    this.die('disposed');
    await this.worker.terminate();
    this.port.close();
  }

  private windowResult(reply: WorkerReply, endUs: Micros): WindowResult {
    if (reply.ok) {
      const result = reply.value as WindowResult;
      this.lastNextUs = result.nextUs;
      return result;
    }
    if (this.death === undefined) this.die(`worker thread failed: ${reply.error}`);
    return this.deadResult(endUs);
  }

  private call(op: 'snapshot' | 'summarize' | 'traces'): Promise<unknown> {
    return this.awaitReply(this.post({ id: 0, op }));
  }

  /** Sends the request now if none is outstanding, else queues it behind the one that is. */
  private post(message: WorkerRequest): number {
    const id = this.nextId++;
    const request = { ...message, id };
    if (this.outstanding) this.queued.push(request);
    else this.send(request);
    return id;
  }

  private send(request: WorkerRequest): void {
    this.outstanding = true;
    this.requests.send(request);
  }

  /** Takes the worker's reply if it has published one, then sends the next queued request. */
  private drain(): void {
    while (this.replyLane.pending()) {
      const reply = this.replyLane.take() as WorkerReply;
      this.outstanding = false;
      const next = this.queued.shift();
      if (next) this.send(next);
      const waiter = this.waiters.get(reply.id);
      if (!waiter) { this.replies.set(reply.id, reply); continue; }
      this.waiters.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.error));
    }
  }

  /** The reply to `id` if it comes within SYNC_WAIT_MS (sleeping in Atomics.wait), else undefined. */
  private takeSoon(id: number): WorkerReply | undefined {
    if (!canBlock || this.death !== undefined) return undefined;
    const deadline = performance.now() + SYNC_WAIT_MS;
    for (;;) {
      this.drain();
      const reply = this.replies.get(id);
      if (reply) {
        this.replies.delete(id);
        return reply;
      }
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      this.replyLane.wait(left);
    }
  }

  /** The reply to `id` without blocking: Atomics.waitAsync on the reply counter, or the thread's death. */
  private awaitReply(id: number): Promise<unknown> {
    if (this.death !== undefined) return Promise.reject(new Error(this.death));
    const early = this.replies.get(id);
    if (early) {
      this.replies.delete(id);
      return early.ok ? Promise.resolve(early.value) : Promise.reject(new Error(early.error));
    }
    const answer = new Promise((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    void this.watch();
    return answer;
  }

  /** One watcher per worker while anyone waits asynchronously; a silence of hangMs is a hang. */
  private async watch(): Promise<void> {
    if (this.watching) return;
    this.watching = true;
    try {
      while (this.waiters.size > 0 && this.death === undefined) {
        this.drain();
        if (this.waiters.size === 0) break;
        const before = this.replyLane.taken;
        Atomics.add(this.control, REPLY_LANE.sleeping, 1);
        let outcome: WaitOutcome;
        try {
          outcome = await waitAsync(this.control, REPLY_LANE.count, before, this.hangMs);
        } finally {
          Atomics.sub(this.control, REPLY_LANE.sleeping, 1);
        }
        if (outcome === 'timed-out' && !this.replyLane.pending() && this.death === undefined) {
          this.die(`worker thread did not answer for ${this.hangMs / 1000} s (hung)`);
          void this.worker.terminate();
        }
      }
    } finally {
      this.watching = false;
    }
  }

  private die(reason: string): void {
    if (this.death === undefined) this.death = reason;
    for (const waiter of this.waiters.values()) waiter.reject(new Error(this.death));
    this.waiters.clear();
    this.bootWaiter?.reject(new Error(this.death));
    this.bootWaiter = undefined;
    // Wakes a watcher sleeping in Atomics.waitAsync so that it sees the death and stops.
    Atomics.notify(this.control, REPLY_LANE.count);
  }

  /** After death: one panic per actor, once, at the window the conductor was running; then silence. */
  private deadResult(endUs: Micros): WindowResult {
    const panics = this.deathReported ? [] : this.actorIds.map((actor) => ({ actor, atUs: Math.min(this.lastNextUs, endUs), reason: this.death! }));
    this.deathReported = true;
    return { outbound: [], portChanges: [], outputs: [], panics, nextUs: Infinity, eventsHandled: 0 };
  }
}

type WaitOutcome = 'ok' | 'not-equal' | 'timed-out';
type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs: number) => { async: boolean; value: WaitOutcome | Promise<WaitOutcome> };
const nativeWaitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/** Atomics.waitAsync (Node 16+, not yet in TypeScript's lib), or a 1 ms poll where it is missing. */
async function waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): Promise<WaitOutcome> {
  if (nativeWaitAsync) {
    const wait = nativeWaitAsync(array, index, value, timeoutMs);
    return wait.async ? await wait.value : wait.value;
  }
  const deadline = performance.now() + timeoutMs;
  while (Atomics.load(array, index) === value) {
    if (performance.now() >= deadline) return 'timed-out';
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return 'ok';
}

function describeDeath(error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return 'out of memory (worker heap limit reached)';
  return `${error.name}: ${error.message}`;
}
