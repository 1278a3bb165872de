// One fuzz run (verification.md, "Harness shape"): the seed's swarm schedule as a lab script, run in
// `single` placement as `filerlab run` runs it (same inputs at the same virtual times: the same trace
// hash), with the lab-wide watcher on every window and a summary sample every virtual second.
import { performance } from 'node:perf_hooks';
import type { Micros } from '../../engine/actor.ts';
import type { BehaviorRegistry } from '../../engine/actor.ts';
import type { Lab } from '../../engine/lab.ts';
import { parseScript, resolveScript } from '../../lab/script.ts';
import type { ResolvedStep } from '../../lab/script.ts';
import { loadLabSources, openLabSpec } from '../engine-lab-loader.ts';
import type { LabSources } from '../engine-lab-loader.ts';
import { countCoverage } from './coverage.ts';
import type { Coverage } from './coverage.ts';
import { LabWatcher } from './invariants.ts';
import type { FuzzFailure } from './invariants.ts';
import { sabotagedRegistry } from './sabotage.ts';
import type { SabotageName } from './sabotage.ts';
import { generateSchedule, scheduleText } from './schedule.ts';
import type { Schedule, ScheduleLine } from './schedule.ts';
import { fuzzTopology } from './topology.ts';

export const SAMPLE_EVERY_US: Micros = 1_000_000;

export interface SeedRunOptions {
  readonly lab: string;
  readonly seed: number;
  readonly durationUs: Micros;
  /** Break the code on purpose (the proof that the fuzzer bites). */
  readonly sabotage?: SabotageName;
  /** The swarm's density (schedule.ts); sparse swarms leave quiet stretches where subtler faults show. */
  readonly density?: number;
  /** Replace the safety phase's lines (shrinking); the quiet phase is kept whole. */
  readonly faults?: readonly ScheduleLine[];
  /** Summary samples per virtual second for the vserver split-brain check (0: none). */
  readonly sampleEveryUs?: Micros;
}

export interface SeedResult {
  readonly seed: number;
  readonly lab: string;
  readonly traceHash: string;
  readonly virtualMs: number;
  readonly wallMs: number;
  readonly events: number;
  readonly failures: readonly FuzzFailure[];
  readonly coverage: Coverage;
  readonly maxAddressOverlapMs: number;
  readonly script: string;
  /** Wall time spent in summary samples (the cost of the vserver check). */
  readonly sampleWallMs: number;
}

let cachedSources: Promise<LabSources> | undefined;

async function labSources(): Promise<LabSources> {
  cachedSources ??= loadLabSources().then((loaded) => {
    if (!loaded.ok) throw new Error(loaded.error);
    return loaded.sources;
  });
  return cachedSources;
}

export async function scheduleFor(lab: string, seed: number, durationUs: Micros, density?: number): Promise<Schedule> {
  const sources = await labSources();
  const resolved = sources.resolve(lab);
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  return generateSchedule(fuzzTopology(resolved.spec), { seed, durationUs, density });
}

export async function runSeed(options: SeedRunOptions): Promise<SeedResult> {
  const wallStart = performance.now();
  const sources = await labSources();
  const resolved = sources.resolve(options.lab);
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  const topology = fuzzTopology(resolved.spec);
  const schedule = generateSchedule(topology, { seed: options.seed, durationUs: options.durationUs, density: options.density });
  const faults = options.faults ?? schedule.faults;
  const script = scheduleText(schedule, faults);
  const parsed = parseScript(script);
  if (!parsed.ok) throw new Error(`the schedule of seed ${options.seed} does not parse: ${parsed.errors.join('; ')}`);
  const steps = resolveScript(parsed.lines, resolved.spec);
  if (!steps.ok) throw new Error(`the schedule of seed ${options.seed} does not resolve: ${steps.errors.join('; ')}`);
  const registry: BehaviorRegistry = options.sabotage ? sabotagedRegistry(options.sabotage, sources.registry) : sources.registry;
  const opened = await openLabSpec({ ...sources, registry }, options.lab, resolved.spec, { seed: options.seed, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('; '));
  const lab = opened.lab;
  const watcher = new LabWatcher({
    partners: new Map(topology.filers.flatMap((filer) => (filer.partner ? [[filer.id, filer.partner] as const] : []))),
    clientByAddress: new Map(resolved.spec.actors.flatMap((actor) => (actor.kind === 'client' ? [[(actor.config as { address: string }).address.split('/')[0], actor.id] as const] : []))),
  });
  for (const line of faults) if (line.kind !== null) watcher.coverage[`fault.${line.kind}`] = 1;
  countCoverage(watcher.coverage, 'runs');
  lab.onDidEmit((emission) => watcher.observe(emission));
  try {
    const sampleWallMs = await drive(lab, steps.steps, options.durationUs, watcher, options.sampleEveryUs ?? SAMPLE_EVERY_US);
    return {
      seed: options.seed, lab: options.lab, traceHash: await lab.traceHash(), virtualMs: lab.nowUs / 1000,
      wallMs: Math.round(performance.now() - wallStart), events: lab.eventsHandled, failures: watcher.failures,
      coverage: watcher.coverage, maxAddressOverlapMs: watcher.maxAddressOverlapMs, script, sampleWallMs: Math.round(sampleWallMs),
    };
  } finally {
    await lab.dispose();
  }
}

/** Runs the steps at their times with a sample every `everyUs`; returns the wall time of the samples. */
async function drive(lab: Lab, steps: readonly ResolvedStep[], untilUs: Micros, watcher: LabWatcher, everyUs: Micros): Promise<number> {
  let nextSampleUs = everyUs > 0 ? everyUs : Infinity;
  let sampleMs = 0;
  const advance = async (targetUs: Micros): Promise<void> => {
    while (lab.nowUs < targetUs) {
      await lab.runUntil(Math.min(targetUs, nextSampleUs));
      if (lab.nowUs < nextSampleUs) continue;
      const start = performance.now();
      watcher.sample(await lab.summary(), lab.nowUs);
      sampleMs += performance.now() - start;
      nextSampleUs += everyUs;
    }
  };
  for (const step of steps) {
    if (step.line.atUs > untilUs) break;
    await advance(step.line.atUs);
    if (step.kind !== 'input') continue;
    const result = lab.input(step.input);
    if (!result.ok) watcher.fail('input-refused', lab.nowUs, `line ${step.line.line} (${step.line.text}): ${result.error}`);
  }
  await advance(untilUs);
  watcher.finish(await lab.summary(), lab.nowUs);
  return sampleMs;
}
