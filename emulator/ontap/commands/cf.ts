// `cf`: the HA pair's controls (DESIGN.md §5; reference: ontap.md). The commands are thin: HA decides
// (ha/operator.ts) and says what to print; status and monitor lines come from ha/status.ts.
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import { haEnvDuringEvent } from '../ha/ha-env.ts';
import { operatorEnable, operatorForceTakeover, operatorGiveback, operatorTakeover, type OperatorAnswer } from '../ha/operator.ts';
import { cfMonitorLines, cfStatusLines } from '../ha/status.ts';
import type { HaEnv } from '../ha/ha-env.ts';

const FORCE_QUESTION = 'cf forcetakeover may lead to data corruption; really force a takeover? ';

function withHa(ctx: CommandContext, act: (env: HaEnv) => OperatorAnswer): CommandOutcome {
  const env = haEnvDuringEvent(ctx.filer, ctx.actor);
  if (env === null || ctx.filer.config.partner === undefined) {
    ctx.print('cf: this filer is not in an HA pair.');
    return 'done';
  }
  ctx.printLines(act(env).lines);
  return 'done';
}

function onlyFlags(args: readonly string[], allowed: readonly string[]): boolean {
  return args.every((arg) => allowed.includes(arg));
}

const CF_SUBCOMMANDS = ['status', 'partner', 'monitor', 'enable', 'disable', 'takeover', 'forcetakeover', 'giveback', 'forcegiveback', 'hw_assist'];

export const cfCommands: readonly CommandDefinition[] = [
  {
    name: 'cf',
    synopsis: 'controls the takeover and giveback operations of the filer in a cluster',
    usage: [`cf { ${CF_SUBCOMMANDS.join(' | ')} }`],
    privilege: 'admin',
    run: (_args, ctx) => ctx.usage(),
  },
  {
    name: 'cf status',
    synopsis: 'show the state of the HA pair',
    usage: ['cf status [-t]'],
    privilege: 'admin',
    completions: ['-t'],
    run(args, ctx) {
      if (!onlyFlags(args, ['-t']) || args.length > 1) return ctx.usage();
      ctx.printLines(cfStatusLines(ctx.filer, ctx.actor));
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
    completions: ['all'],
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && args[0] !== 'all')) return ctx.usage();
      ctx.printLines(cfMonitorLines(ctx.filer, ctx.actor, args[0] === 'all'));
      return 'done';
    },
  },
  ...(['enable', 'disable'] as const).map((verb): CommandDefinition => ({
    name: `cf ${verb}`,
    synopsis: `${verb} takeover and giveback for the pair`,
    usage: [`cf ${verb}`],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      return withHa(ctx, (env) => operatorEnable(env, verb === 'enable'));
    },
  })),
  {
    name: 'cf takeover',
    synopsis: 'take over the partner gracefully: it shuts down, then this filer serves both identities',
    usage: ['cf takeover [-f] [-n]'],
    privilege: 'admin',
    completions: ['-f', '-n'],
    run(args, ctx) {
      if (!onlyFlags(args, ['-f', '-n'])) return ctx.usage();
      if (args.includes('-n')) ctx.print('cf: -n (nondisruptive upgrade) has no effect: both filers run the same release.');
      return withHa(ctx, operatorTakeover);
    },
  },
  {
    name: 'cf forcetakeover',
    synopsis: 'take over the partner even if it is not down or its NVRAM is not in sync',
    usage: ['cf forcetakeover [-d] [-f]'],
    privilege: 'admin',
    completions: ['-d', '-f'],
    run(args, ctx) {
      if (!onlyFlags(args, ['-d', '-f'])) return ctx.usage();
      if (args.includes('-f')) return withHa(ctx, operatorForceTakeover);
      return ctx.ask(FORCE_QUESTION, { kind: 'cf.forcetakeover' });
    },
    answer(answer, _resume, ctx) {
      if (!/^y(es)?$/i.test(answer)) {
        ctx.print('cf: forcetakeover aborted.');
        return 'done';
      }
      return withHa(ctx, operatorForceTakeover);
    },
  },
  {
    name: 'cf giveback',
    synopsis: "return the partner's identity and storage to it",
    usage: ['cf giveback [-f]'],
    privilege: 'admin',
    completions: ['-f'],
    run(args, ctx) {
      if (!onlyFlags(args, ['-f'])) return ctx.usage();
      return withHa(ctx, (env) => operatorGiveback(env, args.includes('-f')));
    },
  },
  {
    name: 'cf forcegiveback',
    synopsis: 'give back even if the partner is not waiting for it (data may be lost)',
    usage: ['cf forcegiveback'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      return withHa(ctx, (env) => operatorGiveback(env, true));
    },
  },
  {
    name: 'cf hw_assist',
    synopsis: 'hardware-assisted takeover (not in this lab: no service processor)',
    usage: ['cf hw_assist { status | test | stats [clear] }'],
    privilege: 'admin',
    run(_args, ctx) {
      ctx.print('cf hw_assist: hardware-assisted takeover is not available: these filers have no service processor.');
      return 'done';
    },
  },
];
