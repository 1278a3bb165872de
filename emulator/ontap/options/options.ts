// The filer's tunables (`options`), a module of their own that the console, HA, storage and CIFS all read
// (slot 'options'): the real product's names and defaults, then the lab file (FilerConfig.options),
// then what the operator set. Options survive a reboot, as the real ones (kept on the root volume) do.
import type { FilerState, FilerSubsystem } from '../../hardware/filer/subsystem.ts';

export const OPTIONS_SUBSYSTEM = 'options';

/** What the operator set with `options name value`, by name. */
export interface OptionsState {
  set: Record<string, string>;
}

/** The slot only holds values: it takes no events. */
export const optionsSubsystem: FilerSubsystem<OptionsState> = {
  name: OPTIONS_SUBSYSTEM,
  create: () => ({ set: {} }),
  handle: () => false,
};

function optionsOf(filer: FilerState): OptionsState {
  const slot = filer.subsystems[OPTIONS_SUBSYSTEM] as OptionsState | undefined;
  if (slot) return slot;
  // A filer built without the options subsystem (a test bench): the slot is made on first use.
  const made: OptionsState = { set: {} };
  filer.subsystems[OPTIONS_SUBSYSTEM] = made;
  return made;
}

export function isOption(name: string): boolean {
  return Object.hasOwn(OPTION_DEFAULTS, name);
}

export const OPTION_DEFAULTS: Readonly<Record<string, string>> = {
  'cf.giveback.auto.cifs.terminate.minutes': '5',
  'cf.giveback.auto.delay.seconds': '600',
  'cf.giveback.auto.enable': 'off',
  'cf.giveback.auto.terminate.bigjobs': 'on',
  'cf.giveback.check.partner': 'on',
  'cf.hw_assist.enable': 'on',
  'cf.takeover.change_fsid': 'on',
  'cf.takeover.countdown.seconds': '30',
  'cf.takeover.detection.seconds': '15',
  'cf.takeover.on_failure': 'on',
  'cf.takeover.on_network_interface_failure': 'off',
  'cf.takeover.on_network_interface_failure.policy': 'all_nics',
  'cf.takeover.on_panic': 'on',
  'cf.takeover.on_reboot': 'on',
  'cf.takeover.on_short_uptime': 'on',
  'cifs.idle_timeout': '1800',
  'cifs.oplocks.enable': 'on',
  'cifs.persistent_state': 'off',
  'cifs.tcp_window_size': '17520',
  'nfs.tcp.enable': 'on',
  'nfs.udp.xfersize': '32768',
  'nfs.v3.enable': 'on',
  'nfs.v4.enable': 'off',
  'raid.disktype.enable': 'off',
  'raid.reconstruct.perf_impact': 'medium',
  'raid.scrub.enable': 'on',
  'raid.timeout': '24',
  'timed.enable': 'on',
  'vif.failover.link_monitor': 'on',
  // The lab's, not the product's: seed 004 claim 13, spreading a node's addresses over its ports by load.
  'vif.balance.enable': 'off',
  'wafl.cp.interval.seconds': '10',
};

/**
 * Ranges of numeric options: `cf.takeover.detection.seconds` 10–180 is the product's (reference/ontap.md,
 * Timings); the others are the lab's bounds, not verified against the real product (docs/fidelity.md).
 */
export const OPTION_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  'cf.takeover.detection.seconds': [10, 180],
  'cf.takeover.countdown.seconds': [1, 3600],
  'raid.timeout': [1, 1000],
  'wafl.cp.interval.seconds': [1, 60],
};

/** Options that apply to both members of the pair (the product says so when one is changed). */
export function appliesToBothNodes(name: string): boolean {
  return name.startsWith('cf.') && name !== 'cf.hw_assist.enable';
}

/** Valid values of on/off options and of the few enumerations; numbers are checked by shape and range. */
function validValue(name: string, value: string): boolean {
  const current = OPTION_DEFAULTS[name];
  if (current === 'on' || current === 'off') return value === 'on' || value === 'off';
  if (/^\d+$/.test(current)) {
    if (!/^\d{1,9}$/.test(value)) return false;
    const range = OPTION_RANGES[name];
    return range === undefined || (Number(value) >= range[0] && Number(value) <= range[1]);
  }
  if (name === 'raid.reconstruct.perf_impact') return ['low', 'medium', 'high'].includes(value);
  return value.length > 0 && value.length <= 64;
}

/** The current value of an option, or undefined for a name the filer does not know. */
export function optionValue(filer: FilerState, name: string): string | undefined {
  if (!isOption(name)) return undefined;
  // One lookup per table, not a hasOwn and a read: some options are read after every event. A known
  // option's name is no Object.prototype property, and the tables hold strings only.
  return optionsOf(filer).set[name] ?? filer.config.options[name] ?? OPTION_DEFAULTS[name];
}

export function optionNumber(filer: FilerState, name: string, fallback: number): number {
  const value = Number(optionValue(filer, name));
  return Number.isFinite(value) ? value : fallback;
}


/** Sets an option as the operator does; says why not when the name or value is wrong. */
export function setOption(filer: FilerState, name: string, value: string): 'ok' | 'unknown' | 'invalid' {
  if (!isOption(name)) return 'unknown';
  if (!validValue(name, value)) return 'invalid';
  optionsOf(filer).set[name] = value;
  return 'ok';
}
