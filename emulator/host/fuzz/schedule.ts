// Swarm schedules (verification.md, "Two phases per run"; TigerBeetle's vopr.zig): one seed feeds one
// PRNG (the engine's sfc32, never Math.random); it draws which fault kinds are on for this run and how
// often each fires, then the faults themselves, as lab-script lines. A safety phase breaks things; at
// the quiet time every cable is plugged back, every fault cleared, everything powered on, halted filers
// booted, clients started and a giveback attempted, and the lab must converge by the end. The schedule
// is lab-script text, so `filerlab run <lab> --seed S --for D --script <file>` reproduces a run exactly.
// Pure: the same (seed, topology, duration) gives the same text.
import type { Micros } from '../../engine/actor.ts';
import { nextUnit, seedPrng } from '../../engine/prng.ts';
import type { PrngState } from '../../engine/prng.ts';
import type { FuzzTopology } from './topology.ts';

/** Every fault kind a swarm can switch on. Coverage reports a kind that no run reached. */
export const FAULT_KINDS = [
  'pull-fc', 'pull-interconnect', 'pull-ethernet', 'flap-fc', 'flap-interconnect', 'flap-ethernet',
  'port-down', 'switch-down', 'disk-fail', 'media-error', 'disk-slow', 'shelf-power', 'shelf-psu',
  'filer-panic', 'filer-hang', 'filer-power', 'nvram-battery', 'overtemp', 'fan', 'psu',
  'op-takeover', 'op-giveback', 'op-giveback-forced', 'op-forcetakeover', 'op-halt', 'op-boot',
  'op-disk-fail', 'op-abort-wait', 'client-restart', 'auto-giveback-option',
  // Drawn from a stream of their own (LATE_STREAM), so that adding them shifted no earlier seed's schedule.
  'interconnect-down',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduleOptions {
  readonly seed: number;
  readonly durationUs: Micros;
  /** Fraction of the run given to faults; the rest is the quiet phase (default 0.5). */
  readonly safetyFraction?: number;
  /** The chance that each fault kind is on in a seed's swarm (default SWARM_ON_PROBABILITY); lower is sparser. */
  readonly density?: number;
}

export interface ScheduleLine {
  readonly atUs: Micros;
  /** The action, as a lab script writes it after `at <time>`. */
  readonly action: string;
  /** The fault kind that drew it; null for the quiet phase's repairs. */
  readonly kind: FaultKind | null;
}

export interface Schedule {
  readonly seed: number;
  readonly lab: string;
  readonly durationUs: Micros;
  readonly quietAtUs: Micros;
  /** Fault kind → how many times it was drawn (0 for kinds this swarm switched off). */
  readonly swarm: Readonly<Partial<Record<FaultKind, number>>>;
  readonly faults: readonly ScheduleLine[];
  readonly repairs: readonly ScheduleLine[];
  /** `expect` lines at the end, so that `filerlab run --script` exits 1 where the fuzzer failed. */
  readonly expectations: readonly string[];
}

/** The earliest fault: the lab starts warm, but give the clients a moment to mount. */
const FIRST_FAULT_US = 2_000_000;
const MAX_PER_KIND = 4;
/** Kinds added after seeds were pinned in tests and notes, and the stream they are drawn from. */
const LATE_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>(['interconnect-down']);
const LATE_STREAM = 'fuzz-schedule-late';
export const SWARM_ON_PROBABILITY = 0.45;

class Draw {
  private readonly state: PrngState;
  constructor(seed: number, stream = 'fuzz-schedule') { this.state = seedPrng(seed, stream); }
  unit(): number { return nextUnit(this.state); }
  int(min: number, max: number): number { return min + Math.floor(this.unit() * (max - min + 1)); }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.unit() * items.length)];
  }
  chance(probability: number): boolean { return this.unit() < probability; }
}

interface Context {
  readonly draw: Draw;
  readonly topology: FuzzTopology;
  readonly quietAtUs: Micros;
  readonly lines: ScheduleLine[];
  /** RAID groups that already lost a disk in this schedule. */
  readonly failedGroups: Set<string>;
}

export function generateSchedule(topology: FuzzTopology, options: ScheduleOptions): Schedule {
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) throw new Error(`seed must be a whole number, not ${options.seed}`);
  const fraction = options.safetyFraction ?? 0.5;
  const quietAtUs = Math.round(options.durationUs * fraction / 1000) * 1000;
  const draw = new Draw(options.seed);
  const context: Context = { draw, topology, quietAtUs, lines: [], failedGroups: new Set() };
  const swarm: Partial<Record<FaultKind, number>> = {};
  // Draw the whole swarm first, so that adding a kind's events never shifts another kind's on/off.
  const early = FAULT_KINDS.filter((kind) => !LATE_KINDS.has(kind));
  const late = new Draw(options.seed, LATE_STREAM);
  const lateContext: Context = { ...context, draw: late };
  const density = options.density ?? SWARM_ON_PROBABILITY;
  const counts = early.map(() => (draw.chance(density) ? draw.int(1, MAX_PER_KIND) : 0));
  const lateCounts = [...LATE_KINDS].map(() => (late.chance(density) ? late.int(1, MAX_PER_KIND) : 0));
  const drawKinds = (kinds: readonly FaultKind[], kindCounts: readonly number[], into: Context): void => kinds.forEach((kind, index) => {
    swarm[kind] = kindCounts[index];
    for (let event = 0; event < kindCounts[index] && quietAtUs > FIRST_FAULT_US; event++) drawFault(into, kind);
  });
  drawKinds(early, counts, context);
  drawKinds([...LATE_KINDS], lateCounts, lateContext);
  const faults = sortLines(context.lines);
  return { seed: options.seed, lab: topology.lab, durationUs: options.durationUs, quietAtUs, swarm, faults, repairs: repairLines(topology, quietAtUs, options.durationUs), expectations: endExpectations(topology, options.durationUs) };
}

/** What the quiet phase must have reached (the watcher checks the same, and split brain all along). */
function endExpectations(topology: FuzzTopology, durationUs: Micros): string[] {
  const at = `at ${formatTime(durationUs)} expect`;
  return [
    ...topology.vservers.map((vserver) => `${at} vservers.${vserver}.state == "running"`),
    ...topology.clients.flatMap((client) => [`${at} clients.${client}.lostWrites == 0`, `${at} clients.${client}.staleReads == 0`]),
    `${at} violations == []`,
  ];
}

function sortLines(lines: readonly ScheduleLine[]): ScheduleLine[] {
  return lines.map((line, order) => ({ line, order })).sort((a, b) => a.line.atUs - b.line.atUs || a.order - b.order).map(({ line }) => line);
}

/** A time in the safety phase, on a whole millisecond. */
function faultTime(context: Context, from = FIRST_FAULT_US): Micros {
  const span = Math.max(0, context.quietAtUs - from);
  return from + Math.floor(context.draw.unit() * span / 1000) * 1000;
}

/** A fault at a time and (maybe) its end within the safety phase; the quiet phase repairs the rest. */
function window(context: Context, kind: FaultKind, start: string, end: string | null, maxUs = 20_000_000): void {
  const atUs = faultTime(context);
  context.lines.push({ atUs, action: start, kind });
  if (end === null) return;
  const untilUs = atUs + 1000 * context.draw.int(500, maxUs / 1000);
  if (untilUs < context.quietAtUs) context.lines.push({ atUs: untilUs, action: end, kind });
}

function flap(context: Context, kind: FaultKind, end: string): void {
  let atUs = faultTime(context);
  const times = context.draw.int(2, 6);
  for (let round = 0; round < times && atUs < context.quietAtUs; round++) {
    context.lines.push({ atUs, action: `pull ${end}`, kind });
    atUs += 1000 * context.draw.int(100, 3000);
    if (atUs < context.quietAtUs) context.lines.push({ atUs, action: `plug ${end}`, kind });
    atUs += 1000 * context.draw.int(100, 3000);
  }
}

const cableEnd = (context: Context, kind: 'fc' | 'interconnect' | 'ethernet'): string | undefined => {
  const cables = context.topology.cables.filter((cable) => cable.kind === kind);
  if (cables.length === 0) return undefined;
  const cable = context.draw.pick(cables);
  const end = context.draw.chance(0.5) ? cable.a : cable.b;
  return `${end.actor}:${end.port}`;
};

/** A filer's ends of its interconnect cables (`filerA:ic0`, `filerA:ic1`). */
function interconnectEnds(context: Context, filer: string | undefined): string[] {
  const ends: string[] = [];
  for (const cable of context.topology.cables) {
    if (cable.kind !== 'interconnect') continue;
    for (const end of [cable.a, cable.b]) if (end.actor === filer) ends.push(`${end.actor}:${end.port}`);
  }
  return ends.sort();
}

function drawFault(context: Context, kind: FaultKind): void {
  const { draw, topology } = context;
  const filer = topology.filers.length > 0 ? draw.pick(topology.filers).id : undefined;
  switch (kind) {
    case 'pull-fc': case 'pull-interconnect': case 'pull-ethernet': {
      const end = cableEnd(context, kind === 'pull-fc' ? 'fc' : kind === 'pull-interconnect' ? 'interconnect' : 'ethernet');
      if (end) window(context, kind, `pull ${end}`, `plug ${end}`, 40_000_000);
      return;
    }
    case 'flap-fc': case 'flap-interconnect': case 'flap-ethernet': {
      const end = cableEnd(context, kind === 'flap-fc' ? 'fc' : kind === 'flap-interconnect' ? 'interconnect' : 'ethernet');
      if (end) flap(context, kind, end);
      return;
    }
    case 'interconnect-down': {
      // Both interconnect cables of one filer at once (the mailbox heartbeat must keep the pair apart).
      const ends = interconnectEnds(context, filer);
      if (ends.length === 0) return;
      const atUs = faultTime(context);
      const untilUs = atUs + 1000 * draw.int(5_000, 40_000);
      for (const end of ends) context.lines.push({ atUs, action: `pull ${end}`, kind });
      if (untilUs < context.quietAtUs) for (const end of ends) context.lines.push({ atUs: untilUs, action: `plug ${end}`, kind });
      return;
    }
    case 'port-down': {
      const end = cableEnd(context, draw.pick(['fc', 'interconnect', 'ethernet'] as const));
      if (end) window(context, kind, `fault ${end} down`, `clear ${end} down`);
      return;
    }
    default:
      if (drawComponentFault(context, kind)) return;
      if (filer !== undefined) drawFilerFault(context, kind, filer);
  }
}

/** Switches, shelves, disks and clients. Returns false for kinds that are about a filer. */
function drawComponentFault(context: Context, kind: FaultKind): boolean {
  const { draw, topology } = context;
  switch (kind) {
    case 'switch-down': {
      if (topology.switches.length === 0) return true;
      const target = draw.pick(topology.switches);
      window(context, kind, `fault ${target} down`, `clear ${target} down`);
      return true;
    }
    case 'shelf-power': case 'shelf-psu': {
      if (topology.shelves.length === 0) return true;
      const target = draw.pick(topology.shelves);
      if (kind === 'shelf-power') window(context, kind, `power ${target} off`, `power ${target} on`, 30_000_000);
      else window(context, kind, `fault ${target} psu 0`, `clear ${target} psu 0`);
      return true;
    }
    case 'disk-fail': case 'op-disk-fail': case 'media-error': case 'disk-slow':
      drawDiskFault(context, kind);
      return true;
    case 'client-restart': {
      if (topology.clients.length === 0) return true;
      const target = draw.pick(topology.clients);
      window(context, kind, `client ${target} stop`, `client ${target} start`);
      return true;
    }
    default:
      return false;
  }
}

function drawDiskFault(context: Context, kind: FaultKind): void {
  const { draw, topology } = context;
  if (kind === 'media-error' || kind === 'disk-slow') {
    const disk = draw.pick(topology.disks);
    const fault = kind === 'media-error' ? `media-error ${draw.int(0, 4095)}` : 'slow';
    window(context, kind, `fault ${disk.component} ${fault}`, `clear ${disk.component} ${fault.split(' ')[0]}`);
    return;
  }
  // One failed disk per RAID group at most: two in one group lose the aggregate by design.
  const candidates = topology.disks.filter((disk) => disk.raidGroup !== 'spare' && !context.failedGroups.has(disk.raidGroup));
  if (candidates.length === 0) return;
  const disk = draw.pick(candidates);
  context.failedGroups.add(disk.raidGroup);
  const atUs = faultTime(context);
  const action = kind === 'disk-fail' ? `fault ${disk.component} fail` : `console ${disk.owner} "disk fail -f ${disk.ontapName}"`;
  context.lines.push({ atUs, action, kind });
}

function drawFilerFault(context: Context, kind: FaultKind, filer: string): void {
  const { draw } = context;
  const partner = context.topology.filers.find((candidate) => candidate.id === filer)?.partner ?? filer;
  const console = (text: string): string => `console ${filer} ${JSON.stringify(text)}`;
  switch (kind) {
    case 'filer-panic': window(context, kind, `fault ${filer} panic`, null); return;
    case 'filer-hang': window(context, kind, `fault ${filer} hang`, `clear ${filer} hang`, 40_000_000); return;
    case 'filer-power': window(context, kind, `power ${filer} off`, `power ${filer} on`, 40_000_000); return;
    case 'nvram-battery': case 'overtemp': case 'fan': case 'psu': {
      const args = kind === 'fan' || kind === 'psu' ? ' 0' : '';
      window(context, kind, `fault ${filer} ${kind}${args}`, `clear ${filer} ${kind}${args}`, 40_000_000);
      return;
    }
    case 'op-takeover': window(context, kind, console('cf takeover'), null); return;
    case 'op-forcetakeover': window(context, kind, console('cf forcetakeover -f'), null); return;
    case 'op-giveback': window(context, kind, console('cf giveback'), null); return;
    case 'op-giveback-forced': window(context, kind, console('cf giveback -f'), null); return;
    case 'op-halt': {
      const atUs = faultTime(context);
      context.lines.push({ atUs, action: console('halt -t 0'), kind });
      // Often booted again before the quiet phase: `boot_ontap` at a bad moment of the partner's.
      const bootUs = atUs + 1000 * draw.int(2000, 30_000);
      if (draw.chance(0.6) && bootUs < context.quietAtUs) context.lines.push({ atUs: bootUs, action: console('boot_ontap'), kind });
      return;
    }
    case 'op-boot': window(context, kind, console('boot_ontap'), null); return;
    case 'op-abort-wait': window(context, kind, `key ${filer} ctrl-c`, null); return;
    case 'auto-giveback-option': {
      // A delay short enough that a partner waiting for giveback in the safety phase is given back
      // automatically before the quiet phase's `cf giveback` does it (drawn last: shifts no other kind).
      const delaySeconds = draw.int(5, 20);
      context.lines.push({ atUs: 1_000_000, action: `console ${partner} "options cf.giveback.auto.enable on"`, kind });
      context.lines.push({ atUs: 1_000_000, action: `console ${partner} "options cf.giveback.auto.delay.seconds ${delaySeconds}"`, kind });
      return;
    }
    default:
      return;
  }
}

/**
 * The quiet phase: everything repaired at the quiet time whatever the safety phase did (a repair of
 * something that is not broken does nothing), halted filers booted twice, then gives back tried twice.
 */
function repairLines(topology: FuzzTopology, quietAtUs: Micros, durationUs: Micros): ScheduleLine[] {
  const lines: ScheduleLine[] = [];
  const at = (atUs: Micros, action: string): void => { lines.push({ atUs, action, kind: null }); };
  const ends = new Set<string>();
  for (const cable of topology.cables) for (const end of [cable.a, cable.b]) ends.add(`${end.actor}:${end.port}`);
  for (const end of [...ends].sort()) at(quietAtUs, `plug ${end}`);
  for (const end of [...ends].sort()) at(quietAtUs, `clear ${end} down`);
  for (const target of topology.switches) at(quietAtUs, `clear ${target} down`);
  for (const shelf of topology.shelves) { at(quietAtUs, `power ${shelf} on`); at(quietAtUs, `clear ${shelf} psu 0`); }
  for (const disk of topology.disks) { at(quietAtUs, `clear ${disk.component} media-error`); at(quietAtUs, `clear ${disk.component} slow`); }
  for (const filer of topology.filers) {
    for (const fault of ['hang', 'nvram-battery', 'overtemp', 'fan 0', 'psu 0']) at(quietAtUs, `clear ${filer.id} ${fault}`);
    at(quietAtUs, `power ${filer.id} on`);
  }
  for (const client of topology.clients) at(quietAtUs, `client ${client} start`);
  const quietUs = durationUs - quietAtUs;
  // Booted twice: a filer that resumes from a hang at the quiet time may find its disks taken over and
  // halt only after the first boot was typed (keys typed during the firmware's self-test are lost).
  const firstBootUs = quietAtUs + Math.min(5_000_000, Math.floor(quietUs / 8));
  const secondBootUs = quietAtUs + Math.floor(quietUs / 4 / 1000) * 1000;
  for (const bootUs of [firstBootUs, secondBootUs]) for (const filer of topology.filers) at(bootUs, `console ${filer.id} "boot_ontap"`);
  for (const fraction of [0.4, 0.6]) {
    const givebackUs = quietAtUs + Math.floor(quietUs * fraction / 1000) * 1000;
    for (const filer of topology.filers) at(givebackUs, `console ${filer.id} "cf giveback"`);
  }
  return lines;
}

function formatTime(atUs: Micros): string {
  return atUs % 1_000_000 === 0 ? `${atUs / 1_000_000}s` : atUs % 1000 === 0 ? `${atUs / 1000}ms` : `${atUs}us`;
}

export function formatLine(line: ScheduleLine): string {
  return `at ${formatTime(line.atUs)} ${line.action}`;
}

/** The schedule as a lab script; `faults` replaces the safety phase's lines (the shrinker's trials). */
export function scheduleText(schedule: Schedule, faults: readonly ScheduleLine[] = schedule.faults): string {
  const on = Object.entries(schedule.swarm).filter(([, count]) => (count ?? 0) > 0).map(([kind, count]) => `${kind}×${count}`);
  return [
    `# lab: ${schedule.lab}`,
    `# for: ${formatTime(schedule.durationUs)}`,
    `# filerlab fuzz, seed ${schedule.seed}: swarm ${on.join(' ') || '(nothing on)'}`,
    `# Reproduce: filerlab run ${schedule.lab} --seed ${schedule.seed} --for ${formatTime(schedule.durationUs)} --script THIS_FILE`,
    `# Safety phase (faults) until ${formatTime(schedule.quietAtUs)}:`,
    ...faults.map(formatLine),
    `# Quiet phase from ${formatTime(schedule.quietAtUs)}: repair everything; the lab must converge by the end.`,
    ...schedule.repairs.map(formatLine),
    '# Liveness after the quiet phase (split brain is checked all along by filerlab fuzz):',
    ...schedule.expectations,
    '',
  ].join('\n');
}

export { formatTime as formatScheduleTime };
