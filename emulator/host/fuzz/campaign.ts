// A fuzz campaign: a range of seeds, in parallel, each checked; failing seeds written out as lab
// scripts with the command that reproduces each, the first failure of each kind shrunk; coverage
// summed over the runs and its gaps listed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Micros } from '../../engine/actor.ts';
import type { SeedOutcome } from './campaign-seed.ts';
import { coverageGaps, mergeCoverage, sortedCoverage } from './coverage.ts';
import type { Coverage } from './coverage.ts';
import type { FuzzFailure } from './invariants.ts';
import { runSeeds } from './pool.ts';
import type { SabotageName } from './sabotage.ts';
import { formatScheduleTime } from './schedule.ts';
import { failureSignature, shrinkLines } from './shrink.ts';
import { runSeed, scheduleFor } from './simulate.ts';

export interface CampaignOptions {
  readonly lab: string;
  readonly seeds: readonly number[];
  readonly durationUs: Micros;
  readonly jobs: number;
  readonly checkDeterminism: boolean;
  readonly sabotage?: SabotageName;
  /** The swarm's density (schedule.ts); default SWARM_ON_PROBABILITY. */
  readonly density?: number;
  /** Where failing schedules are written. */
  readonly outDir: string;
  /** Runs the shrinker may spend on each failure kind (0: no shrinking). */
  readonly shrinkRuns: number;
  readonly onSeedDone?: (done: number, total: number, outcome: SeedOutcome) => void;
  readonly onShrinkStep?: (seed: number, runs: number) => void;
}

export interface ShrunkSchedule {
  readonly path: string;
  readonly lines: number;
  readonly fromLines: number;
  readonly runs: number;
  readonly exhausted: boolean;
  readonly command: string;
}

export interface FailingSeed {
  readonly seed: number;
  readonly traceHash: string;
  readonly failures: readonly FuzzFailure[];
  readonly script: string;
  readonly command: string;
  shrunk?: ShrunkSchedule;
}

export interface CampaignReport {
  readonly lab: string;
  readonly seeds: number;
  readonly virtualMs: number;
  readonly wallMs: number;
  readonly seedsPerHour: number;
  readonly violations: FailingSeed[];
  readonly coverage: Coverage;
  readonly gaps: string[];
  readonly determinismChecked: boolean;
  /** Each seed's trace hash (seed → hash): a rerun anywhere must end on the same one. */
  readonly traceHashes: Readonly<Record<number, string>>;
  /** The cost of the vserver split-brain samples, as a share of the runs' wall time. */
  readonly sampleShare: number;
  readonly maxAddressOverlapMs: number;
}

export function reproduceCommand(lab: string, seed: number, durationUs: Micros, script: string, sabotage?: SabotageName, density?: number): string {
  if (sabotage) return `filerlab fuzz --lab ${lab} --seeds ${seed}..${seed} --for ${formatScheduleTime(durationUs)} --sabotage ${sabotage}${density === undefined ? '' : ` --density ${density}`}`;
  return `filerlab run ${lab} --seed ${seed} --for ${formatScheduleTime(durationUs)} --script ${script}`;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const wallStart = performance.now();
  const outcomes: SeedOutcome[] = [];
  const requests = options.seeds.map((seed) => ({ lab: options.lab, seed, durationUs: options.durationUs, sabotage: options.sabotage, density: options.density, checkDeterminism: options.checkDeterminism }));
  await runSeeds(requests, options.jobs, (outcome) => {
    outcomes.push(outcome);
    options.onSeedDone?.(outcomes.length, requests.length, outcome);
  });
  outcomes.sort((left, right) => left.result.seed - right.result.seed);
  const wallMs = performance.now() - wallStart;
  const coverage: Coverage = {};
  for (const outcome of outcomes) mergeCoverage(coverage, outcome.result.coverage);
  const failing = outcomes.filter((outcome) => outcome.result.failures.length > 0).map((outcome) => writeFailure(options, outcome));
  await shrinkFirstOfEachKind(options, failing);
  const runWallMs = outcomes.reduce((sum, outcome) => sum + outcome.result.wallMs, 0);
  return {
    lab: options.lab, seeds: outcomes.length,
    virtualMs: outcomes.reduce((sum, outcome) => sum + outcome.result.virtualMs, 0),
    wallMs: Math.round(wallMs),
    seedsPerHour: Math.round(outcomes.length / (wallMs / 3_600_000)),
    violations: failing, coverage: sortedCoverage(coverage), gaps: coverageGaps(coverage),
    determinismChecked: options.checkDeterminism,
    traceHashes: Object.fromEntries(outcomes.map((outcome) => [outcome.result.seed, outcome.result.traceHash])),
    sampleShare: runWallMs > 0 ? outcomes.reduce((sum, outcome) => sum + outcome.result.sampleWallMs, 0) / runWallMs : 0,
    maxAddressOverlapMs: Math.max(0, ...outcomes.map((outcome) => outcome.result.maxAddressOverlapMs)),
  };
}

function writeFailure(options: CampaignOptions, outcome: SeedOutcome): FailingSeed {
  const { result } = outcome;
  mkdirSync(options.outDir, { recursive: true });
  const suffix = options.sabotage ? `-${options.sabotage}` : '';
  const script = join(options.outDir, `${options.lab}-seed-${result.seed}${suffix}.script`);
  writeFileSync(script, result.script);
  return { seed: result.seed, traceHash: result.traceHash, failures: result.failures, script, command: reproduceCommand(options.lab, result.seed, options.durationUs, script, options.sabotage, options.density) };
}

/** The shrinker on the first failing seed of each failure signature, within the run budget. */
async function shrinkFirstOfEachKind(options: CampaignOptions, failing: FailingSeed[]): Promise<void> {
  if (options.shrinkRuns <= 0) return;
  const done = new Set<string>();
  for (const seed of failing) {
    const target = seed.failures.find((failure) => failure.kind !== 'determinism');
    if (!target || done.has(failureSignature(target))) continue;
    done.add(failureSignature(target));
    seed.shrunk = await shrinkSeed(options, seed.seed, failureSignature(target));
  }
}

export async function shrinkSeed(options: Pick<CampaignOptions, 'lab' | 'durationUs' | 'sabotage' | 'density' | 'outDir' | 'shrinkRuns' | 'onShrinkStep'>, seed: number, signature: string): Promise<ShrunkSchedule> {
  const schedule = await scheduleFor(options.lab, seed, options.durationUs, options.density);
  let lastScript = '';
  let runs = 0;
  const shrunk = await shrinkLines(schedule.faults, async (candidate) => {
    const result = await runSeed({ lab: options.lab, seed, durationUs: options.durationUs, sabotage: options.sabotage, density: options.density, faults: candidate });
    const fails = result.failures.some((failure) => failureSignature(failure) === signature);
    options.onShrinkStep?.(seed, ++runs);
    if (fails) lastScript = result.script;
    return fails;
  }, options.shrinkRuns);
  if (lastScript === '') lastScript = (await runSeed({ lab: options.lab, seed, durationUs: options.durationUs, sabotage: options.sabotage, density: options.density, faults: shrunk.lines })).script;
  mkdirSync(options.outDir, { recursive: true });
  const suffix = options.sabotage ? `-${options.sabotage}` : '';
  const path = join(options.outDir, `${options.lab}-seed-${seed}${suffix}.min.script`);
  writeFileSync(path, lastScript);
  return {
    path, lines: shrunk.lines.length, fromLines: schedule.faults.length, runs: shrunk.runs, exhausted: shrunk.exhausted,
    command: `filerlab run ${options.lab} --seed ${seed} --for ${formatScheduleTime(options.durationUs)} --script ${path}`,
  };
}
