// The actor contract of the engine (DESIGN.md §2). A filer, a shelf, a switch and a client are actors:
// plain-data state plus a behaviour that handles one event at a time and reaches the world only through
// the ActorContext (virtual clock, seeded PRNG, cables, timers, console, EMS, UI view). Actors share
// nothing, so the same lab gives the same trace in one thread or on worker threads.

/** Virtual time: integer microseconds since lab start. */
export type Micros = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

/** The lookahead L: no message between actors arrives sooner than this after it was sent. */
export const LOOKAHEAD_US: Micros = 1_000;

export type ActorId = string;
/** A port on an actor: FC `0a`, Ethernet `e0a`, interconnect `ic0`, shelf module `A`, `A.out`, switch `p1`. */
export type PortName = string;

export interface PortRef {
  readonly actor: ActorId;
  readonly port: PortName;
}

/**
 * What travels on a cable, in a timer or in an input: plain data that survives structuredClone
 * (numbers, strings, booleans, arrays, plain objects, Uint8Array). Never functions or class instances.
 */
export interface Payload {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** An input from outside the lab, addressed to one actor (console keys, faults, power, client control). */
export type ActorInput =
  | { readonly kind: 'console'; readonly data: string }
  | { readonly kind: 'fault'; readonly fault: string; readonly args: readonly string[] }
  | { readonly kind: 'clear'; readonly fault: string; readonly args: readonly string[] }
  | { readonly kind: 'power'; readonly on: boolean }
  | { readonly kind: 'client'; readonly action: 'start' | 'stop' };

export type ActorEvent =
  /** Delivered once to every actor at time 0 of a fresh lab (not after a snapshot restore). */
  | { readonly type: 'start' }
  | { readonly type: 'message'; readonly port: PortName; readonly from: PortRef; readonly payload: Payload }
  | { readonly type: 'timer'; readonly timerId: number; readonly payload: Payload }
  | { readonly type: 'input'; readonly input: ActorInput }
  /** Carrier on one of this actor's ports came or went (cable pulled or plugged, far end powered off). */
  | { readonly type: 'link'; readonly port: PortName; readonly up: boolean };

export type EmsSeverity = 'emergency' | 'alert' | 'critical' | 'error' | 'warning' | 'notice' | 'info' | 'debug';

/** The narrow door through which an actor reaches the world while it handles one event. */
export interface ActorContext {
  /** Virtual time of the event being handled. */
  readonly now: Micros;
  readonly self: ActorId;
  /** Uniform in [0, 1) from this actor's PRNG, seeded from (lab seed, actor id). */
  random(): number;
  /**
   * Sends on one of this actor's ports. It arrives at the far end of the cable no sooner than
   * now + max(LOOKAHEAD_US, delayUs). Dropped, silently, if the link is down at send time: the sender
   * learns of it from its own `link` event, as a real port senses loss of carrier.
   */
  send(port: PortName, payload: Payload, delayUs?: Micros): void;
  /** Starts a timer; its payload comes back as a `timer` event after delayUs (>= 0). */
  setTimer(delayUs: Micros, payload: Payload): number;
  cancelTimer(timerId: number): void;
  /** Whether the port has carrier now (cable plugged, both ends enabled). */
  linkUp(port: PortName): boolean;
  /** Turns this actor's own transceiver on a port on or off (power loss, `ifconfig down`, port fault). */
  setPortEnabled(port: PortName, enabled: boolean): void;
  /** Bytes written to this actor's serial console (filers); folded into the trace hash. */
  console(text: string): void;
  /** An EMS event `[source:severity]: text` for the timeline and /etc/messages. */
  ems(source: string, severity: EmsSeverity, text: string): void;
  /**
   * Publishes one value of this actor's UI view (link lights, LEDs, disk states, banners). The path is
   * the full view path and starts with this actor's id, e.g. `filerA.ports.0a.link`.
   */
  publish(path: string, value: unknown): void;
}

/**
 * How one kind of actor behaves. The behaviour holds no state of its own: everything lives in the
 * State value, which is plain data so that a lab can be snapshotted and restored.
 */
export interface ActorBehavior<State = unknown, Config = unknown> {
  readonly kind: string;
  /** The ports this actor has, from its configuration. */
  ports(config: Config): PortName[];
  /** The initial state of a fresh actor. */
  create(config: Config, self: ActorId): State;
  /** Handles one event, mutating state and acting through ctx. Must not throw for any input. */
  handle(state: State, event: ActorEvent, ctx: ActorContext): void;
  /**
   * This actor's part of the run summary (`filerlab run --json`): a fragment deep-merged into it, e.g.
   * `{ filers: { filerA: { power: 'on', cf: 'up', serving: ['filerA'] } }, vservers: { … } }`.
   */
  summarize?(state: State): Record<string, unknown>;
}

/** Behaviours by kind. A worker thread imports the registry module to rebuild the same table. */
// Each kind has its own State and Config: the table can only say "some behaviour".
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BehaviorRegistry = Readonly<Record<string, ActorBehavior<any, any>>>;
