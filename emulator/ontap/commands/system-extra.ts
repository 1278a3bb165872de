// `wrfile`, `logout`, `savecore`, `ifgrp`, `statit`, `stats show`: commands a storage course types. Each
// reads or changes the lab's real state: files written stay with the console (the root volume's /etc on
// the product), core dumps are the panics the chassis dumped, ifgrp checks the real ports, statit and
// stats count the real disk commands and protocol operations.
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import { civilTime, dateText } from '../console/clock.ts';
import { consoleStateOf } from '../console/state.ts';
import { displayName } from '../storage/raid-ops.ts';
import { sampleNow, storageOf, type Sample } from './sysstat.ts';
import { storageEnvOf } from './storage-view.ts';
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

/** `ifgrp status|create`: an Ethernet port carrying addresses cannot join an interface group, as on the product. */
function ifgrpCreate(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const [mode, name, ...rest] = args;
  const ports = rest.filter((arg) => !arg.startsWith('-'));
  const flags = rest.filter((arg) => arg.startsWith('-'));
  if (!mode || !['single', 'multi', 'lacp'].includes(mode) || !name || name.startsWith('-') || ports.length === 0 || flags.some((flag) => flag !== '-b')) return ctx.usage();
  const ethernet = ctx.filer.config.ethernetPorts.map((port) => port.port);
  if (ethernet.includes(name)) { ctx.print(`ifgrp create: ${name} is the name of a physical interface.`); return 'done'; }
  for (const port of ports) {
    if (!ethernet.includes(port)) { ctx.print(`ifgrp create: ${port.slice(0, 16)}: no such Ethernet interface.`); return 'done'; }
    const configured = ctx.filer.config.vservers.some((vserver) => vserver.addresses.some((address) => address.port === port));
    if (configured) {
      ctx.print(`ifgrp create: ${port} is configured with an address; unconfigure it (ifconfig ${port} 0.0.0.0) before adding it to an ifgrp.`);
      return 'done';
    }
  }
  ctx.print('ifgrp create: the lab\'s Ethernet ports each carry their own subnet; it models no interface groups.');
  return 'done';
}

const ifgrpCommands: readonly CommandDefinition[] = [
  {
    name: 'ifgrp status', synopsis: 'show the interface groups', usage: ['ifgrp status [<ifgrp_name>]'], privilege: 'admin',
    run(args, ctx) {
      if (args.length > 1) return ctx.usage();
      if (args.length === 1) { ctx.print(`ifgrp status: ${args[0].slice(0, 16)}: no such ifgrp.`); return 'done'; }
      ctx.print('default: transmit \'IP Load balancing\', Ifgrp Type \'multi_mode\', fail \'log\'');
      ctx.print('No interface groups are configured.');
      return 'done';
    },
  },
  { name: 'ifgrp create', synopsis: 'create an interface group', usage: ['ifgrp create {single | multi | lacp} <ifgrp_name> [-b {rr | mac | ip | port}] [<interface_list>]'], privilege: 'admin', run: ifgrpCreate },
];

function seconds(us: number): string {
  return (us / MICROS_PER_SECOND).toFixed(2);
}

function perSecond(count: number, us: number): string {
  return us > 0 ? ((count * MICROS_PER_SECOND) / us).toFixed(2) : '0.00';
}

/** `statit -e`: per-disk transfers over the sample, by RAID group, and the protocol operations. */
function statitReport(ctx: CommandContext, startUs: number, before: Sample): string[] {
  const now = sampleNow(ctx);
  const elapsed = ctx.now - startUs;
  const storage = storageOf(ctx);
  const lines = [
    `Hostname: ${ctx.localName}  ID: ${ctx.filer.config.systemId}`,
    `  Start time: ${dateText(startUs)}`,
    '',
    `  ${seconds(elapsed)} time (seconds)`,
    '',
    '                       Multiprocessor Statistics (per second)',
    `  nfs ops            ${perSecond(now.nfs - before.nfs, elapsed).padStart(10)}`,
    `  cifs ops           ${perSecond(now.cifs - before.cifs, elapsed).padStart(10)}`,
    `  net kB received    ${perSecond((now.netIn - before.netIn) / 1024, elapsed).padStart(10)}`,
    `  net kB sent        ${perSecond((now.netOut - before.netOut) / 1024, elapsed).padStart(10)}`,
    `  disk blocks read   ${perSecond(now.diskRead - before.diskRead, elapsed).padStart(10)}`,
    `  disk blocks written${perSecond(now.diskWrite - before.diskWrite, elapsed).padStart(10)}`,
    '',
    '                       Disk Statistics (per second)',
    '        xfers is the number of SCSI commands issued per second.',
    'disk             xfers',
  ];
  if (!storage) return lines;
  const env = storageEnvOf(ctx);
  for (const aggregate of Object.values(storage.aggregates).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const group of aggregate.raidGroups) {
      lines.push(`/${aggregate.name}/plex0/rg${group.index}:`);
      for (const disk of group.members) {
        const commands = (now.commandsByDisk[disk] ?? 0) - (before.commandsByDisk[disk] ?? 0);
        lines.push(`${displayName(storage, env, disk).padEnd(16)}${perSecond(commands, elapsed).padStart(7)}`);
      }
    }
  }
  return lines;
}

const statit: CommandDefinition = {
  name: 'statit', synopsis: 'begin (-b) or end (-e) collecting per-disk and system statistics', usage: ['statit -b | -e [-n]'], privilege: 'advanced',
  completions: ['-b', '-e'],
  run(args, ctx) {
    const state = consoleStateOf(ctx.filer);
    if (!state || args.length < 1 || args.length > 2 || !['-b', '-e'].includes(args[0]) || (args[1] !== undefined && args[1] !== '-n')) return ctx.usage();
    if (args[0] === '-b') { state.statit = { startUs: ctx.now, sample: { ...sampleNow(ctx) } }; return 'done'; }
    if (!state.statit) { ctx.print('statit: statistics collection was not started; use statit -b first.'); return 'done'; }
    ctx.printLines(statitReport(ctx, state.statit.startUs, state.statit.sample as unknown as Sample));
    if (args[1] !== '-n') state.statit = null;
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
  wrfile, logout, savecore, ...ifgrpCommands, statit, statsShow,
];
