// `cifs terminate [-t <minutes>]` and `cifs restart`: stop CIFS (NFS goes on) and start it again. With
// users connected and no `-t`, they are listed and the operator is asked for the minutes they get, as
// `halt` does; the wait is in lab time and Ctrl-C cancels it.
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import { restartCifs, terminateCifs } from '../fileservice/fileservice-subsystem.ts';
import { minutesAnswer, MINUTES_QUESTION, warnCifsUsers } from './cifs-users-warning.ts';
import { fileServiceOf } from './fileservice-cifs.ts';

const MINUTE_US = 60_000_000;

function terminateAfter(ctx: CommandContext, minutes: number): CommandOutcome {
  if (minutes > 0) {
    ctx.print(`CIFS local server will shut down in ${minutes} minute${minutes === 1 ? '' : 's'}. (Press Ctrl-C to cancel.)`);
    ctx.setTimer(minutes * MINUTE_US, { kind: 'cifs.terminate' });
    return 'running';
  }
  return terminateNow(ctx);
}

function terminateNow(ctx: CommandContext): 'done' {
  ctx.print('CIFS local server is shutting down...');
  terminateCifs(ctx.filer, ctx.actor);
  ctx.print('CIFS local server has shut down...');
  return 'done';
}

export const cifsTerminateCommands: readonly CommandDefinition[] = [
  {
    name: 'cifs terminate',
    synopsis: 'stop the CIFS service',
    usage: ['cifs terminate [-t <minutes>]'],
    privilege: 'admin',
    completions: ['-t'],
    run(args, ctx) {
      const timed = args.length === 2 && args[0] === '-t' && /^\d{1,4}$/.test(args[1]);
      if (args.length > 0 && !timed) return ctx.usage();
      const state = fileServiceOf(ctx);
      if (!state || state.status === 'stopped' || state.cifsTerminated) { ctx.print('CIFS not running.'); return 'done'; }
      if (timed) return terminateAfter(ctx, Number(args[1]));
      if (warnCifsUsers(ctx)) return ctx.ask(MINUTES_QUESTION, { kind: 'cifs.terminate.minutes' });
      return terminateNow(ctx);
    },
    answer(answer, _resume, ctx) {
      const minutes = minutesAnswer(answer);
      if (minutes === null) return ctx.ask(MINUTES_QUESTION, { kind: 'cifs.terminate.minutes' });
      return terminateAfter(ctx, minutes);
    },
    timer(_payload, ctx) {
      return terminateNow(ctx);
    },
    interrupt(ctx) {
      ctx.print('cifs terminate: cancelled.');
    },
  },
  {
    name: 'cifs restart',
    synopsis: 'start the CIFS service again after cifs terminate',
    usage: ['cifs restart'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      ctx.print(restartCifs(ctx.filer) ? 'CIFS local server is running.' : 'cifs restart: CIFS is already running.');
      return 'done';
    },
  },
];
