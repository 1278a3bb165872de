// Power and the fault catalogue of a filer chassis (DESIGN.md §3): what each injected fault does to the
// hardware. What the OS makes of it (a negotiated takeover on overtemp, a shutdown on a dead battery)
// is the failover monitor's business: it hears the fault input after the chassis applied it.
import type { ActorContext, ActorInput, EmsSeverity, PortName } from '../../engine/actor.ts';
import {
  FILER_FAULTS,
  NORMAL_TEMPERATURE_C,
  OVERTEMP_TEMPERATURE_C,
  FAN_FAILED_EXTRA_C,
  type FilerFault,
} from './chassis.ts';
import { publishChassisView } from './chassis-view.ts';
import { offerSystemLog } from './active-subsystems.ts';
import type { FilerLifecycle, FilerState } from './subsystem.ts';

export interface FaultOutcome {
  /** A lifecycle phase to raise to the subsystems. */
  readonly raise?: FilerLifecycle;
  /** The chassis restarts (a panic cleared). */
  readonly reboot?: boolean;
}

type FaultInput = Extract<ActorInput, { kind: 'fault' | 'clear' }>;

/** How long a panicked filer dumps core before it resets itself; then it boots as after a reset. */
export const PANIC_DUMP_US = 5_000_000;
export const PANIC_REBOOT_TIMER = 'chassis.panic-reboot';

/** Port faults name the port: `fault filerA:e0a down` arrives as fault 'down' with args ['e0a']. */
export const PORT_FAULTS = ['down'] as const;

export function isFilerFault(kind: string): kind is FilerFault {
  return (FILER_FAULTS as readonly string[]).includes(kind);
}

export function powerOnChassis(state: FilerState, ctx: ActorContext): void {
  const chassis = state.chassis;
  chassis.power = 'on';
  chassis.boot = 'firmware';
  chassis.powerCycles += 1;
  chassis.panicReason = null;
  // A hang does not survive a power cycle; physical faults (fan, psu, battery, heat) do.
  chassis.faults = chassis.faults.filter((f) => f !== 'hang' && f !== 'panic');
  for (const port of Object.keys(chassis.ports)) refreshPort(state, port, ctx);
  publishChassisView(state, ctx);
}

export function powerOffChassis(state: FilerState, ctx: ActorContext): void {
  const chassis = state.chassis;
  chassis.power = 'off';
  chassis.boot = 'off';
  chassis.heldWhileHung = []; // what a hung machine missed dies with its power
  chassis.shelfEnvironment = {}; // the adapters' SES pages too: a shelf with a fault says so again at link up
  for (const port of Object.keys(chassis.ports)) refreshPort(state, port, ctx);
  // NVRAM holds its contents on its battery; with a bad battery they are gone.
  if (!chassis.nvram.batteryOk) {
    const lost = chassis.nvram.local.entries.length + chassis.nvram.partner.entries.length > 0;
    chassis.nvram.wipedAtPowerOff = lost ? { local: chassis.nvram.local.entries, partner: chassis.nvram.partner.entries } : null;
    chassis.nvram.local = { entries: [], bytes: 0 };
    chassis.nvram.partner = { entries: [], bytes: 0 };
    chassis.nvram.contentsLost = chassis.nvram.contentsLost || lost;
  }
  publishChassisView(state, ctx);
}

/** A port's transceiver is on when the chassis has power and neither a fault nor the OS holds it down. */
export function refreshPort(state: FilerState, port: PortName, ctx: ActorContext): void {
  const chassisPort = state.chassis.ports[port];
  if (!chassisPort) return;
  const enabled = state.chassis.power === 'on' && !chassisPort.faulted && !chassisPort.adminDown;
  chassisPort.enabled = enabled;
  ctx.setPortEnabled(port, enabled);
  chassisPort.link = enabled && ctx.linkUp(port);
}

/** `ifconfig e0a down|up` (the OS): takes the port's transceiver down or up. */
export function setPortAdminUp(state: FilerState, port: PortName, up: boolean, ctx: ActorContext): boolean {
  const chassisPort = state.chassis.ports[port];
  if (!chassisPort) return false;
  chassisPort.adminDown = !up;
  refreshPort(state, port, ctx);
  publishChassisView(state, ctx);
  return true;
}

export function applyChassisFault(state: FilerState, input: FaultInput, ctx: ActorContext): FaultOutcome {
  const chassis = state.chassis;
  if (input.fault === 'down') return setPortFault(state, input.args[0], true, ctx);
  if (!isFilerFault(input.fault) || chassis.faults.includes(input.fault)) return {};
  if (chassis.power === 'off' && (input.fault === 'panic' || input.fault === 'hang')) return {};
  chassis.faults.push(input.fault);
  switch (input.fault) {
    case 'panic':
      chassis.boot = 'panicked';
      chassis.panicReason = input.args.join(' ') || 'Fault injected by the lab operator';
      hardwareMessage(state, ctx, 'kern.panic', 'emergency', `PANIC: ${chassis.panicReason}`);
      // A panicked filer dumps core and resets itself (filer-actor.ts takes the timer).
      ctx.setTimer(PANIC_DUMP_US, { kind: PANIC_REBOOT_TIMER, cycle: chassis.powerCycles });
      return { raise: 'panic' };
    case 'hang':
      // Hung already: a second hang must not remember 'hung' as the state to resume to.
      if (chassis.boot === 'hung') return {};
      chassis.bootBeforeHang = chassis.boot;
      chassis.boot = 'hung';
      return { raise: 'hang' };
    case 'nvram-battery':
      chassis.nvram.batteryOk = false;
      hardwareMessage(state, ctx, 'nvram.battery.low', 'alert', 'NVRAM battery is low. Replace the battery: the NVRAM contents will not survive a power loss.');
      return {};
    case 'overtemp':
      recomputeSensors(state);
      hardwareMessage(state, ctx, 'monitor.chassisTemperature.warn', 'critical', `Chassis temperature is too high: ${OVERTEMP_TEMPERATURE_C}C.`);
      return {};
    case 'fan':
      recomputeSensors(state);
      hardwareMessage(state, ctx, 'monitor.chassisFan.failed', 'error', 'Chassis fan 1 has failed.');
      return {};
    case 'psu':
      recomputeSensors(state);
      hardwareMessage(state, ctx, 'monitor.chassisPowerSupply.degraded', 'warning', 'Power supply 1 has failed; the system runs on one power supply.');
      return {};
  }
}

export function applyChassisClear(state: FilerState, input: FaultInput, ctx: ActorContext): FaultOutcome {
  const chassis = state.chassis;
  if (input.fault === 'down') return setPortFault(state, input.args[0], false, ctx);
  if (!isFilerFault(input.fault) || !chassis.faults.includes(input.fault)) return {};
  chassis.faults = chassis.faults.filter((f) => f !== input.fault);
  switch (input.fault) {
    case 'panic':
      // Clearing a panic is pressing reset: the machine starts over from its firmware.
      return chassis.boot === 'panicked' ? { reboot: true } : {};
    case 'hang':
      if (chassis.boot !== 'hung') return {};
      chassis.boot = chassis.bootBeforeHang ?? 'running';
      chassis.bootBeforeHang = null;
      return { raise: 'resume' };
    case 'nvram-battery':
      chassis.nvram.batteryOk = true;
      hardwareMessage(state, ctx, 'nvram.battery.ok', 'info', 'NVRAM battery is charged.');
      return {};
    case 'overtemp':
    case 'fan':
      recomputeSensors(state);
      hardwareMessage(state, ctx, 'monitor.chassis.ok', 'info', input.fault === 'fan' ? 'Chassis fan 1 is spinning again.' : 'Chassis temperature is back to normal.');
      return {};
    case 'psu':
      recomputeSensors(state);
      hardwareMessage(state, ctx, 'monitor.chassisPowerSupply.ok', 'info', 'Power supply 1 is delivering power.');
      return {};
  }
}

/** Sensors follow the faults: a dead fan warms the chassis a little, overtemp a lot. */
function recomputeSensors(state: FilerState): void {
  const { faults, sensors } = state.chassis;
  sensors.fans[0] = !faults.includes('fan');
  sensors.psus[0] = !faults.includes('psu');
  const base = faults.includes('overtemp') ? OVERTEMP_TEMPERATURE_C : NORMAL_TEMPERATURE_C;
  sensors.temperatureC = base + (faults.includes('fan') ? FAN_FAILED_EXTRA_C : 0);
}

function setPortFault(state: FilerState, port: string | undefined, faulted: boolean, ctx: ActorContext): FaultOutcome {
  if (port === undefined) return {};
  const chassisPort = state.chassis.ports[port];
  if (!chassisPort || chassisPort.faulted === faulted) return {};
  chassisPort.faulted = faulted;
  refreshPort(state, port, ctx);
  hardwareMessage(state, ctx, faulted ? 'net.link.down' : 'net.link.up', faulted ? 'error' : 'info', `Port ${port}: hardware ${faulted ? 'failure, link down' : 'repaired'}.`);
  return {};
}

/**
 * A message from the hardware: on the timeline, and on the serial console while the machine has power.
 * The OS (the subsystem that keeps the system log) logs and prints it; a hung CPU or a machine with no
 * such subsystem leaves it to the chassis, which prints it raw.
 */
export function hardwareMessage(state: FilerState, ctx: ActorContext, source: string, severity: EmsSeverity, text: string): void {
  ctx.ems(source, severity, text);
  if (state.chassis.power !== 'on') return;
  const printed = state.chassis.boot !== 'hung' && offerSystemLog(state, { source, severity, text }, ctx);
  if (!printed) ctx.console(`\r\n[${state.self}: ${source}:${severity}]: ${text}\r\n`);
}
