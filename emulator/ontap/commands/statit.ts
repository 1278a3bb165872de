// `statit -b` / `statit -e [-n]` (advanced): the report's sections in the product's order, over the
// interval since `-b`, from the lab's counters: the CPU's busy share by sysstat's model and the time in
// CPs; the protocol, network and disk totals; CPs; each network port's frames; and each disk's data
// transfers by kind (ureads, writes, cpreads, greads, gwrites) with their chain and measured round trip
// (storage/disk-io-stats.ts). Sections of counters the lab does not keep say so instead of printing zeros.
import { MICROS_PER_SECOND, type Micros } from '../../engine/actor.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { dateText } from '../console/clock.ts';
import { consoleStateOf } from '../console/state.ts';
import { DISK_SERVICE_US } from '../../hardware/shelf/disk.ts';
import { DISK_IO_CLASSES, emptyDiskIoCounts, type DiskIoCount, type DiskIoCounts } from '../storage/disk-io-stats.ts';
import { displayName } from '../storage/raid-ops.ts';
import { fileServiceOf } from './fileservice-cifs.ts';
import { storageEnvOf } from './storage-view.ts';
import { cpuBusyPercent, sampleNow, storageOf, type Sample } from './sysstat.ts';

/** What `statit -b` keeps (plain data in the console's state). */
interface StatitSample {
  readonly base: Sample;
  readonly cps: number;
  readonly byDisk: Readonly<Record<string, DiskIoCounts>>;
  readonly ports: Readonly<Record<string, { readonly in: number; readonly out: number }>>;
}

function sampleStatit(ctx: CommandContext): StatitSample {
  const storage = storageOf(ctx);
  const ip = fileServiceOf(ctx)?.ip;
  return {
    base: sampleNow(ctx),
    cps: storage?.cp.count ?? 0,
    byDisk: JSON.parse(JSON.stringify(storage?.io.stats?.byDisk ?? {})) as Record<string, DiskIoCounts>,
    ports: Object.fromEntries(Object.entries(ip?.ports ?? {}).map(([port, counts]) => [port, { in: counts.packetsIn ?? 0, out: counts.packetsOut ?? 0 }])),
  };
}

function perSecond(count: number, us: Micros): number {
  return us > 0 ? (count * MICROS_PER_SECOND) / us : 0;
}

function fixed(value: number, width: number, digits = 2): string {
  return value.toFixed(digits).padStart(width);
}

function cpuLines(elapsed: Micros, before: StatitSample, now: StatitSample): string[] {
  const seconds = elapsed / MICROS_PER_SECOND;
  const ops = perSecond(now.base.nfs - before.base.nfs + now.base.cifs - before.base.cifs, elapsed);
  const busy = cpuBusyPercent(ops);
  const cpShare = elapsed > 0 ? Math.min(100, ((now.base.cpBusyUs - before.base.cpBusyUs) * 100) / elapsed) : 0;
  return [
    '                       CPU Statistics',
    `${fixed(seconds, 15, 6)} time (seconds)       100 %`,
    `${fixed((seconds * busy) / 100, 15, 6)} system time          ${String(busy).padStart(3)} %`,
    `${fixed((seconds * (100 - busy)) / 100, 15, 6)} idle time            ${String(100 - busy).padStart(3)} %`,
    '',
    `${fixed((seconds * cpShare) / 100, 15, 6)} time in CP           ${String(Math.round(cpShare)).padStart(3)} %`,
    '',
    '                       Multiprocessor Statistics (per second)',
    '                          cpu0       total',
    `idle                ${fixed(100 - busy, 9)}%  ${fixed(100 - busy, 9)}%`,
    `busy                ${fixed(busy, 9)}%  ${fixed(busy, 9)}%`,
    '        (the lab models one CPU, by sysstat\'s load model; it counts no switches, interrupts or domains)',
    '',
    '                       CSMP Domain Switches (per CPU)',
    '        (none: the lab\'s storage OS has no scheduling domains)',
  ];
}

/** Two figures a line, as the product lays out its miscellaneous and WAFL sections. */
function pairs(entries: readonly (readonly [number, string])[]): string[] {
  const lines: string[] = [];
  for (let index = 0; index < entries.length; index += 2) {
    const left = `${fixed(entries[index][0], 13)} ${entries[index][1]}`;
    const right = entries[index + 1];
    lines.push(right ? `${left.padEnd(48)}${fixed(right[0], 10)} ${right[1]}` : left);
  }
  return lines;
}

function counterLines(elapsed: Micros, before: StatitSample, now: StatitSample): string[] {
  const rate = (after: number, earlier: number): number => perSecond(Math.max(0, after - earlier), elapsed);
  const gBlocks = (sample: StatitSample): number => Object.values(sample.byDisk).reduce((sum, counts) => sum + counts.greads.blocks + counts.gwrites.blocks, 0);
  return [
    '                       Miscellaneous Statistics (per second)',
    ...pairs([
      [rate(now.base.nfs, before.base.nfs), 'NFS operations'], [rate(now.base.cifs, before.base.cifs), 'CIFS operations'],
      [0, 'HTTP operations'], [0, 'FCP operations'], [0, 'iSCSI operations'],
      [rate(now.base.netIn, before.base.netIn) / 1024, 'network KB received'], [rate(now.base.netOut, before.base.netOut) / 1024, 'network KB transmitted'],
      [rate(now.base.diskRead, before.base.diskRead) * 4, 'disk KB read'], [rate(now.base.diskWrite, before.base.diskWrite) * 4, 'disk KB written'],
    ]),
    '',
    '                       WAFL Statistics (per second)',
    ...pairs([[rate(now.cps, before.cps), 'consistency points'], [rate(now.base.cpBusyUs, before.base.cpBusyUs) / 1000, 'CP msecs']]),
    '',
    '                       RAID Statistics (per second)',
    ...pairs([
      [rate(now.base.diskRead, before.base.diskRead), 'blocks read'], [rate(now.base.diskWrite, before.base.diskWrite), 'blocks written'],
      [rate(gBlocks(now), gBlocks(before)), 'reconstruct/scrub/zero blocks'],
    ]),
    '',
  ];
}

function networkLines(elapsed: Micros, before: StatitSample, now: StatitSample): string[] {
  const lines = [
    '                       Network Interface Statistics (per second)',
    'iface    side      bytes    packets multicasts     errors collisions  pkt drops',
  ];
  for (const [port, counts] of Object.entries(now.ports)) {
    const earlier = before.ports[port] ?? { in: 0, out: 0 };
    // The lab counts frames per port, not bytes; its Ethernet has no errors, collisions or multicasts.
    lines.push(`${port.padEnd(9)}recv ${'-'.padStart(10)} ${fixed(perSecond(counts.in - earlier.in, elapsed), 10)} ${fixed(0, 10)} ${fixed(0, 10)} ${''.padStart(10)} ${fixed(0, 10)}`);
    lines.push(`${''.padEnd(9)}xmit ${'-'.padStart(10)} ${fixed(perSecond(counts.out - earlier.out, elapsed), 10)} ${fixed(0, 10)} ${fixed(0, 10)} ${fixed(0, 10)}`);
  }
  lines.push('');
  return lines;
}

/** One disk's counters over the interval. */
function diskDelta(before: StatitSample, now: StatitSample, disk: string): DiskIoCounts {
  const after = now.byDisk[disk] ?? emptyDiskIoCounts();
  const earlier = before.byDisk[disk] ?? emptyDiskIoCounts();
  const delta = emptyDiskIoCounts();
  for (const kind of DISK_IO_CLASSES) {
    delta[kind] = { commands: after[kind].commands - earlier[kind].commands, blocks: after[kind].blocks - earlier[kind].blocks, roundTripUs: after[kind].roundTripUs - earlier[kind].roundTripUs };
  }
  return delta;
}

/** `rate chain usecs` of one kind: `....` and `.` where the disk did none. */
function classColumns(count: DiskIoCount, elapsed: Micros): string {
  if (count.commands <= 0) return `${fixed(0, 6)}   ....     .`;
  const chain = count.blocks / count.commands;
  return `${fixed(perSecond(count.commands, elapsed), 6)} ${fixed(chain, 6)} ${String(Math.round(count.roundTripUs / Math.max(1, count.blocks))).padStart(5)}`;
}

interface DiskRow { readonly name: string; readonly ut: number; readonly xfers: number; readonly counts: DiskIoCounts }

function diskRow(name: string, counts: DiskIoCounts, commands: number, elapsed: Micros): DiskRow {
  const transfers = DISK_IO_CLASSES.reduce((sum, kind) => sum + counts[kind].commands, 0);
  const ut = elapsed > 0 ? Math.min(100, Math.ceil((commands * DISK_SERVICE_US * 100) / elapsed)) : 0;
  return { name, ut, xfers: perSecond(transfers, elapsed), counts };
}

function rowText(row: DiskRow, elapsed: Micros): string {
  return `${row.name.padEnd(16)}${String(row.ut).padStart(4)} ${fixed(row.xfers, 6)} ${DISK_IO_CLASSES.map((kind) => classColumns(row.counts[kind], elapsed)).join(' ')}`;
}

/** Minimum, mean and maximum of ut%, xfers and each kind's rate over the aggregates' disks. */
function aggregateLines(rows: readonly DiskRow[], elapsed: Micros): string[] {
  if (rows.length === 0) return [];
  const rates = rows.map((row) => DISK_IO_CLASSES.map((kind) => perSecond(row.counts[kind].commands, elapsed)));
  const line = (label: string, pick: (values: number[]) => number): string => {
    const columns = DISK_IO_CLASSES.map((_kind, index) => fixed(pick(rates.map((rate) => rate[index])), 6).padEnd(19)).join(' ');
    return `${label.padEnd(16)}${String(Math.round(pick(rows.map((row) => row.ut)))).padStart(4)} ${fixed(pick(rows.map((row) => row.xfers)), 6)} ${columns}`.trimEnd();
  };
  const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  return ['', 'Aggregate statistics:', line('Minimum', (values) => Math.min(...values)), line('Mean', mean), line('Maximum', (values) => Math.max(...values))];
}

function diskLines(ctx: CommandContext, elapsed: Micros, before: StatitSample, now: StatitSample): string[] {
  const lines = [
    '                       Disk Statistics (per second)',
    '        ut% is the percent of time the disk was busy.',
    '        xfers is the number of data-transfer commands issued per second.',
    '        xfers = ureads + writes + cpreads + greads + gwrites',
    '        chain is the average number of 4K blocks per command.',
    '        usecs is the average disk round-trip time per 4K block.',
    '',
    'disk             ut%  xfers  ureads--chain-usecs writes--chain-usecs cpreads-chain-usecs greads--chain-usecs gwrites-chain-usecs',
  ];
  const storage = storageOf(ctx);
  if (!storage) return lines;
  const env = storageEnvOf(ctx);
  const row = (disk: string): DiskRow => diskRow(displayName(storage, env, disk), diskDelta(before, now, disk),
    (now.base.commandsByDisk[disk] ?? 0) - (before.base.commandsByDisk[disk] ?? 0), elapsed);
  const rows: DiskRow[] = [];
  for (const aggregate of Object.values(storage.aggregates).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const group of aggregate.raidGroups) {
      lines.push(`/${aggregate.name}/plex0/rg${group.index}:`);
      for (const disk of group.members) {
        const made = row(disk);
        rows.push(made);
        lines.push(rowText(made, elapsed));
      }
    }
  }
  lines.push(...aggregateLines(rows, elapsed));
  const inGroups = new Set(Object.values(storage.aggregates).flatMap((aggregate) => aggregate.raidGroups.flatMap((group) => group.members)));
  const others = Object.keys(storage.disks).filter((disk) => !inGroups.has(disk)).sort();
  if (others.length > 0) lines.push('', 'Spares and other disks:', ...others.map((disk) => rowText(row(disk), elapsed)));
  return lines;
}

function statitReport(ctx: CommandContext, startUs: Micros, before: StatitSample): string[] {
  const now = sampleStatit(ctx);
  const elapsed = ctx.now - startUs;
  return [
    `Hostname: ${ctx.localName}  ID: ${ctx.filer.config.systemId}`,
    '  NetApp Release 7.3.7',
    `    Start time: ${dateText(startUs)}`,
    '',
    ...cpuLines(elapsed, before, now),
    '',
    ...counterLines(elapsed, before, now),
    ...networkLines(elapsed, before, now),
    ...diskLines(ctx, elapsed, before, now),
  ];
}

export const statit: CommandDefinition = {
  name: 'statit', synopsis: 'begin (-b) or end (-e) collecting per-disk and system statistics', usage: ['statit -b | -e [-n]'], privilege: 'advanced',
  completions: ['-b', '-e'],
  run(args, ctx) {
    const state = consoleStateOf(ctx.filer);
    if (!state || args.length < 1 || args.length > 2 || !['-b', '-e'].includes(args[0]) || (args[1] !== undefined && args[1] !== '-n')) return ctx.usage();
    if (args[0] === '-b') { state.statit = { startUs: ctx.now, sample: { ...sampleStatit(ctx) } }; return 'done'; }
    if (!state.statit) { ctx.print('statit: statistics collection was not started; use statit -b first.'); return 'done'; }
    const begun = state.statit.sample as unknown as Partial<StatitSample>;
    // A collection begun by an older lab kept only sysstat's sample: the rest counts from zero.
    const before: StatitSample = begun.base ? (begun as StatitSample) : { base: begun as unknown as Sample, cps: 0, byDisk: {}, ports: {} };
    ctx.printLines(statitReport(ctx, state.statit.startUs, before));
    if (args[1] !== '-n') state.statit = null;
    return 'done';
  },
};
