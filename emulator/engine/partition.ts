// A partition runs a set of actors through windows: the same code in the conductor's thread (`single`)
// and inside each worker thread (`workers`), which is half of why placement cannot change the trace.
// Each actor handles its own events in (time, source, sequence) order; actors never see each other.
import { LOOKAHEAD_US } from './actor.ts';
import type { ActorBehavior, ActorId, BehaviorRegistry, Micros, PortName } from './actor.ts';
import { PartitionContext, renewWindowOutput } from './actor-context.ts';
import type { ActorSlot, SendRouter, WindowOutput } from './actor-context.ts';
import { EventQueue } from './event-queue.ts';
import { LiveTimers } from './live-timers.ts';
import type { LabSpec } from './lab-spec.ts';
import { seedPrng } from './prng.ts';
import type { PrngState } from './prng.ts';
import { foldEvent, foldString, TRACE_BASIS } from './trace-hash.ts';
import type { TraceLanes } from './trace-hash.ts';
import type { ActorSnapshot, Delivery, WindowRequest, WindowResult } from './window.ts';

export interface PartitionOptions {
  readonly spec: LabSpec;
  readonly seed: number;
  readonly registry: BehaviorRegistry;
  /** The actors this partition runs. */
  readonly actorIds: readonly ActorId[];
  /** Restore these actors instead of creating them fresh (fresh actors get a `start` event at 0). */
  readonly snapshot?: readonly ActorSnapshot[];
}

export class Partition {
  private readonly slots: ActorSlot[] = [];
  /** Each actor's index in `slots`. */
  private readonly indexOf = new Map<ActorId, number>();
  private readonly context = new PartitionContext();
  /**
   * Each actor's next time: one array, kept current (no allocation per window); the conductor reads it,
   * or the worker encodes it, before the next window begins. A window visits only the actors whose next
   * time falls in it (1.5 events a window in ha-pair: most actors have nothing to do).
   */
  private readonly actorNextUs: Micros[] = [];
  /** Per actor: every event before this time has been handled, so a delivery may not come sooner. */
  private readonly doneUs: Float64Array;
  /**
   * The first window visits every actor: a restored queue may start with cancelled timers, which its
   * next time leaves out only once the actor has been visited.
   */
  private visitAll = true;
  /** The earliest pending event after the last window (before the first: after creation). */
  private earliestAfterWindow: Micros;

  constructor(options: PartitionOptions) {
    const saved = new Map((options.snapshot ?? []).map((actor) => [actor.id, actor]));
    const specs = new Map(options.spec.actors.map((actor) => [actor.id, actor]));
    for (const id of [...options.actorIds].sort(compareIds)) {
      const actorSpec = specs.get(id);
      if (!actorSpec) throw new Error(`partition: actor ${id} is not in lab ${options.spec.name}`);
      // An own key only: a kind read from a file (`constructor`, `toString`) is no behaviour (issue 21).
      const behavior = Object.hasOwn(options.registry, actorSpec.kind) ? options.registry[actorSpec.kind] : undefined;
      if (!behavior) throw new Error(`partition: no behaviour for kind '${actorSpec.kind}' (actor ${id})`);
      const slot = this.createSlot(id, behavior, actorSpec.config, options, saved.get(id));
      this.indexOf.set(id, this.slots.length);
      this.slots.push(slot);
      this.actorNextUs.push(slot.panic === null ? slot.queue.peekTime() : Infinity);
    }
    this.doneUs = new Float64Array(this.slots.length);
    this.earliestAfterWindow = this.nextUs();
  }

  get actorIds(): ActorId[] {
    return this.slots.map((slot) => slot.id);
  }

  nextUs(): Micros {
    let earliest = Infinity;
    for (const slot of this.slots) {
      if (slot.panic === null) earliest = Math.min(earliest, slot.queue.peekTime());
    }
    return earliest;
  }

  runWindow(request: WindowRequest): WindowResult {
    for (const [actor, port, up] of request.links) this.setCarrier(actor, port, up);
    for (const delivery of request.deliveries) this.deliver(delivery);
    renewWindowOutput(this.context.output);
    const eventsHandled = this.runTo(request.endUs);
    const { outbound, portChanges, outputs, panics } = this.context.output;
    return { outbound, portChanges, outputs, panics, nextUs: this.earliestUs, actorNextUs: this.actorNextUs, eventsHandled };
  }

  /** The conductor said carrier on one of these actors' ports came or went. */
  setCarrier(actor: ActorId, port: PortName, up: boolean): void {
    const slot = this.slots[this.slotIndex(actor)];
    if (up) slot.carrier.add(port);
    else slot.carrier.delete(port);
  }

  /** Queues an event for one of these actors (dropped when it panicked). */
  deliver(delivery: Delivery): void {
    const index = this.slotIndex(delivery.actor);
    const slot = this.slots[index];
    if (slot.panic !== null) return;
    if (delivery.atUs < this.doneUs[index]) throw new Error(`partition: delivery at ${delivery.atUs} for ${slot.id} is in the past (${this.doneUs[index]})`);
    slot.queue.push(delivery);
    if (delivery.atUs < this.actorNextUs[index]) this.actorNextUs[index] = delivery.atUs;
  }

  /**
   * What the actors sent, changed and showed since the output was last emptied. The conductor's own
   * partition (`single`) hands it over in place: the conductor takes what it holds and empties it.
   */
  get output(): WindowOutput {
    return this.context.output;
  }

  /** Hands every send to `router` the moment it is made, instead of to the window's output. */
  routeSendsTo(router: SendRouter): void {
    this.context.router = router;
  }

  /** The earliest pending event after the last window, or Infinity. */
  get earliestUs(): Micros {
    return this.earliestAfterWindow;
  }

  /** Handles every event before endUs; returns how many. */
  runTo(endUs: Micros): number {
    const actorNextUs = this.actorNextUs;
    const doneUs = this.doneUs;
    let eventsHandled = 0;
    // One pass: an actor's queue changes only while it runs (sends leave through the conductor), so
    // its next time is final once its turn is over.
    const visitAll = this.visitAll;
    this.visitAll = false;
    let nextUs = Infinity;
    for (let index = 0; index < actorNextUs.length; index++) {
      if (visitAll || actorNextUs[index] < endUs) {
        const slot = this.slots[index];
        if (slot.queue.peekTime() < endUs) eventsHandled += this.runActor(slot, endUs);
        const reachedUs = Math.min(slot.stopUs, endUs);
        if (reachedUs > doneUs[index]) doneUs[index] = reachedUs;
        slot.stopUs = Infinity;
        actorNextUs[index] = slot.panic === null ? liveHeadTime(slot) : Infinity;
      } else if (doneUs[index] < endUs) {
        doneUs[index] = endUs;
      }
      if (actorNextUs[index] < nextUs) nextUs = actorNextUs[index];
    }
    this.earliestAfterWindow = nextUs;
    return eventsHandled;
  }

  snapshot(): ActorSnapshot[] {
    return this.slots.map((slot) => ({
      id: slot.id,
      state: slot.state,
      queue: slot.queue.toSortedArray(),
      prng: [...slot.prng] as PrngState,
      nextSequence: slot.nextSequence,
      nextTimerId: slot.nextTimerId,
      liveTimers: slot.liveTimers.toArray(),
      trace: [...slot.trace] as TraceLanes,
      disabledPorts: [...slot.disabledPorts].sort(compareIds),
      carrier: [...slot.carrier].sort(compareIds),
      eventsHandled: slot.eventsHandled,
      panic: slot.panic,
    }));
  }

  /** Each live actor's summary fragment, in actor-id order. */
  summarize(): [ActorId, Record<string, unknown>][] {
    const fragments: [ActorId, Record<string, unknown>][] = [];
    for (const slot of this.slots) {
      // An actor whose thread died has no state left to summarize.
      if (!slot.behavior.summarize || (slot.panic !== null && slot.state === null)) continue;
      try {
        fragments.push([slot.id, slot.behavior.summarize(slot.state)]);
      } catch (error) {
        fragments.push([slot.id, { panics: [{ actor: slot.id, reason: `summarize threw: ${describeError(error)}` }] }]);
      }
    }
    return fragments;
  }

  traces(): [ActorId, TraceLanes][] {
    return this.slots.map((slot) => [slot.id, [...slot.trace] as TraceLanes]);
  }

  private runActor(slot: ActorSlot, endUs: Micros): number {
    let handled = 0;
    const context = this.context;
    context.slot = slot;
    context.self = slot.id;
    // An actor that turned a port off or on hears of it L later: it stops there (see ActorSlot.stopUs).
    while (slot.panic === null && slot.queue.peekTime() < Math.min(endUs, slot.stopUs)) {
      const item = slot.queue.pop()!;
      const event = item.event;
      if (event.type === 'timer' && !slot.liveTimers.delete(event.timerId)) {
        slot.deadTimers--;
        continue;
      }
      context.now = item.atUs;
      foldEvent(slot.trace, item.atUs, event);
      handled++;
      try {
        slot.behavior.handle(slot.state, event, context);
      } catch (error) {
        this.panicActor(slot, item.atUs, describeError(error));
      }
    }
    slot.eventsHandled += handled;
    context.slot = undefined;
    return handled;
  }

  private panicActor(slot: ActorSlot, atUs: Micros, reason: string): void {
    slot.panic = reason;
    foldString(slot.trace, `panic ${reason}`);
    this.context.output.panics.push({ actor: slot.id, atUs, reason });
  }

  private slotIndex(actor: ActorId): number {
    const index = this.indexOf.get(actor);
    if (index === undefined) throw new Error(`partition: actor ${actor} is not here`);
    return index;
  }

  private createSlot(id: ActorId, behavior: ActorBehavior, config: unknown, options: PartitionOptions, saved: ActorSnapshot | undefined): ActorSlot {
    const ports = new Map<PortName, Micros | undefined>(behavior.ports(config).map((port) => [port, undefined]));
    for (const cable of options.spec.cables) {
      for (const end of [cable.a, cable.b]) {
        if (end.actor !== id) continue;
        if (!ports.has(end.port)) throw new Error(`partition: cable ${cable.id} plugs into ${id}:${end.port}, which ${behavior.kind} has no port for`);
        ports.set(end.port, Math.max(LOOKAHEAD_US, cable.latencyUs ?? 0));
      }
    }
    const slot: ActorSlot = {
      id, behavior, ports,
      state: saved ? saved.state : behavior.create(config, id),
      queue: new EventQueue(),
      prng: saved ? [...saved.prng] as PrngState : seedPrng(options.seed, id),
      nextSequence: saved?.nextSequence ?? 0,
      nextTimerId: saved?.nextTimerId ?? 1,
      liveTimers: new LiveTimers(saved?.liveTimers ?? []),
      deadTimers: 0,
      trace: saved ? [...saved.trace] as TraceLanes : [...TRACE_BASIS] as TraceLanes,
      disabledPorts: new Set(saved?.disabledPorts ?? []),
      // A fresh lab starts with every cabled port carrying; the conductor corrects it otherwise.
      carrier: new Set(saved ? saved.carrier : [...ports].filter(([, latency]) => latency !== undefined).map(([port]) => port)),
      eventsHandled: saved?.eventsHandled ?? 0,
      panic: saved?.panic ?? null,
      stopUs: Infinity,
    };
    if (saved) {
      for (const item of saved.queue) {
        slot.queue.push(item);
        if (item.event.type === 'timer' && !slot.liveTimers.has(item.event.timerId)) slot.deadTimers++;
      }
    }
    else slot.queue.push({ atUs: 0, source: '~start', sequence: 0, event: { type: 'start' } });
    return slot;
  }
}

/**
 * The time of the actor's next event that will be handled: cancelled timers at the head of its queue
 * are dropped first (they would be skipped anyway), so that a client's cancelled timeout does not
 * call its partition into a window, a barrier in `workers`, with nothing to do.
 */
function liveHeadTime(slot: ActorSlot): Micros {
  const queue = slot.queue;
  for (;;) {
    const head = queue.peek();
    if (head === undefined) return Infinity;
    const event = head.event;
    if (event.type !== 'timer' || slot.liveTimers.has(event.timerId)) return head.atUs;
    queue.pop();
    slot.deadTimers--;
  }
}

/** Code-point order, never locale order: the same on every machine. */
export function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
