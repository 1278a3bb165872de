// A lab in a thread of its own: the conductor and every actor run in one worker thread, in `single`
// placement there (lab-thread-worker.ts), and the host's thread holds this stand-in, which answers as
// the conductor would. This is how `workers` runs where the machine has too few cores for a thread per
// filer beside the conductor (threadsForCores): with one thread for the filers, the conductor's
// partition (switches, shelves, clients) and the filers took turns at 16,250 barriers a lab minute,
// each a round trip between threads, and ran at a quarter of `single`'s speed; here there is no barrier
// at all, and the host's thread (Electron's main process) runs no window either (docs/performance.md).
//
// The host's thread asks for stretches of virtual time, at most STRETCH_US each, so an input given
// meanwhile waits for the end of the current stretch, as it would wait for the next window. It keeps a
// mirror of what a host reads without waiting: the clock, the next event, the input log, the panics,
// the cables' state. A thread that dies (out of memory, hung, exited) is a panic of every actor: the
// lab goes on without them, as the conductor goes on without a dead partition.
import { Worker } from 'node:worker_threads';
import type { ActorId, Micros } from '../engine/actor.ts';
import { CableGraph } from '../engine/cable-graph.ts';
import { assembleSummary, inputProblem } from '../engine/lab.ts';
import type { InputResult, Lab, LabEmission } from '../engine/lab.ts';
import type { LabInput, LabSpec, StampedInput } from '../engine/lab-spec.ts';
import { compareIds } from '../engine/partition.ts';
import { LAB_SNAPSHOT_FORMAT, LAB_SNAPSHOT_VERSION } from '../engine/snapshot.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import type { RunSummary } from '../engine/summary.ts';
import { combineTraces } from '../engine/trace-hash.ts';
import type { ActorPanic } from '../engine/window.ts';
import type { LabThreadAsk, LabThreadBoot, LabThreadReply, LabThreadRequest, LabThreadStatus } from './lab-thread-protocol.ts';
import { keptSnapshot } from './kept-snapshot.ts';
import type { KeptSnapshot } from './kept-snapshot.ts';
import { park, takeParked } from './lab-thread-parking.ts';
import { workerBootstrap } from './worker-bootstrap.ts';

const LAB_WORKER_URL = new URL('./lab-thread-worker.ts', import.meta.url);

/**
 * The most virtual time one request runs. At `single`'s speed a second of ha-pair is about 5 ms of
 * wall time: short enough for an input given meanwhile, long enough that the round trip between the
 * threads (tens of µs) costs under 1 %.
 */
const STRETCH_US: Micros = 1_000_000;
const DEFAULT_HANG_MS = 60_000;

export interface LabThreadOptions {
  readonly spec: LabSpec;
  readonly seed: number;
  /** Module exporting `behaviors`, imported by the thread. */
  readonly registryUrl: string;
  readonly snapshot?: LabSnapshot;
  /** Heap limit of the thread; beyond it the thread dies and every actor panics. */
  readonly maxHeapMb?: number;
  /** A thread that answers nothing for this long is taken as hung. Default 60 s. */
  readonly hangTimeoutMs?: number;
}

/**
 * Starts a lab in a thread, a parked one if there is one (its code already compiled: a new thread
 * runs its first lab minute at about half the speed of a warm one), and waits until the lab stands or
 * says why it cannot.
 */
export async function startLabThread(options: LabThreadOptions): Promise<Lab> {
  const worker = takeParked(options) ?? new Worker(workerBootstrap(LAB_WORKER_URL), {
    eval: true,
    resourceLimits: options.maxHeapMb ? { maxOldGenerationSizeMb: options.maxHeapMb } : undefined,
    stdout: false,
  });
  const lab = new ThreadedLab(worker, options);
  try {
    await lab.open({ spec: options.spec, seed: options.seed, registryUrl: options.registryUrl, snapshot: options.snapshot });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return lab;
}

type Waiter = { resolve: (reply: LabThreadReply | undefined) => void; timer: ReturnType<typeof setTimeout> };

class ThreadedLab implements Lab {
  readonly placement = 'workers';
  /** No window ever waits for another thread: the whole lab is in one. */
  readonly barriers = 0;
  readonly spec: LabSpec;
  readonly seed: number;
  private readonly graph: CableGraph;
  private readonly actors: ReadonlyMap<ActorId, unknown>;
  private readonly hangMs: number;
  private clockUs: Micros;
  private events: number;
  private nextUs: Micros = Infinity;
  private readonly log: StampedInput[];
  private panics = new Map<ActorId, ActorPanic>();
  private unplugged: readonly string[];
  private readonly up = new Map<string, boolean>();
  /** Inputs given since the last request: the next request carries them. */
  private pendingInputs: LabInput[] = [];
  /** Inputs taken, the snapshot's own among them (inputsTaken): counted here, as some are on their way to the thread. */
  private taken: number;
  private readonly listeners = new Set<(emission: LabEmission) => void>();
  private readonly waiters = new Map<number, Waiter>();
  private nextId = 1;
  private running = false;
  private disposed = false;
  /** Why the thread died, once it has. */
  private death: string | undefined;

  constructor(private readonly worker: Worker, private readonly options: LabThreadOptions) {
    this.spec = options.spec;
    this.seed = options.seed;
    this.hangMs = options.hangTimeoutMs ?? DEFAULT_HANG_MS;
    this.graph = new CableGraph(options.spec);
    this.actors = new Map(options.spec.actors.map((actor) => [actor.id, actor]));
    this.clockUs = options.snapshot?.nowUs ?? 0;
    this.events = options.snapshot?.eventsHandled ?? 0;
    this.log = [...(options.snapshot?.inputLog ?? [])];
    this.taken = this.log.length + (options.snapshot?.pendingInputs.length ?? 0);
    this.unplugged = options.snapshot?.unplugged ?? [];
    worker.on('message', this.onMessage).on('error', this.onError).on('exit', this.onExit);
  }

  private readonly onMessage = (reply: LabThreadReply): void => this.answered(reply);
  private readonly onError = (error: Error): void => this.die(describeDeath(error));
  private readonly onExit = (code: number): void => this.die(`the lab's thread exited with code ${code}`);

  /** Opens the lab in the thread; throws why it cannot. */
  async open(boot: LabThreadBoot): Promise<void> {
    await this.ask({ op: 'open', boot });
    if (this.death !== undefined) throw new Error(this.death);
  }

  get nowUs(): Micros {
    return this.clockUs;
  }

  get eventsHandled(): number {
    return this.events;
  }

  get inputLog(): readonly StampedInput[] {
    return this.log;
  }

  get inputsTaken(): number {
    return this.taken;
  }

  get panicked(): readonly ActorPanic[] {
    return [...this.panics.values()];
  }

  linkUp(cableId: string): boolean {
    return this.up.get(cableId) ?? false;
  }

  unpluggedEnds(): string[] {
    return [...this.unplugged];
  }

  nextEventUs(): Micros {
    if (this.pendingInputs.length > 0) return this.clockUs;
    return this.death === undefined ? this.nextUs : Infinity;
  }

  checkInput(input: LabInput): string | undefined {
    return inputProblem(this.spec, this.actors, this.graph, input);
  }

  input(input: LabInput): InputResult {
    const problem = this.checkInput(input);
    if (problem) return { ok: false, error: problem };
    this.pendingInputs.push(input);
    this.taken++;
    return { ok: true };
  }

  async runUntil(targetUs: Micros): Promise<void> {
    this.enter();
    try {
      while (this.death === undefined && (this.pendingInputs.length > 0 || this.clockUs < targetUs)) {
        // A stretch starts where the lab next has something to do, so idle time costs no round trips.
        const stretchEndUs = Math.min(targetUs, Math.max(this.clockUs, this.nextUs) + STRETCH_US);
        await this.ask({ op: 'run', targetUs: stretchEndUs });
      }
      this.afterDeath();
      this.clockUs = Math.max(this.clockUs, targetUs);
    } finally {
      this.running = false;
    }
  }

  runFor(durationUs: Micros): Promise<void> {
    return this.runUntil(this.clockUs + durationUs);
  }

  async step(): Promise<boolean> {
    this.enter();
    try {
      if (this.death !== undefined) {
        this.afterDeath();
        return false;
      }
      const value = await this.ask({ op: 'step' });
      this.afterDeath();
      return value === true;
    } finally {
      this.running = false;
    }
  }

  async snapshot(): Promise<LabSnapshot> {
    this.assertIdle();
    if (this.death === undefined) {
      const value = await this.ask({ op: 'snapshot' });
      if (this.death === undefined) return value as LabSnapshot;
    }
    return this.deadSnapshot();
  }

  /** The snapshot serialized in the lab's thread, its bytes moved here: this thread keeps it without reading it. */
  async keepSnapshot(): Promise<KeptSnapshot> {
    this.assertIdle();
    if (this.death === undefined) {
      const value = await this.ask({ op: 'snapshotBytes' });
      if (this.death === undefined) return value as KeptSnapshot;
    }
    return keptSnapshot(this.deadSnapshot());
  }

  async summary(): Promise<RunSummary> {
    this.assertIdle();
    if (this.death === undefined) {
      const value = await this.ask({ op: 'summary' });
      if (this.death === undefined) return value as RunSummary;
    }
    return assembleSummary(this.spec, [], this.panics);
  }

  async traceHash(): Promise<string> {
    this.assertIdle();
    if (this.death === undefined) {
      const value = await this.ask({ op: 'traceHash' });
      if (this.death === undefined) return value as string;
    }
    // As a dead partition's actors count (placement-workers.ts): nothing.
    return combineTraces(this.spec.actors.map((actor) => actor.id).sort(compareIds).map((id) => [id, [0, 0]] as const));
  }

  onDidEmit(listener: (emission: LabEmission) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.clear();
    // A thread that closed its lab cleanly is kept warm for the next; any other is ended.
    const closed = this.death === undefined && this.waiters.size === 0 && (await this.send({ op: 'close' }))?.ok === true;
    this.death ??= 'disposed';
    this.settleAll();
    this.worker.off('message', this.onMessage).off('error', this.onError).off('exit', this.onExit);
    if (!closed || !park(this.worker, this.options)) await this.worker.terminate();
  }

  private enter(): void {
    if (this.disposed) throw new Error('lab is disposed');
    if (this.running) throw new Error('lab is already running: await the previous run first');
    this.running = true;
  }

  private assertIdle(): void {
    if (this.running) throw new Error('lab is running: await it before reading it');
  }

  /**
   * Sends a request with the inputs given since the last, and waits for its answer: its value, after
   * the mirror took in the lab's state and the listeners saw what its windows showed. Undefined when
   * the thread died meanwhile; an error the lab threw is thrown here, as the conductor would.
   */
  private async ask(ask: LabThreadAsk): Promise<unknown> {
    const inputs = this.pendingInputs;
    this.pendingInputs = [];
    const reply = await this.send(ask, inputs);
    if (!reply) {
      // Given to a thread that died: they enter the log all the same (afterDeath), as inputs to a dead actor do.
      this.pendingInputs = [...inputs, ...this.pendingInputs];
      return undefined;
    }
    if (!reply.ok) throw new Error(reply.error);
    if (reply.status) this.absorb(reply.status);
    return reply.value;
  }

  /**
   * One request and its answer; undefined when the thread died meanwhile. A request that cannot cross
   * (an input that is not plain data) is refused here, and nothing waits for it.
   */
  private send(ask: LabThreadAsk, inputs: readonly LabInput[] = []): Promise<LabThreadReply | undefined> {
    const id = this.nextId++;
    return new Promise<LabThreadReply | undefined>((resolve, reject) => {
      const timer = this.hangTimer(id);
      this.waiters.set(id, { resolve, timer });
      try {
        this.worker.postMessage({ ...ask, id, inputs } satisfies LabThreadRequest);
      } catch (error) {
        this.waiters.delete(id);
        clearTimeout(timer);
        reject(new Error(`a request could not cross to the lab's thread: ${(error as Error).message}`));
      }
    });
  }

  private hangTimer(id: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      if (!this.waiters.has(id) || this.death !== undefined) return;
      this.die(`the lab's thread did not answer for ${this.hangMs / 1000} s (hung)`);
      void this.worker.terminate();
    }, this.hangMs);
    timer.unref();
    return timer;
  }

  private answered(reply: LabThreadReply): void {
    const waiter = this.waiters.get(reply.id);
    if (!waiter) return;
    this.waiters.delete(reply.id);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }

  /** The lab's state after a request; the listeners see each window's emission at its own time. */
  private absorb(status: LabThreadStatus): void {
    this.events = status.eventsHandled;
    this.nextUs = status.nextEventUs;
    for (const stamped of status.logged) this.log.push(stamped);
    this.unplugged = status.unplugged;
    this.panics = new Map(status.panicked.map((panic) => [panic.actor, panic]));
    for (const emission of status.emissions) {
      for (const link of emission.links) this.up.set(link.cable, link.up);
      this.clockUs = emission.atUs;
      for (const listener of this.listeners) listener(emission);
    }
    this.clockUs = status.nowUs;
    status.linksUp.forEach((up, index) => this.up.set(this.spec.cables[index].id, up));
  }

  private die(reason: string): void {
    this.settleAll();
    if (this.death !== undefined) return;
    this.death = reason;
    // Every actor still standing panics, once, at the time the lab had reached.
    const panics: ActorPanic[] = [];
    for (const actor of this.spec.actors) {
      if (this.panics.has(actor.id)) continue;
      const panic = { actor: actor.id, atUs: this.clockUs, reason };
      this.panics.set(actor.id, panic);
      panics.push(panic);
    }
    if (panics.length === 0 || this.disposed) return;
    const emission: LabEmission = { atUs: this.clockUs, outputs: [], links: [], panics };
    for (const listener of this.listeners) listener(emission);
  }

  private settleAll(): void {
    for (const waiter of this.waiters.values()) {
      clearTimeout(waiter.timer);
      waiter.resolve(undefined);
    }
    this.waiters.clear();
  }

  /** After the thread died, inputs still enter the log, stamped now; nothing hears them. */
  private afterDeath(): void {
    if (this.death === undefined) return;
    let sequence = this.nextInputSequence();
    for (const input of this.pendingInputs) this.log.push({ atUs: this.clockUs, sequence: sequence++, input });
    this.pendingInputs = [];
  }

  private nextInputSequence(): number {
    return this.log.length === 0 ? 0 : this.log[this.log.length - 1].sequence + 1;
  }

  /** What a dead lab saves: every actor panicked with nothing kept, the log and the cables as they were. */
  private deadSnapshot(): LabSnapshot {
    return {
      format: LAB_SNAPSHOT_FORMAT, version: LAB_SNAPSHOT_VERSION, spec: this.spec, seed: this.seed,
      nowUs: this.clockUs, eventsHandled: this.events, nextInputSequence: this.nextInputSequence(), nextLinkSequence: 0,
      inputLog: [...this.log], pendingInputs: [...this.pendingInputs], pendingDeliveries: [], inFlight: [], pendingPortChanges: [],
      unplugged: [...this.unplugged], disabledPorts: [],
      panics: [...this.panics.values()].sort((left, right) => compareIds(left.actor, right.actor)),
      actors: this.spec.actors.map((actor) => actor.id).sort(compareIds).map((id) => ({
        id, state: null, queue: [], prng: [0, 0, 0, 1], nextSequence: 0, nextTimerId: 1, liveTimers: [],
        trace: [0, 0], disabledPorts: [], carrier: [], eventsHandled: 0, panic: this.panics.get(id)?.reason ?? this.death ?? 'lab thread lost',
      })),
    };
  }
}

function describeDeath(error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return 'out of memory (the lab thread\'s heap limit reached)';
  return `${error.name}: ${error.message}`;
}
