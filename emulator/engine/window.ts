// What crosses the barrier between the conductor and a partition (a set of actors in one thread) each
// window. Plain data only: in `workers` placement these travel by postMessage.
import type { ActorEvent, ActorId, EmsSeverity, Micros, Payload, PortName, PortRef } from './actor.ts';
import type { QueuedEvent } from './event-queue.ts';
import type { PrngState } from './prng.ts';
import type { TraceLanes } from './trace-hash.ts';

/** An event the conductor hands to one actor: a routed message, a link change or an input. */
export interface Delivery {
  readonly actor: ActorId;
  readonly atUs: Micros;
  readonly source: string;
  readonly sequence: number;
  readonly event: ActorEvent;
}

/** A message an actor sent, on its way to the conductor for routing. */
export interface Outbound {
  readonly from: PortRef;
  readonly sentUs: Micros;
  readonly arrivalUs: Micros;
  readonly sequence: number;
  readonly payload: Payload;
}

/** An actor turned its transceiver on a port on or off; the conductor applies it at `atUs`. */
export interface PortChange {
  readonly actor: ActorId;
  readonly port: PortName;
  readonly enabled: boolean;
  readonly atUs: Micros;
}

/** What actors showed the outside world during the window (never fed back into the lab). */
export type ActorOutput =
  | { readonly type: 'console'; readonly actor: ActorId; readonly atUs: Micros; readonly text: string }
  | { readonly type: 'ems'; readonly actor: ActorId; readonly atUs: Micros; readonly source: string; readonly severity: EmsSeverity; readonly text: string }
  | { readonly type: 'publish'; readonly actor: ActorId; readonly atUs: Micros; readonly path: string; readonly value: unknown };

/** An actor that threw (or whose thread died): it handles nothing more. */
export interface ActorPanic {
  readonly actor: ActorId;
  readonly atUs: Micros;
  readonly reason: string;
}

export interface WindowRequest {
  /** Events strictly before this time are handled in this window. */
  readonly endUs: Micros;
  readonly deliveries: readonly Delivery[];
  /** Carrier changes of this partition's ports, as the conductor computed them: [actor, port, up]. */
  readonly links: readonly (readonly [ActorId, PortName, boolean])[];
}

export interface WindowResult {
  readonly outbound: Outbound[];
  readonly portChanges: PortChange[];
  readonly outputs: ActorOutput[];
  readonly panics: ActorPanic[];
  /** The earliest pending event of this partition after the window, or Infinity. */
  readonly nextUs: Micros;
  /** The same per actor, in the partition's actor order (by id); absent when its thread died. */
  readonly actorNextUs?: Micros[];
  readonly eventsHandled: number;
}

/** One actor, frozen: everything needed to continue it exactly. */
export interface ActorSnapshot {
  readonly id: ActorId;
  readonly state: unknown;
  readonly queue: QueuedEvent[];
  readonly prng: PrngState;
  readonly nextSequence: number;
  readonly nextTimerId: number;
  readonly liveTimers: number[];
  readonly trace: TraceLanes;
  /** Ports this actor turned off itself. */
  readonly disabledPorts: PortName[];
  /** Ports with carrier as the conductor last said. */
  readonly carrier: PortName[];
  readonly eventsHandled: number;
  readonly panic: string | null;
}
