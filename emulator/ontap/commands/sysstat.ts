// `sysstat [-c count] [interval]`: one line per interval until Ctrl-C (or count lines). The counters
// come from the file service and storage once they publish them; until then CPU shows the console's
// own small load and the rest are zeros.
import type { Payload } from '../../engine/actor.ts';
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';

const HEADER = [
  ' CPU    NFS   CIFS   HTTP      Net kB/s     Disk kB/s    Tape kB/s  Cache',
  '                                in   out    read  write  read write   age',
];
const LINES_MAX = 10_000;

function sample(ctx: CommandContext): string {
  const cpu = 1 + Math.floor(ctx.actor.random() * 3);
  return `${`${cpu}%`.padStart(4)}      0      0      0       0     0       0      0     0     0    >60`;
}

function next(ctx: CommandContext, payload: { remaining: number; intervalUs: number; printed: number }): CommandOutcome {
  ctx.print(sample(ctx));
  const remaining = payload.remaining - 1;
  const printed = payload.printed + 1;
  if (remaining <= 0 || printed >= LINES_MAX) return 'done';
  if (printed % 20 === 0) ctx.printLines(HEADER);
  ctx.setTimer(payload.intervalUs, { kind: 'sysstat.tick', remaining, intervalUs: payload.intervalUs, printed });
  return 'running';
}

export const sysstatCommands: readonly CommandDefinition[] = [
  {
    name: 'sysstat',
    synopsis: 'report filer performance statistics',
    usage: ['sysstat [-c count] [-s] [-u | -x | -m | -f | -i | -b] [-d] [interval]'],
    privilege: 'admin',
    completions: ['-c', '-s', '-u', '-x'],
    run(args, ctx) {
      let count = LINES_MAX;
      let intervalSeconds = 15;
      for (let index = 0; index < args.length; index++) {
        const arg = args[index];
        if (arg === '-c' && /^\d{1,5}$/.test(args[index + 1] ?? '')) count = Math.max(1, Number(args[++index]));
        else if (/^-[suxmfibd]$/.test(arg)) continue;
        else if (/^\d{1,4}$/.test(arg) && Number(arg) > 0) intervalSeconds = Number(arg);
        else return ctx.usage();
      }
      ctx.printLines(HEADER);
      return next(ctx, { remaining: count, intervalUs: intervalSeconds * MICROS_PER_SECOND, printed: 0 });
    },
    timer(payload: Payload, ctx) {
      return next(ctx, {
        remaining: Number(payload['remaining']) || 0,
        intervalUs: Number(payload['intervalUs']) || MICROS_PER_SECOND,
        printed: Number(payload['printed']) || 0,
      });
    },
    interrupt() {
      // Nothing to undo: the console drops the pending tick.
    },
  },
];
