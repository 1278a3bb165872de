// The conductor (DESIGN.md §2): advances virtual time in windows [T, T+L), hands each partition the
// deliveries due in the window, collects what actors sent, routes it over the cable graph at the
// barrier (in `single`, its one partition's sends as they are made: runLocalWindow), and skips idle
// time. Inputs from outside enter at the next window, stamped with its time, and go into the input log.
// Nothing here depends on where the window boundaries fall, so a lab run in one go, in steps, paused
// and resumed, or replayed from its log gives the same trace.
import { LOOKAHEAD_US } from './actor.ts';
import type { ActorId, BehaviorRegistry, Micros, Payload, PortRef } from './actor.ts';
import { CableGraph, endKey } from './cable-graph.ts';
import type { LinkFlip } from './cable-graph.ts';
import type { LabInput, LabSpec, StampedInput } from './lab-spec.ts';
import { MinHeap } from './min-heap.ts';
import { compareIds } from './partition.ts';
import type { Partition } from './partition.ts';
import { singlePlacement } from './placement.ts';
import type { PartitionHandle, Placement } from './placement.ts';
import { checkSnapshot, LAB_SNAPSHOT_FORMAT, LAB_SNAPSHOT_VERSION } from './snapshot.ts';
import type { InFlight, LabSnapshot } from './snapshot.ts';
import { deepMerge, summarySkeleton } from './summary.ts';
import type { RunSummary } from './summary.ts';
import { SafeTimes } from './safe-times.ts';
import { combineTraces } from './trace-hash.ts';
import type { ActorOutput, ActorPanic, Delivery, PortChange, WindowRequest, WindowResult } from './window.ts';

export interface LinkChange {
  readonly atUs: Micros;
  readonly cable: string;
  readonly a: PortRef;
  readonly b: PortRef;
  readonly up: boolean;
}

/** What one window showed the outside world: for the host's view, never fed back into the lab. */
export interface LabEmission {
  readonly atUs: Micros;
  readonly outputs: readonly ActorOutput[];
  readonly links: readonly LinkChange[];
  readonly panics: readonly ActorPanic[];
}

export interface LabOptions {
  readonly spec: LabSpec;
  readonly seed: number;
  /** Behaviours for actors in the conductor's thread (all of them in `single`). */
  readonly registry: BehaviorRegistry;
  readonly placement?: Placement;
  /** Continue a saved lab instead of starting fresh (spec and seed must match it). */
  readonly snapshot?: LabSnapshot;
}

export type InputResult = { ok: true } | { ok: false; error: string };

/** How far past the earliest event a partition may run at one barrier, whatever its safe time. */
const MAX_AHEAD_US: Micros = 100 * LOOKAHEAD_US;

const compareInFlight = (left: InFlight, right: InFlight): number =>
  left.delivery.atUs - right.delivery.atUs || compareIds(left.delivery.actor, right.delivery.actor)
  || compareIds(left.delivery.source, right.delivery.source) || left.delivery.sequence - right.delivery.sequence;
const comparePortChange = (left: PortChange, right: PortChange): number =>
  left.atUs - right.atUs || compareIds(left.actor, right.actor) || compareIds(left.port, right.port);
const compareOutputs = (left: ActorOutput, right: ActorOutput): number => left.atUs - right.atUs || compareIds(left.actor, right.actor);

/**
 * A running lab as its host sees it: the conductor below in the host's own thread, or the same
 * conductor in a thread of its own (emulator/host/lab-thread.ts). Both answer alike, window for window.
 */
export interface Lab {
  readonly spec: LabSpec;
  readonly seed: number;
  readonly placement: string;
  /** Virtual time up to which every event has been handled. */
  readonly nowUs: Micros;
  readonly eventsHandled: number;
  /** Windows that waited for another thread (`workers`): what the lab pays for its threads. */
  readonly barriers: number;
  readonly inputLog: readonly StampedInput[];
  /** Inputs taken so far, stamped or still queued: the place in inputLog the next input will have. */
  readonly inputsTaken: number;
  readonly panicked: readonly ActorPanic[];
  linkUp(cableId: string): boolean;
  unpluggedEnds(): string[];
  /** The time of the earliest pending event, or Infinity when the lab is idle for good. */
  nextEventUs(): Micros;
  /** Queues an input for the next window; refuses what names no actor or cable. */
  input(input: LabInput): InputResult;
  /** Why `input` would be refused, or undefined: a host may check an input before it enters (an input Undo may take back can enter later, once Undo has a state to start from). */
  checkInput(input: LabInput): string | undefined;
  runUntil(targetUs: Micros): Promise<void>;
  runFor(durationUs: Micros): Promise<void>;
  /** Handles every event at the earliest pending time, then stops. False when nothing is pending. */
  step(): Promise<boolean>;
  snapshot(): Promise<LabSnapshot>;
  /** The run summary at the current virtual time: the skeleton plus every actor's fragment. */
  summary(): Promise<RunSummary>;
  traceHash(): Promise<string>;
  onDidEmit(listener: (emission: LabEmission) => void): { dispose(): void };
  dispose(): Promise<void>;
}

export async function createLab(options: LabOptions): Promise<Lab> {
  const snapshot = options.snapshot;
  if (snapshot) {
    const problem = checkSnapshot(snapshot);
    if (problem) throw new Error(problem);
    if (snapshot.seed !== options.seed) throw new Error(`snapshot was taken with seed ${snapshot.seed}, not ${options.seed}`);
  }
  const placement = options.placement ?? singlePlacement;
  const partitions = await placement.createPartitions({ spec: options.spec, seed: options.seed, registry: options.registry, snapshot: snapshot?.actors });
  return new Conductor(options.spec, options.seed, placement.name, partitions, snapshot);
}

/** The conductor of DESIGN.md §2, in the calling thread; its partitions are wherever the placement put them. */
class Conductor implements Lab {
  private clockUs: Micros;
  private events: number;
  private barrierCount = 0;
  private readonly graph: CableGraph;
  private readonly partitionOf = new Map<ActorId, number>();
  private readonly partitionNextUs: Micros[];
  /** Where each partition may run to before it could hear from anything new (several partitions only). */
  private readonly safeTimes: SafeTimes | undefined;
  /** `single`: the one partition, in this thread, called directly (runLocalWindow). */
  private readonly local: Partition | undefined;
  /** Each actor's earliest pending event as its partition last said (indexed as safeTimes.indexOf). */
  private readonly actorNextUs: Float64Array;
  /** Per partition, its actors' indexes in its own order (the order of WindowResult.actorNextUs). */
  private readonly partitionActors: number[][];
  /** Scratch, per window: each actor's earliest event, queued or on its way; each partition's end. */
  private readonly earliest: Float64Array;
  private readonly windowEnds: Float64Array;
  /**
   * Per partition, reused every window (tens of thousands a lab minute): its deliveries (kept while
   * empty; a threaded partition, whose request leaves the thread, gets a fresh array each window), its
   * request and its result.
   */
  private readonly windowDeliveries: Delivery[][];
  private readonly windowRequests: (WindowRequest | undefined)[];
  private readonly windowResults: (WindowResult | Promise<WindowResult> | undefined)[];
  private readonly pendingLinks: [ActorId, string, boolean][][];
  private readonly inFlight: MinHeap<InFlight>;
  private readonly portChanges: MinHeap<PortChange>;
  private pendingDeliveries: Delivery[];
  private pendingInputs: LabInput[];
  private readonly log: StampedInput[];
  private nextInputSequence: number;
  private nextLinkSequence: number;
  private readonly panics = new Map<ActorId, ActorPanic>();
  private readonly listeners = new Set<(emission: LabEmission) => void>();
  private emittedLinks: LinkChange[] = [];
  private running = false;
  private disposed = false;

  constructor(
    readonly spec: LabSpec,
    readonly seed: number,
    readonly placement: string,
    private readonly partitions: PartitionHandle[],
    snapshot?: LabSnapshot,
  ) {
    this.graph = new CableGraph(spec, snapshot?.unplugged, snapshot?.disabledPorts);
    partitions.forEach((partition, index) => partition.actorIds.forEach((actor) => this.partitionOf.set(actor, index)));
    for (const actor of spec.actors) if (!this.partitionOf.has(actor.id)) throw new Error(`placement left actor ${actor.id} out`);
    this.partitionNextUs = partitions.map((partition) => partition.initialNextUs);
    this.local = partitions.length === 1 ? partitions[0].local : undefined;
    // One partition in this thread: a send is routed as it is made. The links that routing reads change
    // only between windows, and a panic of the window drops what is in flight to it when it is taken.
    this.local?.routeSendsTo({ route: (from, arrivalUs, sequence, payload) => this.route(from, arrivalUs, sequence, payload) });
    this.safeTimes = partitions.length > 1 ? new SafeTimes(spec, partitions.map((partition) => partition.actorIds)) : undefined;
    const indexOf = new Map(spec.actors.map((actor, index) => [actor.id, index]));
    this.partitionActors = partitions.map((partition) => partition.actorIds.map((actor) => indexOf.get(actor)!));
    this.actorNextUs = new Float64Array(spec.actors.length);
    // Until a partition's first window, each of its actors may act as early as the partition's first event.
    partitions.forEach((partition, index) => { for (const actor of this.partitionActors[index]) this.actorNextUs[actor] = partition.initialNextUs; });
    this.earliest = new Float64Array(spec.actors.length);
    this.windowEnds = new Float64Array(partitions.length);
    this.windowDeliveries = partitions.map(() => []);
    this.windowRequests = partitions.map(() => undefined);
    this.windowResults = partitions.map(() => undefined);
    this.pendingLinks = partitions.map(() => []);
    this.clockUs = snapshot?.nowUs ?? 0;
    this.events = snapshot?.eventsHandled ?? 0;
    this.inFlight = new MinHeap(compareInFlight, snapshot?.inFlight ?? []);
    this.portChanges = new MinHeap(comparePortChange, snapshot?.pendingPortChanges ?? []);
    this.pendingDeliveries = [...(snapshot?.pendingDeliveries ?? [])];
    this.pendingInputs = [...(snapshot?.pendingInputs ?? [])];
    this.log = [...(snapshot?.inputLog ?? [])];
    this.nextInputSequence = snapshot?.nextInputSequence ?? 0;
    this.nextLinkSequence = snapshot?.nextLinkSequence ?? 0;
    for (const panic of snapshot?.panics ?? []) this.panics.set(panic.actor, panic);
  }

  /** Virtual time up to which every event has been handled. */
  get nowUs(): Micros {
    return this.clockUs;
  }

  get eventsHandled(): number {
    return this.events;
  }

  /** Windows that waited for another thread (`workers`): what the lab pays for its threads. */
  get barriers(): number {
    return this.barrierCount;
  }

  get inputLog(): readonly StampedInput[] {
    return this.log;
  }

  get inputsTaken(): number {
    return this.log.length + this.pendingInputs.length;
  }

  get panicked(): readonly ActorPanic[] {
    return [...this.panics.values()];
  }

  linkUp(cableId: string): boolean {
    return this.graph.linkUp(cableId);
  }

  unpluggedEnds(): string[] {
    return this.graph.unpluggedEnds();
  }

  /** The time of the earliest pending event, or Infinity when the lab is idle for good. */
  nextEventUs(): Micros {
    if (this.pendingInputs.length > 0) return this.clockUs;
    return this.earliestPendingUs();
  }

  private earliestPendingUs(): Micros {
    let earliest = Math.min(this.inFlight.peek()?.delivery.atUs ?? Infinity, this.portChanges.peek()?.atUs ?? Infinity);
    for (const nextUs of this.partitionNextUs) if (nextUs < earliest) earliest = nextUs;
    for (const delivery of this.pendingDeliveries) if (delivery.atUs < earliest) earliest = delivery.atUs;
    return earliest;
  }

  /** Queues an input for the next window; refuses what names no actor or cable. */
  input(input: LabInput): InputResult {
    const problem = this.checkInput(input);
    if (problem) return { ok: false, error: problem };
    this.pendingInputs.push(input);
    return { ok: true };
  }

  async runUntil(targetUs: Micros): Promise<void> {
    this.enter();
    try {
      for (;;) {
        let startUs = this.earliestPendingUs();
        // Inputs enter where every partition has reached the clock: with several partitions, a window
        // may leave them at different times (a run that awaits a worker can take inputs between windows).
        if (this.pendingInputs.length > 0 && startUs >= this.clockUs) {
          this.applyInputs();
          startUs = this.earliestPendingUs();
        }
        if (startUs >= targetUs) break;
        const pending = this.runWindow(startUs, this.pendingInputs.length > 0 ? Math.min(this.clockUs, targetUs) : targetUs);
        if (pending) await pending;
      }
      this.clockUs = Math.max(this.clockUs, targetUs);
    } finally {
      this.running = false;
    }
  }

  runFor(durationUs: Micros): Promise<void> {
    return this.runUntil(this.clockUs + durationUs);
  }

  /** Handles every event at the earliest pending time, then stops. False when nothing is pending. */
  async step(): Promise<boolean> {
    this.enter();
    try {
      this.applyInputs();
      const startUs = this.earliestPendingUs();
      if (startUs === Infinity) return false;
      await this.runWindow(startUs, startUs + 1);
      return true;
    } finally {
      this.running = false;
    }
  }

  async snapshot(): Promise<LabSnapshot> {
    this.assertIdle();
    const actors = (await Promise.all(this.partitions.map((partition) => partition.snapshot()))).flat();
    // A partition flushes carrier changes lazily: fold the ones still pending into its actors' copy.
    const pending = new Map(this.pendingLinks.flat().map(([actor, port, up]) => [`${actor}:${port}`, up]));
    const fixed = actors.map((actor) => {
      const ports = new Set(actor.carrier);
      for (const [key, up] of pending) {
        if (!key.startsWith(`${actor.id}:`)) continue;
        const port = key.slice(actor.id.length + 1);
        if (up) ports.add(port);
        else ports.delete(port);
      }
      return { ...actor, carrier: [...ports].sort(compareIds) };
    }).sort((left, right) => compareIds(left.id, right.id));
    return structuredCopy({
      format: LAB_SNAPSHOT_FORMAT, version: LAB_SNAPSHOT_VERSION, spec: this.spec, seed: this.seed,
      nowUs: this.clockUs, eventsHandled: this.events,
      nextInputSequence: this.nextInputSequence, nextLinkSequence: this.nextLinkSequence,
      inputLog: this.log, pendingInputs: this.pendingInputs, pendingDeliveries: this.pendingDeliveries,
      inFlight: this.inFlight.toSortedArray(), pendingPortChanges: this.portChanges.toSortedArray(),
      unplugged: this.graph.unpluggedEnds(), disabledPorts: this.graph.disabledPorts(),
      panics: [...this.panics.values()].sort((left, right) => compareIds(left.actor, right.actor)),
      actors: fixed,
    });
  }

  /** The run summary at the current virtual time: the skeleton plus every actor's fragment. */
  async summary(): Promise<RunSummary> {
    this.assertIdle();
    const fragments = (await Promise.all(this.partitions.map((partition) => partition.summarize()))).flat();
    return assembleSummary(this.spec, fragments, this.panics);
  }

  async traceHash(): Promise<string> {
    this.assertIdle();
    const traces = (await Promise.all(this.partitions.map((partition) => partition.traces()))).flat();
    traces.sort((left, right) => compareIds(left[0], right[0]));
    return combineTraces(traces);
  }

  onDidEmit(listener: (emission: LabEmission) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.clear();
    await Promise.all(this.partitions.map((partition) => partition.dispose()));
  }

  private enter(): void {
    if (this.disposed) throw new Error('lab is disposed');
    if (this.running) throw new Error('lab is already running: await the previous run first');
    this.running = true;
  }

  private assertIdle(): void {
    if (this.running) throw new Error('lab is running: await it before reading it');
  }

  checkInput(input: LabInput): string | undefined {
    return inputProblem(this.spec, this.partitionOf, this.graph, input);
  }

  /** Stamps queued inputs with the current time, logs them and turns them into deliveries. */
  private applyInputs(): void {
    const inputs = this.pendingInputs;
    if (inputs.length === 0) return;
    this.pendingInputs = [];
    for (const input of inputs) {
      const stamped: StampedInput = { atUs: this.clockUs, sequence: this.nextInputSequence++, input };
      this.log.push(stamped);
      if (input.kind === 'actor') {
        this.deliverFromOutside({ actor: input.actor, atUs: stamped.atUs, source: '~input', sequence: stamped.sequence, event: { type: 'input', input: input.input } });
      } else if (input.kind === 'cable') {
        this.applyFlip(this.graph.setPlugged(input.end, input.plugged), stamped.atUs);
      }
    }
  }

  private deliverFromOutside(delivery: Delivery): void {
    if (this.panics.has(delivery.actor)) return;
    this.pendingDeliveries.push(delivery);
  }

  /** A link came up or went down at `atUs`: drop what is in flight on it and tell both ends. */
  private applyFlip(flip: LinkFlip | undefined, atUs: Micros): void {
    if (!flip) return;
    const { cable, up } = flip;
    if (!up) this.inFlight.retain((item) => item.cable !== cable.id || item.delivery.atUs <= atUs);
    for (const end of [cable.a, cable.b]) {
      this.pendingLinks[this.partitionOf.get(end.actor)!].push([end.actor, end.port, up]);
      this.deliverFromOutside({ actor: end.actor, atUs, source: '~link', sequence: this.nextLinkSequence++, event: { type: 'link', port: end.port, up } });
    }
    this.emittedLinks.push({ atUs, cable: cable.id, a: cable.a, b: cable.b, up });
  }

  /**
   * Runs one window from startUs, the earliest pending event, to at most capUs; returns a promise only
   * when a partition answers asynchronously (a worker).
   */
  private runWindow(startUs: Micros, capUs: Micros): Promise<void> | undefined {
    // Port changes take effect at their own time; a window never straddles one.
    while (this.portChanges.size > 0 && this.portChanges.peek()!.atUs <= startUs) {
      const change = this.portChanges.pop()!;
      this.applyFlip(this.graph.setEnabled({ actor: change.actor, port: change.port }, change.enabled), change.atUs);
    }
    const limitUs = Math.min(capUs, this.portChanges.peek()?.atUs ?? Infinity);
    if (this.local) {
      this.runLocalWindow(this.local, Math.min(startUs + LOOKAHEAD_US, limitUs));
      return undefined;
    }
    this.planWindow(startUs, limitUs);
    const requests = this.buildRequests();
    const results = this.dispatch(requests);
    // No named closure per window: under tsx each one costs a defineProperty (keepNames).
    if (results instanceof Promise) return results.then((settled) => this.finishWindow(settled));
    this.finishWindow(results);
    return undefined;
  }

  /**
   * One window of `single`: the one partition, in this thread, called directly. The same window as
   * planWindow's, the same deliveries in the same order and the same routing as buildRequests' and
   * collect's, so the same trace; but no request, result or arrays per window (1.5 events a window in
   * ha-pair: what surrounded them cost about as much as the events' own engine work).
   */
  private runLocalWindow(partition: Partition, endUs: Micros): void {
    const links = this.pendingLinks[0];
    if (links.length > 0) {
      this.pendingLinks[0] = [];
      for (const [actor, port, up] of links) partition.setCarrier(actor, port, up);
    }
    const pending = this.pendingDeliveries;
    if (pending.length > 0) {
      this.pendingDeliveries = [];
      for (const delivery of pending) partition.deliver(delivery);
    }
    const inFlight = this.inFlight;
    while (inFlight.size > 0 && inFlight.peek()!.delivery.atUs < endUs) {
      const delivery = inFlight.pop()!.delivery;
      if (!this.panics.has(delivery.actor)) partition.deliver(delivery);
    }
    this.events += partition.runTo(endUs);
    this.clockUs = Math.max(this.clockUs, endUs);
    this.partitionNextUs[0] = partition.earliestUs;
    // The partition's output is handed over in place: taken here and emptied for the next window.
    const output = partition.output;
    let panics: ActorPanic[] | undefined;
    if (output.panics.length > 0) {
      panics = this.takePanics(output.panics, undefined);
      output.panics.length = 0;
    }
    const portChanges = output.portChanges;
    if (portChanges.length > 0) {
      for (const change of portChanges) this.portChanges.push(change);
      portChanges.length = 0;
    }
    // The outputs leave in the emission, so the partition gets a new array.
    const outputs = output.outputs.length > 0 ? output.outputs : undefined;
    if (outputs) output.outputs = [];
    this.emit(endUs, outputs, panics);
  }

  /**
   * Each partition's end of this window, into windowEnds. One partition: L after the earliest event,
   * as nothing can arrive sooner. Several: each runs to its own safe time (safe-times.ts), so a worker
   * whose inputs are still far off handles several L's worth of its events at one barrier.
   */
  private planWindow(startUs: Micros, limitUs: Micros): void {
    const ends = this.windowEnds;
    const safeTimes = this.safeTimes;
    if (!safeTimes) {
      ends[0] = Math.min(startUs + LOOKAHEAD_US, limitUs);
      return;
    }
    const earliest = this.earliest;
    earliest.set(this.actorNextUs);
    const indexOf = safeTimes.indexOf;
    for (const delivery of this.pendingDeliveries) {
      const actor = indexOf.get(delivery.actor)!;
      if (delivery.atUs < earliest[actor]) earliest[actor] = delivery.atUs;
    }
    const inFlight = this.inFlight.unordered;
    for (let index = 0; index < inFlight.length; index++) {
      const delivery = inFlight[index].delivery;
      const actor = indexOf.get(delivery.actor)!;
      if (delivery.atUs < earliest[actor]) earliest[actor] = delivery.atUs;
    }
    // A bound on running ahead: a partition with no cables at all would otherwise never stop.
    const furthest = Math.min(limitUs, startUs + MAX_AHEAD_US);
    for (let index = 0; index < ends.length; index++) ends[index] = Math.min(furthest, safeTimes.horizon(index, earliest));
  }

  private finishWindow(settled: (WindowResult | undefined)[]): void {
    // The clock is where every partition has got to, or further where one ran ahead (inputs wait for
    // the others to get there: runUntil).
    const ends = this.windowEnds;
    let clockUs = Infinity;
    for (let index = 0; index < ends.length; index++) if (ends[index] < clockUs) clockUs = ends[index];
    for (let index = 0; index < ends.length; index++) if (settled[index] && ends[index] > clockUs) clockUs = ends[index];
    this.clockUs = Math.max(this.clockUs, clockUs);
    this.collect(settled, this.clockUs);
  }

  private buildRequests(): (WindowRequest | undefined)[] {
    // Plain loops, no callbacks: this runs once per window, tens of thousands of times a lab minute.
    const ends = this.windowEnds;
    const count = this.partitions.length;
    const deliveries = this.windowDeliveries;
    for (let index = 0; index < count; index++) {
      if (this.partitions[index].threaded || deliveries[index].length > 0) deliveries[index] = [];
    }
    // One partition (`single`): every delivery is its, without a lookup per message.
    const onePartition = count === 1;
    for (const delivery of this.pendingDeliveries) deliveries[onePartition ? 0 : this.partitionOf.get(delivery.actor)!].push(delivery);
    if (this.pendingDeliveries.length > 0) this.pendingDeliveries = [];
    let latest = ends[0];
    for (let index = 1; index < count; index++) if (ends[index] > latest) latest = ends[index];
    // Messages due in their partition's window go; the rest (due later there) stay in flight.
    let notYet: InFlight[] | undefined;
    while (this.inFlight.size > 0 && this.inFlight.peek()!.delivery.atUs < latest) {
      const item = this.inFlight.pop()!;
      const delivery = item.delivery;
      if (this.panics.has(delivery.actor)) continue;
      const partition = onePartition ? 0 : this.partitionOf.get(delivery.actor)!;
      if (delivery.atUs < ends[partition]) deliveries[partition].push(delivery);
      else (notYet ??= []).push(item);
    }
    if (notYet) for (const item of notYet) this.inFlight.push(item);
    const requests = this.windowRequests;
    for (let index = 0; index < count; index++) {
      const links = this.pendingLinks[index];
      const endUs = ends[index];
      if (deliveries[index].length === 0 && links.length === 0 && this.partitionNextUs[index] >= endUs) {
        requests[index] = undefined;
        continue;
      }
      if (links.length > 0) this.pendingLinks[index] = [];
      requests[index] = { endUs, deliveries: deliveries[index], links };
    }
    return requests;
  }

  private dispatch(requests: (WindowRequest | undefined)[]): (WindowResult | undefined)[] | Promise<(WindowResult | undefined)[]> {
    // Threaded partitions first, so that they work while the conductor's own partition runs; their
    // answers are collected after it.
    const results = this.windowResults;
    for (let index = 0; index < results.length; index++) results[index] = undefined;
    let finishers: (() => WindowResult | Promise<WindowResult>)[] | undefined;
    let finisherIndex: number[] | undefined;
    for (let pass = 0; pass < 2; pass++) {
      const threaded = pass === 0;
      for (let index = 0; index < requests.length; index++) {
        const request = requests[index];
        const partition = this.partitions[index];
        if (!request || partition.threaded !== threaded) continue;
        if (partition.startWindow) {
          (finishers ??= []).push(partition.startWindow(request));
          (finisherIndex ??= []).push(index);
        } else {
          results[index] = partition.runWindow(request);
        }
      }
    }
    if (finishers) this.barrierCount++;
    if (finishers && finisherIndex) for (let index = 0; index < finishers.length; index++) results[finisherIndex[index]] = finishers[index]();
    for (const result of results) if (result instanceof Promise) return Promise.all(results);
    return results as (WindowResult | undefined)[];
  }

  private collect(results: (WindowResult | undefined)[], endUs: Micros): void {
    // Most windows show nothing outside: the arrays are made only for an emission.
    let outputs: ActorOutput[] | undefined;
    let panics: ActorPanic[] | undefined;
    for (let index = 0; index < results.length; index++) {
      const result = results[index];
      if (!result) continue;
      this.partitionNextUs[index] = result.nextUs;
      // Each actor's next time only plans windows of several partitions (safe times).
      if (this.safeTimes) {
        const actors = this.partitionActors[index];
        const actorNextUs = result.actorNextUs;
        for (let actor = 0; actor < actors.length; actor++) this.actorNextUs[actors[actor]] = actorNextUs ? actorNextUs[actor] : Infinity;
      }
      this.events += result.eventsHandled;
      panics = this.takePanics(result.panics, panics);
      for (const message of result.outbound) this.route(message.from, message.arrivalUs, message.sequence, message.payload);
      for (const change of result.portChanges) this.portChanges.push(change);
      for (const output of result.outputs) (outputs ??= []).push(output);
    }
    this.emit(endUs, outputs, panics);
  }

  /**
   * Records the panics not heard of before and returns them added to `fresh`. What is in flight to a
   * panicked actor is dropped now (it would be on arrival): the same in flight whether a window's sends
   * were routed after it or as they were made.
   */
  private takePanics(reported: readonly ActorPanic[], fresh: ActorPanic[] | undefined): ActorPanic[] | undefined {
    let taken = false;
    for (const panic of reported) {
      if (this.panics.has(panic.actor)) continue;
      this.panics.set(panic.actor, panic);
      (fresh ??= []).push(panic);
      taken = true;
    }
    if (taken) this.inFlight.retain((item) => !this.panics.has(item.delivery.actor));
    return fresh;
  }

  /** Tells the listeners what a window showed, when it showed anything. */
  private emit(endUs: Micros, outputs: ActorOutput[] | undefined, panics: ActorPanic[] | undefined): void {
    if (!outputs && !panics && this.emittedLinks.length === 0) return;
    outputs?.sort(compareOutputs);
    const emission: LabEmission = { atUs: endUs, outputs: outputs ?? [], links: this.emittedLinks, panics: panics ?? [] };
    this.emittedLinks = [];
    for (const listener of this.listeners) listener(emission);
  }

  /** Routing is single-hop: the message reaches the port at the other end of the cable. */
  private route(from: PortRef, arrivalUs: Micros, sequence: number, payload: Payload): void {
    const cable = this.graph.cableAt(from);
    if (!cable || !this.graph.linkUp(cable.id)) return;
    const to = this.graph.farEnd(cable, from);
    if (this.panics.has(to.actor)) return;
    this.inFlight.push({
      cable: cable.id,
      delivery: { actor: to.actor, atUs: arrivalUs, source: from.actor, sequence, event: { type: 'message', port: to.port, from, payload } },
    });
  }
}

/**
 * The run summary from every actor's fragment (in any order): the skeleton, the fragments merged in
 * actor order, a filer that reported nothing (its thread died) shown panicked, and the lab's panics.
 */
export function assembleSummary(spec: LabSpec, fragments: [ActorId, Record<string, unknown>][], panics: ReadonlyMap<ActorId, ActorPanic>): RunSummary {
  fragments.sort((left, right) => compareIds(left[0], right[0]));
  const summary = summarySkeleton();
  for (const [, fragment] of fragments) deepMerge(summary, fragment);
  const reported = new Set(fragments.map(([actor]) => actor));
  for (const actor of spec.actors) {
    if (actor.kind !== 'filer' || reported.has(actor.id) || Object.hasOwn(summary.filers, actor.id)) continue;
    const panic = panics.get(actor.id);
    summary.filers[actor.id] = { power: 'unknown', state: 'panicked', panic: panic?.reason ?? 'no report from its thread' };
  }
  for (const name of spec.vservers ?? []) {
    if (!Object.hasOwn(summary.vservers, name)) summary.vservers[name] = { node: null, state: 'stopped', vips: [] };
  }
  if (panics.size > 0) {
    summary.panics = [...panics.values()].map((panic) => ({ actor: panic.actor, atMs: panic.atUs / 1000, reason: panic.reason }));
  }
  return summary;
}

/** Why a lab refuses `input`, or undefined: it names an actor the lab lacks, or a port with no cable. */
export function inputProblem(spec: LabSpec, actors: ReadonlyMap<ActorId, unknown>, graph: CableGraph, input: LabInput): string | undefined {
  switch (input.kind) {
    case 'actor':
      if (!actors.has(input.actor)) return `no actor named '${input.actor}' in lab ${spec.name}`;
      return undefined;
    case 'cable':
      if (!actors.has(input.end.actor)) return `no actor named '${input.end.actor}' in lab ${spec.name}`;
      if (!graph.cableAt(input.end)) return `no cable in ${endKey(input.end)}`;
      return undefined;
    case 'mark':
      return undefined;
  }
}

/** A deep copy through JSON semantics that keeps Uint8Array: snapshots share nothing with the lab. */
function structuredCopy<T>(value: T): T {
  try {
    return copyValue(value) as T;
  } catch (error) {
    if (!(error instanceof NotPlainData)) throw error;
    const path = error.segments.reverse().join('');
    throw new Error(`a lab snapshot holds plain data only: a ${error.kind} at ${path || 'the top'}`);
  }
}

/**
 * Thrown where a snapshot meets something other than plain data; each level adds its step of the path
 * as it unwinds, so that a copy that succeeds builds no path strings (one per value was most of the cost
 * of a snapshot, which Undo takes before every trainee action).
 */
class NotPlainData extends Error {
  readonly segments: string[] = [];
  constructor(readonly kind: string) {
    super(kind);
  }
}

function copyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      try {
        copy[index] = copyValue(value[index]);
      } catch (error) {
        if (error instanceof NotPlainData) error.segments.push(`[${index}]`);
        throw error;
      }
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  // A Map, a Set or a class instance would come back as an empty or method-less object, and the
  // restored lab would quietly differ: refuse it, naming where it sits.
  if (prototype !== Object.prototype && prototype !== null) {
    throw new NotPlainData((value.constructor as { name?: string } | undefined)?.name ?? 'non-plain object');
  }
  const copy: Record<string, unknown> = {};
  // for-in, not Object.entries: the same own keys in the same order for plain data, without an array
  // of pairs per object.
  for (const key in value as Record<string, unknown>) {
    try {
      copy[key] = copyValue((value as Record<string, unknown>)[key]);
    } catch (error) {
      if (error instanceof NotPlainData) error.segments.push(`.${key}`);
      throw error;
    }
  }
  return copy;
}
