// `options`: show or set the filer's tunables (ontap/options/options.ts keeps them; HA, storage and CIFS
// read them there).
import type { CommandDefinition } from '../console/command.ts';
import { haEnvDuringEvent } from '../ha/ha-env.ts';
import { operatorPairOption } from '../ha/operator.ts';
import { appliesToBothNodes, OPTION_DEFAULTS, OPTION_RANGES, optionValue, setOption } from '../options/options.ts';

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
      const outcome = setOption(ctx.filer, name, value);
      if (outcome === 'unknown') {
        ctx.print(`options: No such option: ${name}`);
        return 'done';
      }
      if (outcome === 'invalid') {
        const range = OPTION_RANGES[name];
        ctx.print(range && /^\d+$/.test(value)
          ? `options: ${name}: value ${value} is out of range; it must be between ${range[0]} and ${range[1]}.`
          : `options: invalid value '${value}' for ${name}`);
        return 'done';
      }
      const pair = appliesToBothNodes(name) && ctx.filer.config.partner !== undefined;
      if (pair) {
        ctx.printLines([
          `You are changing option ${name} which applies to both members of`,
          'the cluster in takeover mode.',
          'This value must be the same in both cluster members prior to any takeover',
          'or giveback, or that next takeover/giveback may not work correctly.',
        ]);
      }
      ctx.ems('mgr.opt.changed', 'info', `Option ${name} changed to ${value}.`);
      if (pair) {
        // The pair's options are set on the partner too, over the interconnect.
        const env = haEnvDuringEvent(ctx.filer, ctx.actor);
        if (!env || !operatorPairOption(env, name, value)) {
          ctx.print(`options: the partner ${ctx.filer.config.partner} cannot be reached over the interconnect: set ${name} there too.`);
        }
      }
      return 'done';
    },
  },
];
