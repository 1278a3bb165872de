// The ActorContext a partition hands its actors, and the per-actor bookkeeping it works on. One context
// object per partition, re-aimed at each event (no allocation per event), and a class, not an object of
// closures: the same methods in every lab, so code that inlined a call to `ctx.send` or `ctx.random`
// is not deoptimised when the next lab (a new partition) comes along.
import { LOOKAHEAD_US } from './actor.ts';
import type { ActorBehavior, ActorContext, ActorId, EmsSeverity, Micros, Payload, PortName, PortRef } from './actor.ts';
import type { EventQueue } from './event-queue.ts';
import type { LiveTimers } from './live-timers.ts';
import { nextUnit } from './prng.ts';
import type { PrngState } from './prng.ts';
import { foldString } from './trace-hash.ts';
import type { TraceLanes } from './trace-hash.ts';
import type { ActorOutput, ActorPanic, Outbound, PortChange } from './window.ts';

export interface ActorSlot {
  readonly id: ActorId;
  readonly behavior: ActorBehavior;
  state: unknown;
  readonly queue: EventQueue;
  readonly prng: PrngState;
  nextSequence: number;
  nextTimerId: number;
  /** Timers set and neither fired nor cancelled. */
  readonly liveTimers: LiveTimers;
  /** Cancelled timers still in the queue (skipped when they come up; purged when they are many). */
  deadTimers: number;
  readonly trace: TraceLanes;
  /** Per port: the cable's latency, or undefined when no cable sits in it. */
  readonly ports: Map<PortName, Micros | undefined>;
  readonly disabledPorts: Set<PortName>;
  readonly carrier: Set<PortName>;
  eventsHandled: number;
  panic: string | null;
  /**
   * Where this window ends for this actor when it is sooner than the partition's end: a port it turned
   * off or on brings it a `link` event L later, which the conductor delivers after the window. Infinity
   * again once its turn is over. (With several partitions a window may be longer than L.)
   */
  stopUs: Micros;
}

/** What a partition's actors produced during one window. */
export interface WindowOutput {
  outbound: Outbound[];
  portChanges: PortChange[];
  outputs: ActorOutput[];
  panics: ActorPanic[];
}

export function emptyWindowOutput(): WindowOutput {
  return { outbound: [], portChanges: [], outputs: [], panics: [] };
}

/**
 * Readies `output` for the next window. The last window's arrays went out in its result: one that holds
 * something is the conductor's now and is replaced; an empty one is kept (most are empty most windows,
 * and an array per kind per window was garbage at tens of thousands of windows a lab minute).
 */
export function renewWindowOutput(output: WindowOutput): void {
  if (output.outbound.length > 0) output.outbound = [];
  if (output.portChanges.length > 0) output.portChanges = [];
  if (output.outputs.length > 0) output.outputs = [];
  if (output.panics.length > 0) output.panics = [];
}

/**
 * Takes a message the moment an actor sends it. `single`'s conductor routes sends at once, where the
 * conductor of several partitions collects them from each window's output.
 */
export interface SendRouter {
  route(from: PortRef, arrivalUs: Micros, sequence: number, payload: Payload): void;
}

export class PartitionContext implements ActorContext {
  /** Virtual time of the event being handled (the partition sets it before each event). */
  now: Micros = 0;
  self: ActorId = '';
  /** The actor handling an event, or undefined between events. */
  slot: ActorSlot | undefined = undefined;
  /** Where this window's sends (unless a router takes them), port changes and outputs go. */
  output: WindowOutput = emptyWindowOutput();
  router: SendRouter | undefined = undefined;

  random(): number {
    return nextUnit(this.active().prng);
  }

  send(port: PortName, payload: Payload, delayUs = 0): void {
    const slot = this.active();
    const cableLatency = carryingLatency(slot, port);
    if (cableLatency === undefined) return;
    const latency = Math.max(cableLatency, Math.ceil(delayUs));
    const from = { actor: slot.id, port };
    const sequence = slot.nextSequence++;
    if (this.router) this.router.route(from, this.now + latency, sequence, payload);
    else this.output.outbound.push({ from, sentUs: this.now, arrivalUs: this.now + latency, sequence, payload });
  }

  setTimer(delayUs: Micros, payload: Payload): number {
    const slot = this.active();
    if (!(delayUs >= 0)) throw new Error(`${slot.id}: timer delay ${delayUs} is negative`);
    const timerId = slot.nextTimerId++;
    slot.liveTimers.add(timerId);
    slot.queue.push({
      atUs: this.now + Math.ceil(delayUs), source: slot.id, sequence: slot.nextSequence++,
      event: { type: 'timer', timerId, payload },
    });
    return timerId;
  }

  cancelTimer(timerId: number): void {
    const slot = this.active();
    if (!slot.liveTimers.delete(timerId)) return;
    slot.deadTimers++;
    // A client arms a long timeout per request and cancels it on the reply: left alone, thousands of
    // dead timers would sit in its queue and every pop would sift through them.
    if (slot.deadTimers > 64 && slot.deadTimers * 2 > slot.queue.size) {
      const live = slot.liveTimers;
      slot.queue.retain((item) => item.event.type !== 'timer' || live.has(item.event.timerId));
      slot.deadTimers = 0;
    }
  }

  linkUp(port: PortName): boolean {
    return linkUpOn(this.active(), port);
  }

  setPortEnabled(port: PortName, enabled: boolean): void {
    const slot = this.active();
    portLatency(slot, port);
    if (slot.disabledPorts.has(port) === !enabled) return;
    if (enabled) slot.disabledPorts.delete(port);
    else slot.disabledPorts.add(port);
    const atUs = this.now + LOOKAHEAD_US;
    this.output.portChanges.push({ actor: slot.id, port, enabled, atUs });
    if (atUs < slot.stopUs) slot.stopUs = atUs;
  }

  console(text: string): void {
    const slot = this.active();
    foldString(slot.trace, text);
    this.output.outputs.push({ type: 'console', actor: slot.id, atUs: this.now, text });
  }

  ems(source: string, severity: EmsSeverity, text: string): void {
    this.output.outputs.push({ type: 'ems', actor: this.active().id, atUs: this.now, source, severity, text });
  }

  publish(path: string, value: unknown): void {
    const actor = this.active().id;
    // An actor draws only itself: its view paths start with its own id (hardware/view-paths.ts).
    if (path.charCodeAt(actor.length) !== 0x2e || !path.startsWith(actor)) throw new Error(`actor ${actor} published outside its view: ${path}`);
    this.output.outputs.push({ type: 'publish', actor, atUs: this.now, path, value });
  }

  private active(): ActorSlot {
    const slot = this.slot;
    if (!slot) throw new Error('actor context used outside of handle()');
    return slot;
  }
}

function portLatency(slot: ActorSlot, port: PortName): Micros | undefined {
  // One lookup: a cabled port's latency is a number, and only a port the actor lacks is missing.
  const latency = slot.ports.get(port);
  if (latency === undefined && !slot.ports.has(port)) throw new Error(`${slot.id} has no port '${port}'`);
  return latency;
}

/** The cable's latency when the port carries now (cabled, carrier, enabled), else undefined. */
function carryingLatency(slot: ActorSlot, port: PortName): Micros | undefined {
  const latency = portLatency(slot, port);
  return latency !== undefined && slot.carrier.has(port) && !slot.disabledPorts.has(port) ? latency : undefined;
}

function linkUpOn(slot: ActorSlot, port: PortName): boolean {
  return carryingLatency(slot, port) !== undefined;
}
