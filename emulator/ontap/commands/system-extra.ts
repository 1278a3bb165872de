// `wrfile`, `logout`, `savecore`, `statit` (statit.ts), `stats show`: commands a storage course types.
// Each reads or changes the lab's real state: files written stay with the console (the root volume's /etc
// on the product), core dumps are the panics the chassis dumped, statit and stats count the real disk
// commands and protocol operations.
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { civilTime, dateText } from '../console/clock.ts';
import { consoleStateOf } from '../console/state.ts';
import { statit } from './statit.ts';
import { sampleNow } from './sysstat.ts';
import { isVolPath, writeVolFile } from './storage-vol-file.ts';

const FILES_MAX = 64;
const FILE_LINES_MAX = 2000;
const LINE_CHARS_MAX = 1024;

/** A file the operator wrote with `wrfile`, if any. */
export function writtenFile(ctx: CommandContext, path: string): readonly string[] | undefined {
  return consoleStateOf(ctx.filer)?.files?.[path];
}

function appendLine(ctx: CommandContext, path: string, line: string): void {
  const state = consoleStateOf(ctx.filer);
  if (!state) return;
  state.files ??= {};
  const lines = state.files[path] ?? [];
  if (lines.length < FILE_LINES_MAX) lines.push(line.slice(0, LINE_CHARS_MAX));
  state.files[path] = lines;
}

/** `wrfile [-a] <path> [<data>…]`: lines typed until Ctrl-C (or the data given with -a) go to the file. */
const wrfile: CommandDefinition = {
  name: 'wrfile',
  synopsis: 'write a WAFL file from the console',
  usage: ['wrfile [-a] <filename> [<data>...]'],
  privilege: 'admin',
  run(args, ctx) {
    const append = args[0] === '-a';
    const [path, ...data] = append ? args.slice(1) : args;
    if (!path || !path.startsWith('/') || path.length > 256 || (!append && data.length > 0)) return ctx.usage();
    if (isVolPath(path)) {
      // A file in a volume: written through the file system (storage-vol-file.ts), as on the product.
      const error = writeVolFile(ctx, path, data.length > 0 ? data.join(' ') : null, !append);
      if (error) { ctx.print(error); return 'done'; }
      return data.length > 0 ? 'done' : ctx.ask('', { kind: 'wrfile', path });
    }
    const state = consoleStateOf(ctx.filer);
    if (!state) return 'done';
    state.files ??= {};
    if (!state.files[path] && Object.keys(state.files).length >= FILES_MAX) { ctx.print(`wrfile: ${path}: No space left on device`); return 'done'; }
    if (!append) state.files[path] = [];
    if (data.length > 0) { appendLine(ctx, path, data.join(' ')); return 'done'; }
    state.files[path] ??= [];
    return ctx.ask('', { kind: 'wrfile', path });
  },
  answer(line, resume, ctx) {
    const path = String(resume.path);
    if (isVolPath(path)) {
      const error = writeVolFile(ctx, path, line, false);
      if (error) { ctx.print(error); return 'done'; }
      return ctx.ask('', resume);
    }
    appendLine(ctx, path, line);
    return ctx.ask('', resume);
  },
  interrupt(ctx) {
    // The product's wrfile ends on Ctrl-C, its read interrupted.
    ctx.print('read: error reading standard input: Interrupted system call');
  },
};

/** The lab's console needs no login, so there is no session to end. */
const logout: CommandDefinition = {
  name: 'logout',
  synopsis: 'end a login session',
  usage: ['logout {telnet | ssh | rsh}'],
  privilege: 'admin',
  run(args, ctx) {
    if (args.length > 1 || (args.length === 1 && !['telnet', 'ssh', 'rsh'].includes(args[0]))) return ctx.usage();
    if (args.length === 1) { ctx.print(`logout: no ${args[0]} session is open on this filer.`); return 'done'; }
    ctx.print('logout: the lab\'s console has no login; the console session stays open.');
    return 'done';
  },
};

function two(value: number): string {
  return String(value).padStart(2, '0');
}

/** The name the product gives a saved core: `core.<sysid>.<date>.<time>.nz`. */
function coreName(systemId: string, atUs: number): string {
  const time = civilTime(atUs);
  return `core.${systemId}.${time.year}-${two(time.month)}-${two(time.day)}.${two(time.hour)}_${two(time.minute)}_${two(time.second)}.nz`;
}

/** `savecore [-l | -i]`: the dumps the panics left; /etc/rc saved them at boot, so plain savecore finds none new. */
const savecore: CommandDefinition = {
  name: 'savecore',
  synopsis: 'save or list core dumps',
  usage: ['savecore [-f | -i | -k | -l | -s | -w]'],
  privilege: 'admin',
  completions: ['-l', '-i'],
  run(args, ctx) {
    if (args.length > 1 || (args.length === 1 && !['-f', '-i', '-k', '-l', '-s', '-w'].includes(args[0]))) return ctx.usage();
    const dumps = ctx.filer.chassis.coreDumps ?? [];
    if (args[0] === '-l') {
      if (dumps.length === 0) { ctx.print('savecore: no saved core files in /etc/crash.'); return 'done'; }
      ctx.print('Core file                                      Saved on                      Panic string');
      for (const dump of dumps) ctx.print(`${coreName(ctx.filer.config.systemId, dump.atUs).padEnd(47)}${dateText(dump.atUs).padEnd(30)}${dump.reason}`);
      return 'done';
    }
    ctx.print(dumps.length === 0 ? 'savecore: no core dump found.' : `savecore: no unsaved core dump found (${dumps.length} saved in /etc/crash at boot; savecore -l lists them).`);
    return 'done';
  },
};

/** `stats show system`: counters since boot, as rates averaged over the time since boot. */
const statsShow: CommandDefinition = {
  name: 'stats show', synopsis: 'show the system\'s counters', usage: ['stats show [system]'], privilege: 'admin',
  run(args, ctx) {
    if (args.length > 1 || (args.length === 1 && args[0] !== 'system')) {
      if (args.length === 1 && !args[0].startsWith('-')) { ctx.print(`stats show: the lab counts the object 'system' only, not '${args[0].slice(0, 32)}'.`); return 'done'; }
      return ctx.usage();
    }
    const booted = consoleStateOf(ctx.filer)?.bootedAtUs ?? ctx.now;
    const up = ctx.now - booted;
    const sample = sampleNow(ctx);
    const rate = (count: number): string => String(Math.round(up > 0 ? (count * MICROS_PER_SECOND) / up : 0));
    ctx.printLines([
      `system:system:nfs_ops:${rate(sample.nfs)}/s`,
      `system:system:cifs_ops:${rate(sample.cifs)}/s`,
      `system:system:net_data_recv:${rate(sample.netIn / 1024)}KB/s`,
      `system:system:net_data_sent:${rate(sample.netOut / 1024)}KB/s`,
      `system:system:disk_data_read:${rate(sample.diskRead * 4)}KB/s`,
      `system:system:disk_data_written:${rate(sample.diskWrite * 4)}KB/s`,
      `system:system:uptime:${Math.floor(up / MICROS_PER_SECOND)}s`,
    ]);
    return 'done';
  },
};

export const systemExtraCommands: readonly CommandDefinition[] = [
  wrfile, logout, savecore, statit, statsShow,
];
