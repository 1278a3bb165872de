// `halt` and `reboot`: stop the OS cleanly and return to the loader (or boot again). In an HA pair a
// plain `halt` is a graceful takeover: the partner is asked to take over as the OS goes down (DESIGN.md
// §5, reading 2); `halt -f` and `reboot` go down in notakeover mode (the partner waits). Without `-t`,
// connected CIFS users are listed and the operator is asked how many minutes they get, as 7-Mode does.
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { haEnvDuringEvent } from '../ha/ha-env.ts';
import { minutesAnswer, MINUTES_QUESTION, warnCifsUsers } from './cifs-users-warning.ts';
import { prepareHalt } from '../ha/operator.ts';
import { stopAcceptingRequests } from '../fileservice/fileservice-subsystem.ts';
import { shutdownCpDone, startShutdownCp } from '../storage/storage-subsystem.ts';

/** Parses `[-t <minutes>] [-f] [-d <dump string>]`; returns undefined on bad arguments. */
export function parseHaltArgs(args: readonly string[]): { force: boolean; delayMinutes: number; timed: boolean; dump: string | null } | undefined {
  let force = false;
  let delayMinutes = 0;
  let timed = false;
  let dump: string | null = null;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '-f') force = true;
    else if (arg === '-t' && /^\d{1,4}$/.test(args[index + 1] ?? '')) { delayMinutes = Number(args[++index]); timed = true; }
    else if (arg === '-d' && args[index + 1] !== undefined) dump = args[++index];
    else return undefined;
  }
  return { force, delayMinutes, timed, dump };
}


function shutdownCommand(how: 'halt' | 'reboot'): CommandDefinition {
  return {
    name: how,
    synopsis: how === 'halt' ? 'stop the filer' : 'stop and then restart the filer',
    usage: [`${how} [-t <minutes>] [-f] [-d <dump string>]`],
    privilege: 'admin',
    completions: ['-t', '-f', '-d'],
    run(args, ctx: CommandContext) {
      const parsed = parseHaltArgs(args);
      if (!parsed) return ctx.usage();
      if (parsed.dump !== null) ctx.print(`${how}: core dump '${parsed.dump.slice(0, 64)}' requested; no core is written in the lab.`);
      if (!parsed.timed) {
        // Without -t, CIFS users connected now are listed and the operator chooses how long they get.
        if (warnCifsUsers(ctx)) return ctx.ask(MINUTES_QUESTION, { kind: 'halt.minutes', force: parsed.force });
      }
      return waitThenGoDown(ctx, parsed.delayMinutes, parsed.force);
    },
    answer(answer, resume, ctx) {
      const force = resume['force'] === true;
      const minutes = minutesAnswer(answer);
      if (minutes === null) return ctx.ask(MINUTES_QUESTION, { kind: 'halt.minutes', force });
      return waitThenGoDown(ctx, minutes, force);
    },
    timer(payload, ctx) {
      if (payload.kind === 'halt.delay') return goDown(ctx, payload['force'] === true);
      const target = Number(payload['target']);
      const startedUs = Number(payload['startedUs']);
      if (!shutdownCpDone(ctx.filer, target) && ctx.now - startedUs < FLUSH_WAIT_MAX_US) {
        ctx.setTimer(FLUSH_POLL_US, payload);
        return 'running';
      }
      ctx.shutdown(how);
      return 'done';
    },
    interrupt(ctx) {
      ctx.print(`${how}: cancelled.`);
    },
  };

  /** `-t N` or the minutes given to CIFS users: the shutdown waits that long in lab time; Ctrl-C cancels it. */
  function waitThenGoDown(ctx: CommandContext, minutes: number, force: boolean): 'done' | 'running' {
    if (minutes === 0) return goDown(ctx, force);
    ctx.print(`${how}: the system will ${how === 'halt' ? 'halt' : 'reboot'} in ${minutes} minute${minutes === 1 ? '' : 's'}. (Press Ctrl-C to cancel.)`);
    ctx.setTimer(minutes * MINUTE_US, { kind: 'halt.delay', force });
    return 'running';
  }

  /** Goes down now: the partner asked to take over (HA), no new requests, the final CP, then down. */
  function goDown(ctx: CommandContext, force: boolean): 'done' | 'running' {
    const env = haEnvDuringEvent(ctx.filer, ctx.actor);
    const line = env === null ? null : prepareHalt(env, how, force);
    if (line !== null) ctx.print(line);
    stopAcceptingRequests(ctx.filer);
    const target = startShutdownCp(ctx.filer, ctx.actor);
    if (target === null) {
      ctx.shutdown(how);
      return 'done';
    }
    ctx.setTimer(FLUSH_POLL_US, { kind: 'halt.flush', target, startedUs: ctx.now });
    return 'running';
  }
}

/** How often a halt looks whether its final CP is on disk, and how long it waits at most. */
const FLUSH_POLL_US = 50_000;
const FLUSH_WAIT_MAX_US = 10_000_000;
const MINUTE_US = 60_000_000;

export const haltCommands: readonly CommandDefinition[] = [shutdownCommand('halt'), shutdownCommand('reboot')];
