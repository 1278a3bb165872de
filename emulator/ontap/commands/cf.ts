// `cf`: the HA pair's controls (DESIGN.md §5, reference: cf status/partner/monitor/enable/disable).
// Status comes from what the console can see today: the partner's name from the configuration and the
// interconnect links. takeover/giveback are placeholders until the HA subsystem registers its own.
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { dateText } from '../console/clock.ts';
import { consoleStateOf } from '../console/state.ts';

/** The console keeps `cf enable|disable` here until the HA subsystem owns it. */
export const CF_ENABLED_KEY = 'cf.enabled';

export function cfEnabled(ctx: CommandContext): boolean {
  return (consoleStateOf(ctx.filer)?.options[CF_ENABLED_KEY] ?? 'on') === 'on';
}

function interconnectLinks(ctx: CommandContext): { port: string; up: boolean }[] {
  return ctx.filer.config.interconnectPorts.map((port) => ({ port, up: ctx.actor.linkUp(port) }));
}

/** The lines of `cf status`, from the configuration and the interconnect. */
export function cfStatusLines(ctx: CommandContext): string[] {
  const partner = ctx.filer.config.partner;
  if (partner === undefined) return ['Cluster not configured: this filer has no HA partner.'];
  if (!cfEnabled(ctx)) return ['Cluster disabled.'];
  const links = interconnectLinks(ctx);
  const upCount = links.filter((link) => link.up).length;
  if (links.length === 0) return [`Cluster enabled, ${partner} status unknown.`, 'Interconnect not present.'];
  if (upCount === 0) return [`Cluster enabled, ${partner} status unknown.`, 'Interconnect is down.'];
  const lines = [`Cluster enabled, ${partner} is up.`];
  for (const link of links.filter((candidate) => !candidate.up)) lines.push(`Interconnect link ${link.port} is down.`);
  return lines;
}

function placeholder(name: string, usage: string, what: string): CommandDefinition {
  return {
    name,
    synopsis: what,
    usage: [usage],
    privilege: 'admin',
    placeholder: true,
    run(_args, ctx) {
      ctx.print(`${name}: the HA subsystem is not running on this filer yet; ${what} is not available.`);
      return 'done';
    },
  };
}

const CF_SUBCOMMANDS = ['status', 'partner', 'monitor', 'enable', 'disable', 'takeover', 'forcetakeover', 'giveback', 'forcegiveback', 'hw_assist'];

export const cfCommands: readonly CommandDefinition[] = [
  {
    name: 'cf',
    synopsis: 'controls the takeover and giveback operations of the filer in a cluster',
    usage: [`cf { ${CF_SUBCOMMANDS.join(' | ')} }`],
    privilege: 'admin',
    run(_args, ctx) {
      return ctx.usage();
    },
  },
  {
    name: 'cf status',
    synopsis: 'show the state of the HA pair',
    usage: ['cf status [-t]'],
    privilege: 'admin',
    placeholder: true,
    completions: ['-t'],
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && args[0] !== '-t')) return ctx.usage();
      ctx.printLines(cfStatusLines(ctx));
      return 'done';
    },
  },
  {
    name: 'cf partner',
    synopsis: "show the partner's name",
    usage: ['cf partner'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      ctx.print(ctx.filer.config.partner ?? 'cf: this filer has no HA partner');
      return 'done';
    },
  },
  {
    name: 'cf monitor',
    synopsis: 'show the failover monitor in detail',
    usage: ['cf monitor [all]'],
    privilege: 'admin',
    placeholder: true,
    completions: ['all'],
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && args[0] !== 'all')) return ctx.usage();
      const partner = ctx.filer.config.partner ?? 'none';
      const links = interconnectLinks(ctx);
      ctx.printLines([
        `    current time: ${dateText(ctx.now)}`,
        `  UP, partner '${partner}', cluster monitor ${cfEnabled(ctx) ? 'enabled' : 'disabled'}`,
        `    VIA Interconnect is ${links.some((link) => link.up) ? 'up' : 'down'} (${links.map((link) => `${link.port} ${link.up ? 'up' : 'down'}`).join(', ') || 'no links'})`,
        '    failover monitor: the HA subsystem is not running yet (no heartbeat, no takeover)',
      ]);
      return 'done';
    },
  },
  ...(['enable', 'disable'] as const).map((verb): CommandDefinition => ({
    name: `cf ${verb}`,
    synopsis: `${verb} takeover and giveback for the pair`,
    usage: [`cf ${verb}`],
    privilege: 'admin',
    placeholder: true,
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      const state = consoleStateOf(ctx.filer);
      if (state) state.options[CF_ENABLED_KEY] = verb === 'enable' ? 'on' : 'off';
      ctx.ems('cf.misc.operatorEnable', 'info', `Cluster failover ${verb}d by the operator.`);
      return 'done';
    },
  })),
  placeholder('cf takeover', 'cf takeover [-f] [-n]', 'takeover'),
  placeholder('cf forcetakeover', 'cf forcetakeover [-d] [-f]', 'forced takeover'),
  placeholder('cf giveback', 'cf giveback [-f]', 'giveback'),
  placeholder('cf forcegiveback', 'cf forcegiveback', 'forced giveback'),
  placeholder('cf hw_assist', 'cf hw_assist { status | test | stats [clear] }', 'hardware-assisted takeover'),
];
