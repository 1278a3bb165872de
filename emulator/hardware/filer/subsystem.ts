// A filer is one actor: the chassis (hardware) plus software subsystems (ONTAP's console, storage,
// file service, HA…) that the lab layer plugs in. Each subsystem keeps its own plain-data slot in the
// filer's state and sees the filer's events in order; the hardware layer knows none of them by name.
import type { ActorContext, ActorEvent, ActorId, EmsSeverity } from '../../engine/actor.ts';
import type { ChassisState, FilerConfig } from './chassis.ts';

export interface FilerState {
  readonly self: ActorId;
  readonly config: FilerConfig;
  chassis: ChassisState;
  /** One slot per subsystem, by subsystem name. Plain data. */
  subsystems: Record<string, unknown>;
}

/**
 * Lifecycle of the machine. The chassis raises the hardware phases: subsystems drop volatile state on
 * `power-off` and `panic` (NVRAM contents live in the chassis and survive while the battery holds).
 * The OS phases are raised by the console subsystem's boot sequence (after `boot_ontap`, or at once
 * for a lab that starts warm) and by `halt`/`reboot`: storage mounts its aggregates on `os-boot`,
 * file service starts when storage is ready, and all of them stop on `os-halt`. `reset` is the
 * machine restarting from its firmware with power kept (a panic cleared by reset, or by itself after
 * its core dump): the boot driver runs the firmware again and autoboots; NVRAM is kept.
 */
export type FilerLifecycle = 'power-on' | 'power-off' | 'panic' | 'hang' | 'resume' | 'reset' | 'os-boot' | 'os-halt';

/** A message from the hardware (a fan, a PSU, a panic), as the chassis reports it. */
export interface HardwareMessage {
  readonly source: string;
  readonly severity: EmsSeverity;
  readonly text: string;
}

/** A deep-mergeable fragment of the run summary, e.g. `{ filers: { filerA: { cf: 'up' } } }`. */
export type SummaryFragment = Record<string, unknown>;

export interface FilerSubsystem<State = unknown> {
  readonly name: string;
  create(config: FilerConfig, self: ActorId): State;
  /**
   * Sees each event the chassis did not consume (messages, timers, console input, link changes), in
   * registration order. Returns true when it consumed the event. Must not throw for any input.
   */
  handle(state: State, filer: FilerState, event: ActorEvent, ctx: ActorContext): boolean;
  lifecycle?(state: State, filer: FilerState, phase: FilerLifecycle, ctx: ActorContext): State;
  /**
   * Called on every subsystem (registration order) after the filer handled any event while it runs,
   * whoever consumed it: a subsystem notices here what another one finished during that event (the
   * file service answers the writes storage completed when the partner's NVRAM mirror ack came in).
   */
  afterEvent?(state: State, filer: FilerState, ctx: ActorContext): void;
  summarize?(state: State, filer: FilerState): SummaryFragment;
    /**
   * A system-log message while the machine has power: a hardware message (the timeline has it already)
   * or an EMS event logged by any subsystem (ontap/ems.ts). The subsystem that keeps the system log
   * (ONTAP's console: /etc/messages) records it; returns true when it also printed it on the console,
   * else the chassis prints a hardware message raw as firmware would.
   */
  systemLog?(state: State, filer: FilerState, message: HardwareMessage, ctx: ActorContext): boolean;
}

/** Typed access to another subsystem's slot (e.g. the console reading storage for `sysconfig -r`). */
export function subsystemState<State>(filer: FilerState, name: string): State | undefined {
  return filer.subsystems[name] as State | undefined;
}
