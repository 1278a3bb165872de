// The filer actor: the chassis handles power, hardware faults, ports and sensors, and passes every other
// event to the software subsystems (ONTAP's console, storage, HA…) in registration order.
//
// Boot: power on takes the chassis to 'firmware' and raises 'power-on'. A subsystem that says
// `drivesBoot` (ONTAP's console) then owns the rest: the loader prompt, `boot_ontap`, 'os-boot'. With
// no such subsystem the chassis boots by itself: a warm lab goes to 'running' (raising 'os-boot') at
// once at lab start and after the firmware delay on a later power on or reset, a cold one stops at
// 'loader'. So a lab with no console still powers on and runs.
//
// What subsystems see: nothing while the filer is off or hung (a hung CPU does no work: heartbeats stop;
// the timers and carrier changes it missed come when it resumes, the frames are lost); otherwise every
// message, timer, link change and console input the chassis does not consume, and also the fault/clear
// inputs after the chassis applied them, so the failover monitor hears of a fault at once.
import type { ActorBehavior, ActorContext, ActorEvent, ActorId } from '../../engine/actor.ts';
import { deepMerge } from '../../engine/summary.ts';
import { createChassis, type BootState, type FilerConfig } from './chassis.ts';
import { applyChassisClear, applyChassisFault, hardwareMessage, PANIC_REBOOT_TIMER, powerOffChassis, powerOnChassis } from './chassis-faults.ts';
import { faultLed, publishChassisView } from './chassis-view.ts';
import { viewPaths } from '../view-paths.ts';
import { SHELF_ENVIRONMENT_REPORT_KIND, type ShelfEnvironmentReportFrame } from '../scsi.ts';
import { shelfEnvironmentReported } from './shelf-environment.ts';
import { activeList, enterSubsystems, leaveSubsystems } from './active-subsystems.ts';
import type { FilerLifecycle, FilerState, FilerSubsystem, SummaryFragment } from './subsystem.ts';

export type { FilerState } from './subsystem.ts';

/**
 * A subsystem of any state type: each keeps its own state, so the list is heterogeneous (the state type is
 * both produced and consumed, hence `any` rather than `unknown`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFilerSubsystem = FilerSubsystem<any>;

/** A subsystem that drives the boot sequence (the console) says so with this flag. */
export interface BootDriver {
  readonly drivesBoot?: boolean;
}

export function createFilerBehavior(subsystems: readonly AnyFilerSubsystem[]): ActorBehavior<FilerState, FilerConfig> {
  const names = new Set(subsystems.map((s) => s.name));
  if (names.size !== subsystems.length) throw new Error('filer subsystems must have distinct names');
  const list = [...subsystems];
  return {
    kind: 'filer',
    ports: (config) => [
      ...config.fcPorts.map((p) => p.port),
      ...config.ethernetPorts.map((p) => p.port),
      ...config.interconnectPorts,
    ],
    create: (config, self) => createFilerState(list, config, self),
    handle(state, event, ctx) {
      enterSubsystems(list);
      try {
        handleFilerEvent(list, state, event, ctx);
        afterEvent(list, state, ctx);
      } finally {
        leaveSubsystems();
      }
    },
    summarize: (state) => summarizeFiler(list, state),
  };
}

function createFilerState(list: readonly FilerSubsystem[], config: FilerConfig, self: ActorId): FilerState {
  const subsystems: Record<string, unknown> = {};
  for (const subsystem of list) subsystems[subsystem.name] = subsystem.create(config, self);
  return { self, config, chassis: createChassis(config), subsystems };
}

function handleFilerEvent(list: readonly FilerSubsystem[], state: FilerState, event: ActorEvent, ctx: ActorContext): void {
  const chassis = state.chassis;
  switch (event.type) {
    case 'start':
      powerOn(state, ctx);
      return;
    case 'input': {
      const input = event.input;
      if (input.kind === 'power') {
        if (input.on && chassis.power === 'off') powerOn(state, ctx);
        if (!input.on && chassis.power === 'on') powerOff(state, ctx);
        return;
      }
      if (input.kind === 'fault' || input.kind === 'clear') {
        const outcome = input.kind === 'fault' ? applyChassisFault(state, input, ctx) : applyChassisClear(state, input, ctx);
        if (outcome.raise) raiseLifecycle(state, outcome.raise, ctx);
        if (outcome.reboot) rebootChassis(state, ctx);
        publishChassisView(state, ctx);
        if (chassis.power === 'on' && chassis.boot !== 'hung') offerToSubsystems(list, state, event, ctx);
        if (outcome.raise === 'resume') deliverHeldWhileHung(list, state, ctx);
        return;
      }
      break;
    }
    case 'link': {
      const port = chassis.ports[event.port];
      if (port) port.link = event.up;
      ctx.publish(viewPaths.portLink(state.self, event.port), event.up);
      // Carrier lost or back is worth a line on the timeline (a pulled cable, a far end powered off).
      if (port && chassis.power === 'on' && port.enabled) linkMessage(state, event.port, event.up, ctx);
      break;
    }
    case 'timer':
      if (event.payload.kind === 'chassis.boot') {
        // A boot timer from before a power cycle is stale.
        if (event.payload['cycle'] === chassis.powerCycles) finishFirmware(list, state, ctx);
        return;
      }
      if (event.payload.kind === PANIC_REBOOT_TIMER) {
        // The core dump is written: the filer resets itself, which clears the panic as pressing reset does.
        if (event.payload['cycle'] !== chassis.powerCycles || chassis.boot !== 'panicked') return;
        hardwareMessage(state, ctx, 'kern.core.dumped', 'notice', 'Core dump complete; rebooting.');
        // Bounded: the product keeps the dumps it saved in /etc/crash until they are deleted.
        chassis.coreDumps = [...(chassis.coreDumps ?? []), { atUs: ctx.now, reason: chassis.panicReason ?? 'unknown' }].slice(-16);
        handleFilerEvent(list, state, { type: 'input', input: { kind: 'clear', fault: 'panic', args: [] } }, ctx);
        return;
      }
      break;
    case 'message':
      // The FC adapter keeps what the shelves' enclosure services say, whatever the OS is doing.
      if (event.payload.kind === SHELF_ENVIRONMENT_REPORT_KIND && chassis.power === 'on' && chassis.ports[event.port]?.kind === 'fc') {
        shelfEnvironmentReported(state, event.port, event.payload as unknown as ShelfEnvironmentReportFrame, ctx);
        return;
      }
      break;
  }
  if (chassis.power === 'off') return;
  if (chassis.boot === 'hung') {
    if (event.type === 'timer' || event.type === 'link') (chassis.heldWhileHung ??= []).push(event);
    return;
  }
  offerToSubsystems(list, state, event, ctx);
}

/** The machine resumed from a hang: the timers and carrier changes it missed, late and in order. */
function deliverHeldWhileHung(list: readonly FilerSubsystem[], state: FilerState, ctx: ActorContext): void {
  const held = state.chassis.heldWhileHung ?? [];
  state.chassis.heldWhileHung = [];
  for (const event of held) {
    if (state.chassis.power === 'off' || state.chassis.boot === 'hung') return;
    offerToSubsystems(list, state, event, ctx);
    afterEvent(list, state, ctx);
  }
}

/** Lets each subsystem see what the others did during the event (see FilerSubsystem.afterEvent). */
function afterEvent(list: readonly FilerSubsystem[], state: FilerState, ctx: ActorContext): void {
  if (state.chassis.power === 'off' || state.chassis.boot === 'hung') return;
  for (const subsystem of list) subsystem.afterEvent?.(state.subsystems[subsystem.name], state, ctx);
}

function linkMessage(state: FilerState, port: string, up: boolean, ctx: ActorContext): void {
  const fc = state.config.fcPorts.some((p) => p.port === port);
  const source = fc ? (up ? 'fci.link.up' : 'fci.link.break') : up ? 'netif.linkUp' : 'netif.linkDown';
  // Ethernet in the product's words (`Ethernet e0a: Link down, check cable.`, `Ethernet e0a: Link up.`).
  const text = fc ? `Fibre Channel adapter ${port}: link ${up ? 'up' : 'break detected'}.` : `Ethernet ${port}: Link ${up ? 'up.' : 'down, check cable.'}`;
  hardwareMessage(state, ctx, source, up ? 'info' : 'error', text);
}

function offerToSubsystems(list: readonly FilerSubsystem[], state: FilerState, event: ActorEvent, ctx: ActorContext): void {
  for (const subsystem of list) {
    if (subsystem.handle(state.subsystems[subsystem.name], state, event, ctx)) return;
  }
}

/** Time from power on to the loader prompt (power-on self test). */
export const FIRMWARE_US = 2_000_000;

function powerOn(state: FilerState, ctx: ActorContext): void {
  powerOnChassis(state, ctx);
  raiseLifecycle(state, 'power-on', ctx);
  // A warm lab is serving at time 0: no self test to wait for.
  const warmStart = state.config.start === 'warm' && state.chassis.powerCycles === 1;
  if (warmStart) finishFirmware(activeList(), state, ctx);
  else ctx.setTimer(FIRMWARE_US, { kind: 'chassis.boot', cycle: state.chassis.powerCycles });
}

function powerOff(state: FilerState, ctx: ActorContext): void {
  powerOffChassis(state, ctx);
  raiseLifecycle(state, 'power-off', ctx);
}

/**
 * A reset (clearing a panic): the OS restarts as after power on, NVRAM kept (the battery holds it).
 * Subsystems hear 'reset', so the boot driver (the console) runs the firmware and autoboots.
 */
function rebootChassis(state: FilerState, ctx: ActorContext): void {
  setBootState(state, 'firmware', ctx);
  raiseLifecycle(state, 'reset', ctx);
  ctx.setTimer(FIRMWARE_US, { kind: 'chassis.boot', cycle: state.chassis.powerCycles });
}

function finishFirmware(list: readonly FilerSubsystem[], state: FilerState, ctx: ActorContext): void {
  if (state.chassis.power === 'off' || state.chassis.boot !== 'firmware') return;
  if (list.some((s) => (s as BootDriver).drivesBoot)) return;
  // The loader autoboots a warm-configured filer (after power on or a reset); a cold one waits at it.
  if (state.config.start === 'cold') {
    setBootState(state, 'loader', ctx);
    return;
  }
  setBootState(state, 'booting', ctx);
  raiseLifecycle(state, 'os-boot', ctx);
  setBootState(state, 'running', ctx);
}

/**
 * Raises a lifecycle phase to every subsystem, in registration order. The chassis raises the hardware
 * phases; the console subsystem raises 'os-boot' and 'os-halt' (call it from inside handle/lifecycle).
 */
export function raiseLifecycle(filer: FilerState, phase: FilerLifecycle, ctx: ActorContext): void {
  for (const subsystem of activeList()) {
    if (!subsystem.lifecycle) continue;
    filer.subsystems[subsystem.name] = subsystem.lifecycle(filer.subsystems[subsystem.name], filer, phase, ctx);
  }
}

/**
 * The OS panics by itself at a point of its own code (a lab script's `panic-at`): the chassis goes as
 * it does for `fault <filer> panic`, with the reason given. Call it from inside a subsystem's handler;
 * the caller must then stop, as the code after a real panic never runs.
 */
export function panicFromSoftware(filer: FilerState, reason: string, ctx: ActorContext): void {
  const outcome = applyChassisFault(filer, { kind: 'fault', fault: 'panic', args: [reason] }, ctx);
  if (outcome.raise) raiseLifecycle(filer, outcome.raise, ctx);
  publishChassisView(filer, ctx);
}

/** Moves the boot state (the console subsystem drives loader → booting → running → halted). */
export function setBootState(filer: FilerState, boot: BootState, ctx: ActorContext): void {
  if (filer.chassis.boot === boot) return;
  filer.chassis.boot = boot;
  ctx.publish(viewPaths.filerState(filer.self), boot);
  ctx.publish(viewPaths.faultLed(filer.self), faultLed(filer.chassis));
}

function summarizeFiler(list: readonly FilerSubsystem[], state: FilerState): SummaryFragment {
  const chassis = state.chassis;
  const own: Record<string, unknown> = {
    power: chassis.power,
    state: chassis.boot,
    faults: [...chassis.faults],
    nvramBattery: chassis.nvram.batteryOk ? 'ok' : 'low',
    temperatureC: chassis.sensors.temperatureC,
    ports: Object.fromEntries(Object.entries(chassis.ports).map(([name, p]) => [name, { link: p.link, enabled: p.enabled }])),
  };
  // Arrays add up (engine's deepMerge): each subsystem reports its own `violations`, and the last one
  // merged must not hide the others'.
  const summary: SummaryFragment = { filers: { [state.self]: own } };
  for (const subsystem of list) {
    if (subsystem.summarize) deepMerge(summary, subsystem.summarize(state.subsystems[subsystem.name], state));
  }
  return summary;
}
