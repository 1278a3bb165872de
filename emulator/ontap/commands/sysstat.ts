// `sysstat [-c count] [interval]` and `sysstat -x …`: one line per interval until Ctrl-C (or count
// lines), with live NFS and CIFS op rates and network throughput from the file service's counters and
// the consistency point from storage. The previous sample travels in the timer's payload (plain data),
// so the command keeps no state of its own.
import { MICROS_PER_SECOND, type Payload } from '../../engine/actor.ts';
import { subsystemState } from '../../hardware/filer/subsystem.ts';
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { DISK_SERVICE_US } from '../../hardware/shelf/disk.ts';
import { STORAGE_SUBSYSTEM } from '../storage/storage-subsystem.ts';
import type { StorageState } from '../storage/types.ts';
import { fileServiceOf } from './fileservice-cifs.ts';

type Layout = 'basic' | 'extended';

const HEADERS: Record<Layout, readonly string[]> = {
  basic: [
    ' CPU    NFS   CIFS   HTTP      Net kB/s     Disk kB/s    Tape kB/s  Cache',
    '                                in   out    read  write  read write   age',
  ],
  extended: [
    ' CPU    NFS   CIFS   HTTP   Total     Net   kB/s    Disk   kB/s    Tape   kB/s  Cache  Cache    CP  CP  Disk',
    '                                       in    out    read  write    read  write    age    hit  time  ty  util',
  ],
};
const LINES_MAX = 10_000;
const TICK = 'sysstat.tick';

export interface Sample {
  readonly nfs: number;
  readonly cifs: number;
  readonly netIn: number;
  readonly netOut: number;
  /** Disk blocks read and written, time spent in CPs, and SCSI commands by disk, since boot. */
  readonly diskRead: number;
  readonly diskWrite: number;
  readonly cpBusyUs: number;
  readonly commandsByDisk: Readonly<Record<string, number>>;
}

/** `sysstat -x`'s CP type letters by the reason a CP began (7-Mode: T timer, F full NVLog, B back to back, Z sync). */
const CP_TYPES: Readonly<Record<string, string>> = { timer: 'T', nvlog: 'F', 'back-to-back': 'B' };

interface Tick { layout: Layout; remaining: number; intervalUs: number; printed: number; previous: Sample }

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

export function storageOf(ctx: CommandContext): StorageState | undefined {
  return subsystemState<StorageState>(ctx.filer, STORAGE_SUBSYSTEM);
}

export function sampleNow(ctx: CommandContext): Sample {
  const state = fileServiceOf(ctx);
  const storage = storageOf(ctx);
  const stats = storage?.io.stats;
  const running = storage?.cp.running;
  const disk = {
    diskRead: stats?.readBlocks ?? 0, diskWrite: stats?.writeBlocks ?? 0, commandsByDisk: { ...(stats?.commandsByDisk ?? {}) },
    cpBusyUs: (storage?.cp.busyUs ?? 0) + (running ? ctx.now - running.startedUs : 0),
  };
  if (!state) return { nfs: 0, cifs: 0, netIn: 0, netOut: 0, ...disk };
  const counters = state.counters;
  return { nfs: total(counters.nfsCalls), cifs: total(counters.cifsCommands), netIn: counters.netBytesIn, netOut: counters.netBytesOut, ...disk };
}

/** The busiest disk's share of the interval: its commands times a disk's service time. */
function diskUtilPercent(previous: Sample, current: Sample, intervalUs: number): number {
  let busiest = 0;
  for (const [disk, commands] of Object.entries(current.commandsByDisk)) busiest = Math.max(busiest, commands - (previous.commandsByDisk[disk] ?? 0));
  return intervalUs > 0 ? Math.min(100, Math.ceil((busiest * DISK_SERVICE_US * 100) / intervalUs)) : 0;
}

/** The CP type of the interval: the last CP begun in it, ':' for one still running from before, '-' for none. */
function cpType(ctx: CommandContext, intervalUs: number): string {
  const cp = storageOf(ctx)?.cp;
  if (!cp) return '-';
  if (cp.lastStartUs !== undefined && cp.lastReason !== undefined && cp.lastStartUs > ctx.now - intervalUs) return CP_TYPES[cp.lastReason] ?? 'Z';
  return cp.running ? ':' : '-';
}

/** The lab's CPU load model (it runs no CPU): 1% idle overhead and 1% more per 40 protocol ops a second. */
export function cpuBusyPercent(opsPerSecond: number): number {
  return Math.min(99, 1 + Math.round(opsPerSecond / 40));
}

/** One line: rates over the interval since `previous`. Counters reset by `-z` read as zero, not negative. */
export function sysstatLine(ctx: CommandContext, layout: Layout, previous: Sample, current: Sample, intervalUs: number): string {
  const seconds = intervalUs / MICROS_PER_SECOND;
  const rate = (now: number, before: number) => (seconds > 0 ? Math.max(0, Math.round((now - before) / seconds)) : 0);
  const nfs = rate(current.nfs, previous.nfs);
  const cifs = rate(current.cifs, previous.cifs);
  const netIn = String(Math.round(rate(current.netIn, previous.netIn) / 1024));
  const netOut = String(Math.round(rate(current.netOut, previous.netOut) / 1024));
  const cpu = `${cpuBusyPercent(nfs + cifs)}%`;
  const kib = BLOCK_BYTES / 1024;
  const diskRead = String(rate(current.diskRead * kib, previous.diskRead * kib));
  const diskWrite = String(rate(current.diskWrite * kib, previous.diskWrite * kib));
  if (layout === 'basic') {
    return [cpu.padStart(4), String(nfs).padStart(6), String(cifs).padStart(6), '0'.padStart(6), netIn.padStart(7), netOut.padStart(5),
      diskRead.padStart(7), diskWrite.padStart(6), '0'.padStart(5), '0'.padStart(5), '>60'.padStart(6)].join(' ');
  }
  // Any CP work in the interval shows as at least 1%, as a busy disk does.
  const cpTime = intervalUs > 0 ? Math.min(100, Math.ceil(((current.cpBusyUs - previous.cpBusyUs) * 100) / intervalUs)) : 0;
  return [
    cpu.padStart(4), String(nfs).padStart(6), String(cifs).padStart(6), '0'.padStart(6), String(nfs + cifs).padStart(7),
    netIn.padStart(7), netOut.padStart(6), diskRead.padStart(7), diskWrite.padStart(6), '0'.padStart(7), '0'.padStart(6),
    '>60'.padStart(6), '100%'.padStart(6), `${Math.max(0, cpTime)}%`.padStart(5), cpType(ctx, intervalUs).padStart(3),
    `${diskUtilPercent(previous, current, intervalUs)}%`.padStart(5),
  ].join(' ');
}

function tick(ctx: CommandContext, payload: Tick): CommandOutcome {
  const current = sampleNow(ctx);
  ctx.print(sysstatLine(ctx, payload.layout, payload.previous, current, payload.intervalUs));
  const remaining = payload.remaining - 1;
  const printed = payload.printed + 1;
  if (remaining <= 0 || printed >= LINES_MAX) return 'done';
  if (printed % 20 === 0) ctx.printLines(HEADERS[payload.layout]);
  ctx.setTimer(payload.intervalUs, { kind: TICK, layout: payload.layout, remaining, intervalUs: payload.intervalUs, printed, previous: current });
  return 'running';
}

function sampleFrom(value: unknown): Sample {
  const sample = (value ?? {}) as Record<string, unknown>;
  const number = (field: string) => (typeof sample[field] === 'number' ? sample[field] as number : 0);
  const byDisk = (typeof sample['commandsByDisk'] === 'object' && sample['commandsByDisk'] !== null ? sample['commandsByDisk'] : {}) as Record<string, unknown>;
  const commandsByDisk: Record<string, number> = {};
  for (const [disk, count] of Object.entries(byDisk)) if (typeof count === 'number') commandsByDisk[disk] = count;
  return {
    nfs: number('nfs'), cifs: number('cifs'), netIn: number('netIn'), netOut: number('netOut'),
    diskRead: number('diskRead'), diskWrite: number('diskWrite'), cpBusyUs: number('cpBusyUs'), commandsByDisk,
  };
}

/**
 * Parses `[-c count] [flags] [interval]` (flags: the other layouts' switches, accepted and shown in the
 * basic layout) and starts the ticks: the basic layout prints its first line at once, `-x` after one
 * interval, as the product does.
 */
function start(args: readonly string[], ctx: CommandContext, layout: Layout, flags: RegExp): CommandOutcome {
  let count = LINES_MAX;
  let intervalSeconds = 15;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '-c' && /^\d{1,5}$/.test(args[index + 1] ?? '')) count = Math.max(1, Number(args[++index]));
    else if (flags.test(arg)) continue;
    else if (/^\d{1,4}$/.test(arg) && Number(arg) > 0) intervalSeconds = Number(arg);
    else return ctx.usage();
  }
  ctx.printLines(HEADERS[layout]);
  const intervalUs = intervalSeconds * MICROS_PER_SECOND;
  const first: Tick = { layout, remaining: count, intervalUs, printed: 0, previous: sampleNow(ctx) };
  // The basic layout's first line is at once: its rates over an empty interval read as zero.
  if (layout === 'basic') return tick(ctx, first);
  ctx.setTimer(intervalUs, { kind: TICK, ...first });
  return 'running';
}

function resume(payload: Payload, ctx: CommandContext): CommandOutcome {
  return tick(ctx, {
    layout: payload['layout'] === 'extended' ? 'extended' : 'basic',
    remaining: Number(payload['remaining']) || 0,
    intervalUs: Number(payload['intervalUs']) || MICROS_PER_SECOND,
    printed: Number(payload['printed']) || 0,
    previous: sampleFrom(payload['previous']),
  });
}

export const sysstatCommands: readonly CommandDefinition[] = [
  {
    name: 'sysstat',
    synopsis: 'report filer performance statistics',
    usage: ['sysstat [-c count] [-s] [-u | -x | -m | -f | -i | -b] [-d] [interval]'],
    privilege: 'admin',
    completions: ['-c', '-s', '-u', '-x'],
    // `-x` may come anywhere (`sysstat -c 3 -x 1`): the extended layout then.
    run: (args, ctx) => (args.includes('-x')
      ? start(args.filter((arg) => arg !== '-x'), ctx, 'extended', /^$/)
      : start(args, ctx, 'basic', /^-[sumfibd]$/)),
    timer: resume,
    interrupt() {
      // Nothing to undo: the console drops the pending tick.
    },
  },
  {
    name: 'sysstat -x',
    synopsis: 'report extended filer performance statistics',
    usage: ['sysstat -x [-c count] [interval]'],
    privilege: 'admin',
    completions: ['-c'],
    run: (args, ctx) => start(args, ctx, 'extended', /^$/),
    timer: resume,
    interrupt() {
      // Nothing to undo: the console drops the pending tick.
    },
  },
];
