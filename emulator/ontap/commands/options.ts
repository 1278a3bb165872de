// `options`: the filer's tunables with the real product's names and defaults. Values come from the
// defaults below, then the lab file (FilerConfig.options), then what the operator set on the console.
// Other subsystems read them with `optionValue` (e.g. HA's cf.takeover.detection.seconds).
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { CommandDefinition } from '../console/command.ts';
import { consoleStateOf } from '../console/state.ts';

export const OPTION_DEFAULTS: Readonly<Record<string, string>> = {
  'cf.giveback.auto.cifs.terminate.minutes': '5',
  'cf.giveback.auto.delay.seconds': '600',
  'cf.giveback.auto.enable': 'off',
  'cf.giveback.auto.terminate.bigjobs': 'on',
  'cf.giveback.check.partner': 'on',
  'cf.hw_assist.enable': 'on',
  'cf.takeover.change_fsid': 'on',
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
  'wafl.cp.interval.seconds': '10',
};

/** Valid values of on/off options and of the few enumerations; numbers are checked by shape. */
function validValue(name: string, value: string): boolean {
  const current = OPTION_DEFAULTS[name];
  if (current === 'on' || current === 'off') return value === 'on' || value === 'off';
  if (/^\d+$/.test(current)) return /^\d{1,9}$/.test(value);
  if (name === 'raid.reconstruct.perf_impact') return ['low', 'medium', 'high'].includes(value);
  return value.length > 0 && value.length <= 64;
}

/** The current value of an option, or undefined for a name the filer does not know. */
export function optionValue(filer: FilerState, name: string): string | undefined {
  if (!(name in OPTION_DEFAULTS)) return undefined;
  return consoleStateOf(filer)?.options[name] ?? filer.config.options[name] ?? OPTION_DEFAULTS[name];
}

export function optionNumber(filer: FilerState, name: string, fallback: number): number {
  const value = Number(optionValue(filer, name));
  return Number.isFinite(value) ? value : fallback;
}

export const optionsCommands: readonly CommandDefinition[] = [
  {
    name: 'options',
    synopsis: 'display or set system options',
    usage: ['options [<option name> [<value>]]'],
    privilege: 'admin',
    completions: ['cf', 'cifs', 'nfs', 'raid', 'wafl', ...Object.keys(OPTION_DEFAULTS)],
    run(args, ctx) {
      if (args.length > 2) return ctx.usage();
      const names = Object.keys(OPTION_DEFAULTS).sort();
      if (args.length <= 1) {
        const prefix = args[0] ?? '';
        const shown = names.filter((name) => name === prefix || prefix === '' || name.startsWith(`${prefix}.`) || name.startsWith(prefix));
        if (shown.length === 0) {
          ctx.print(`options: No such option: ${prefix}`);
          return 'done';
        }
        for (const name of shown) ctx.print(`${name.padEnd(45)} ${optionValue(ctx.filer, name)}`);
        return 'done';
      }
      const [name, value] = args;
      if (!(name in OPTION_DEFAULTS)) {
        ctx.print(`options: No such option: ${name}`);
        return 'done';
      }
      if (!validValue(name, value)) {
        ctx.print(`options: invalid value '${value}' for ${name}`);
        return 'done';
      }
      const state = consoleStateOf(ctx.filer);
      if (state) state.options[name] = value;
      ctx.ems('mgr.opt.changed', 'info', `Option ${name} changed to ${value}.`);
      return 'done';
    },
  },
];
