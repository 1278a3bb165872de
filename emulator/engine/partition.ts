// A partition runs a set of actors through windows: the same code in the conductor's thread (`single`)
// and inside each worker thread (`workers`), which is half of why placement cannot change the trace.
// Each actor handles its own events in (time, source, sequence) order; actors never see each other.
import { LOOKAHEAD_US } from './actor.ts';
import type { ActorBehavior, ActorContext, ActorId, BehaviorRegistry, EmsSeverity, Micros, Payload, PortName } from './actor.ts';
import { EventQueue } from './event-queue.ts';
import type { LabSpec } from './lab-spec.ts';
import { nextUnit, seedPrng } from './prng.ts';
import type { PrngState } from './prng.ts';
import { foldEvent, foldString, TRACE_BASIS } from './trace-hash.ts';
import type { TraceLanes } from './trace-hash.ts';
import type { ActorOutput, ActorPanic, ActorSnapshot, Outbound, PortChange, WindowRequest, WindowResult } from './window.ts';

interface ActorSlot {
  readonly id: ActorId;
  readonly behavior: ActorBehavior;
  state: unknown;
  readonly queue: EventQueue;
  readonly prng: PrngState;
  nextSequence: number;
  nextTimerId: number;
  /** Timers set and neither fired nor cancelled. */
  readonly liveTimers: Set<number>;
  readonly trace: TraceLanes;
  /** Per port: the cable's latency, or undefined when no cable sits in it. */
  readonly ports: Map<PortName, Micros | undefined>;
  readonly disabledPorts: Set<PortName>;
  readonly carrier: Set<PortName>;
  eventsHandled: number;
  panic: string | null;
}

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
  private readonly byId = new Map<ActorId, ActorSlot>();
  private result: { outbound: Outbound[]; portChanges: PortChange[]; outputs: ActorOutput[]; panics: ActorPanic[] } =
    { outbound: [], portChanges: [], outputs: [], panics: [] };
  private current: ActorSlot | undefined;
  private currentUs: Micros = 0;
  private readonly context: ActorContext;

  constructor(options: PartitionOptions) {
    const saved = new Map((options.snapshot ?? []).map((actor) => [actor.id, actor]));
    const specs = new Map(options.spec.actors.map((actor) => [actor.id, actor]));
    for (const id of [...options.actorIds].sort(compareIds)) {
      const actorSpec = specs.get(id);
      if (!actorSpec) throw new Error(`partition: actor ${id} is not in lab ${options.spec.name}`);
      const behavior = options.registry[actorSpec.kind];
      if (!behavior) throw new Error(`partition: no behaviour for kind '${actorSpec.kind}' (actor ${id})`);
      const slot = this.createSlot(id, behavior, actorSpec.config, options, saved.get(id));
      this.slots.push(slot);
      this.byId.set(id, slot);
    }
    this.context = this.createContext();
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
    for (const [actor, port, up] of request.links) {
      const slot = this.slotOf(actor);
      if (up) slot.carrier.add(port);
      else slot.carrier.delete(port);
    }
    for (const delivery of request.deliveries) {
      const slot = this.slotOf(delivery.actor);
      if (slot.panic !== null) continue;
      if (delivery.atUs < this.currentUs) throw new Error(`partition: delivery at ${delivery.atUs} is in the past (${this.currentUs})`);
      slot.queue.push(delivery);
    }
    this.result = { outbound: [], portChanges: [], outputs: [], panics: [] };
    let eventsHandled = 0;
    // One pass: an actor's queue changes only while it runs (sends leave through the conductor), so
    // its next time is final once its turn is over.
    let nextUs = Infinity;
    for (const slot of this.slots) {
      if (slot.queue.peekTime() < request.endUs) eventsHandled += this.runActor(slot, request.endUs);
      if (slot.panic === null) nextUs = Math.min(nextUs, slot.queue.peekTime());
    }
    this.currentUs = request.endUs;
    const { outbound, portChanges, outputs, panics } = this.result;
    return { outbound, portChanges, outputs, panics, nextUs, eventsHandled };
  }

  snapshot(): ActorSnapshot[] {
    return this.slots.map((slot) => ({
      id: slot.id,
      state: slot.state,
      queue: slot.queue.toSortedArray(),
      prng: [...slot.prng] as PrngState,
      nextSequence: slot.nextSequence,
      nextTimerId: slot.nextTimerId,
      liveTimers: [...slot.liveTimers].sort((a, b) => a - b),
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
    this.current = slot;
    while (slot.panic === null && slot.queue.peekTime() < endUs) {
      const item = slot.queue.pop()!;
      const event = item.event;
      if (event.type === 'timer' && !slot.liveTimers.delete(event.timerId)) continue;
      this.currentUs = item.atUs;
      (this.context as { now: Micros }).now = item.atUs;
      (this.context as { self: ActorId }).self = slot.id;
      foldEvent(slot.trace, item.atUs, event);
      handled++;
      try {
        slot.behavior.handle(slot.state, event, this.context);
      } catch (error) {
        this.panicActor(slot, item.atUs, describeError(error));
      }
    }
    slot.eventsHandled += handled;
    this.current = undefined;
    return handled;
  }

  private panicActor(slot: ActorSlot, atUs: Micros, reason: string): void {
    slot.panic = reason;
    foldString(slot.trace, `panic ${reason}`);
    this.result.panics.push({ actor: slot.id, atUs, reason });
  }

  private slotOf(actor: ActorId): ActorSlot {
    const slot = this.byId.get(actor);
    if (!slot) throw new Error(`partition: actor ${actor} is not here`);
    return slot;
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
      liveTimers: new Set(saved?.liveTimers ?? []),
      trace: saved ? [...saved.trace] as TraceLanes : [...TRACE_BASIS] as TraceLanes,
      disabledPorts: new Set(saved?.disabledPorts ?? []),
      // A fresh lab starts with every cabled port carrying; the conductor corrects it otherwise.
      carrier: new Set(saved ? saved.carrier : [...ports].filter(([, latency]) => latency !== undefined).map(([port]) => port)),
      eventsHandled: saved?.eventsHandled ?? 0,
      panic: saved?.panic ?? null,
    };
    if (saved) for (const item of saved.queue) slot.queue.push(item);
    else slot.queue.push({ atUs: 0, source: '~start', sequence: 0, event: { type: 'start' } });
    return slot;
  }

  private createContext(): ActorContext {
    // One context object for the whole partition, re-aimed at each event: no allocation per event.
    const active = (): ActorSlot => {
      const slot = this.current;
      if (!slot) throw new Error('actor context used outside of handle()');
      return slot;
    };
    const portLatency = (slot: ActorSlot, port: PortName): Micros | undefined => {
      if (!slot.ports.has(port)) throw new Error(`${slot.id} has no port '${port}'`);
      return slot.ports.get(port);
    };
    const linkUp = (slot: ActorSlot, port: PortName): boolean =>
      portLatency(slot, port) !== undefined && slot.carrier.has(port) && !slot.disabledPorts.has(port);
    return {
      now: 0,
      self: '',
      random: () => nextUnit(active().prng),
      send: (port: PortName, payload: Payload, delayUs = 0): void => {
        const slot = active();
        if (!linkUp(slot, port)) return;
        const latency = Math.max(portLatency(slot, port) ?? LOOKAHEAD_US, Math.ceil(delayUs));
        this.result.outbound.push({
          from: { actor: slot.id, port }, sentUs: this.currentUs,
          arrivalUs: this.currentUs + latency, sequence: slot.nextSequence++, payload,
        });
      },
      setTimer: (delayUs: Micros, payload: Payload): number => {
        const slot = active();
        if (!(delayUs >= 0)) throw new Error(`${slot.id}: timer delay ${delayUs} is negative`);
        const timerId = slot.nextTimerId++;
        slot.liveTimers.add(timerId);
        slot.queue.push({
          atUs: this.currentUs + Math.ceil(delayUs), source: slot.id, sequence: slot.nextSequence++,
          event: { type: 'timer', timerId, payload },
        });
        return timerId;
      },
      cancelTimer: (timerId: number): void => {
        active().liveTimers.delete(timerId);
      },
      linkUp: (port: PortName) => linkUp(active(), port),
      setPortEnabled: (port: PortName, enabled: boolean): void => {
        const slot = active();
        portLatency(slot, port);
        if (slot.disabledPorts.has(port) === !enabled) return;
        if (enabled) slot.disabledPorts.delete(port);
        else slot.disabledPorts.add(port);
        this.result.portChanges.push({ actor: slot.id, port, enabled, atUs: this.currentUs + LOOKAHEAD_US });
      },
      console: (text: string): void => {
        const slot = active();
        foldString(slot.trace, text);
        this.result.outputs.push({ type: 'console', actor: slot.id, atUs: this.currentUs, text });
      },
      ems: (source: string, severity: EmsSeverity, text: string): void => {
        this.result.outputs.push({ type: 'ems', actor: active().id, atUs: this.currentUs, source, severity, text });
      },
      publish: (path: string, value: unknown): void => {
        const actor = active().id;
        // An actor draws only itself: its view paths start with its own id (hardware/view-paths.ts).
        if (path.charCodeAt(actor.length) !== 0x2e || !path.startsWith(actor)) throw new Error(`actor ${actor} published outside its view: ${path}`);
        this.result.outputs.push({ type: 'publish', actor, atUs: this.currentUs, path, value });
      },
    };
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
