// `sysstat -x [-c count] [interval]`: the extended one-line-per-interval view, with live NFS and CIFS
// op rates and network throughput from the file service's counters. The previous sample travels in the
// timer's payload (plain data), so the command keeps no state of its own.
import { MICROS_PER_SECOND, type Payload } from '../../engine/actor.ts';
import { subsystemState } from '../../hardware/filer/subsystem.ts';
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import { STORAGE_SUBSYSTEM } from '../storage/storage-subsystem.ts';
import type { StorageState } from '../storage/types.ts';
import { fileServiceOf } from './fileservice-cifs.ts';

const HEADER = [
  ' CPU    NFS   CIFS   HTTP   Total     Net   kB/s    Disk   kB/s    Tape   kB/s  Cache  Cache    CP  CP  Disk',
  '                                       in    out    read  write    read  write    age    hit  time  ty  util',
];
const LINES_MAX = 10_000;

interface Sample {
  readonly nfs: number;
  readonly cifs: number;
  readonly netIn: number;
  readonly netOut: number;
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

function sampleNow(ctx: CommandContext): Sample {
  const state = fileServiceOf(ctx);
  if (!state) return { nfs: 0, cifs: 0, netIn: 0, netOut: 0 };
  const counters = state.counters;
  return { nfs: total(counters.nfsCalls), cifs: total(counters.cifsCommands), netIn: counters.netBytesIn, netOut: counters.netBytesOut };
}

/** One line: rates over the interval since `previous`. Counters reset by `-z` read as zero, not negative. */
export function sysstatLine(ctx: CommandContext, previous: Sample, current: Sample, intervalUs: number): string {
  const seconds = intervalUs / MICROS_PER_SECOND;
  const rate = (now: number, before: number) => Math.max(0, Math.round((now - before) / seconds));
  const nfs = rate(current.nfs, previous.nfs);
  const cifs = rate(current.cifs, previous.cifs);
  const netIn = rate(current.netIn, previous.netIn) / 1024;
  const netOut = rate(current.netOut, previous.netOut) / 1024;
  const cpu = Math.min(99, 1 + Math.round((nfs + cifs) / 40));
  const storage = subsystemState<StorageState>(ctx.filer, STORAGE_SUBSYSTEM);
  const cpRunning = storage?.cp.running ?? null;
  const cpType = cpRunning ? (cpRunning.reason === 'nvlog' ? 'F' : 'T') : '-';
  const cpTime = cpRunning ? '100%' : '0%';
  const columns = [
    `${cpu}%`.padStart(4), String(nfs).padStart(6), String(cifs).padStart(6), '0'.padStart(6), String(nfs + cifs).padStart(7),
    String(Math.round(netIn)).padStart(7), String(Math.round(netOut)).padStart(6),
    '0'.padStart(7), '0'.padStart(6), '0'.padStart(7), '0'.padStart(6),
    '>60'.padStart(6), '100%'.padStart(6), cpTime.padStart(5), cpType.padStart(3), '0%'.padStart(5),
  ];
  return columns.join(' ');
}

interface Tick { remaining: number; intervalUs: number; printed: number; previous: Sample }

function tick(ctx: CommandContext, payload: Tick): CommandOutcome {
  const current = sampleNow(ctx);
  ctx.print(sysstatLine(ctx, payload.previous, current, payload.intervalUs));
  const remaining = payload.remaining - 1;
  const printed = payload.printed + 1;
  if (remaining <= 0 || printed >= LINES_MAX) return 'done';
  if (printed % 20 === 0) ctx.printLines(HEADER);
  ctx.setTimer(payload.intervalUs, { kind: 'sysstat-x.tick', remaining, intervalUs: payload.intervalUs, printed, previous: current });
  return 'running';
}

function sampleFrom(value: unknown): Sample {
  const sample = (value ?? {}) as Record<string, unknown>;
  const number = (field: string) => (typeof sample[field] === 'number' ? sample[field] as number : 0);
  return { nfs: number('nfs'), cifs: number('cifs'), netIn: number('netIn'), netOut: number('netOut') };
}

export const fileServiceSysstatCommands: readonly CommandDefinition[] = [
  {
    name: 'sysstat -x',
    synopsis: 'report extended filer performance statistics',
    usage: ['sysstat -x [-c count] [interval]'],
    privilege: 'admin',
    completions: ['-c'],
    run(args, ctx) {
      let count = LINES_MAX;
      let intervalSeconds = 15;
      for (let index = 0; index < args.length; index++) {
        const arg = args[index];
        if (arg === '-c' && /^\d{1,5}$/.test(args[index + 1] ?? '')) count = Math.max(1, Number(args[++index]));
        else if (/^\d{1,4}$/.test(arg) && Number(arg) > 0) intervalSeconds = Number(arg);
        else return ctx.usage();
      }
      ctx.printLines(HEADER);
      const intervalUs = intervalSeconds * MICROS_PER_SECOND;
      ctx.setTimer(intervalUs, { kind: 'sysstat-x.tick', remaining: count, intervalUs, printed: 0, previous: sampleNow(ctx) });
      return 'running';
    },
    timer(payload: Payload, ctx) {
      return tick(ctx, {
        remaining: Number(payload['remaining']) || 0,
        intervalUs: Number(payload['intervalUs']) || MICROS_PER_SECOND,
        printed: Number(payload['printed']) || 0,
        previous: sampleFrom(payload['previous']),
      });
    },
    interrupt() {
      // Nothing to undo: the console drops the pending tick.
    },
  },
];
