// One graded attempt at a scenario, headless (`filerlab scenario run`): the scenario's lab with its
// setup (and drawn fault) in place, the trainee's answers script on top, the run summary sampled every
// virtual second by the grader, and the attempt's recording, which `filerlab replay` re-executes.
import type { Micros } from '../engine/actor.ts';
import { MICROS_PER_SECOND } from '../engine/actor.ts';
import { RECORDING_CHECKPOINT_EVERY_US } from '../engine/recording.ts';
import { drawFault } from '../lab/scenario/draw.ts';
import { hintsTaken, ScenarioGrader } from '../lab/scenario/grade.ts';
import { gradebookHeader, gradebookRow } from '../lab/scenario/gradebook.ts';
import type { Grade } from '../lab/scenario/grade.ts';
import type { FaultChoice, Scenario } from '../lab/scenario/parse.ts';
import { resolveScript } from '../lab/script.ts';
import type { ResolvedStep, ScriptLine } from '../lab/script.ts';
import { loadLabSources, openLabSpec, seedOf } from './engine-lab-loader.ts';
import type { LabSources, PlacementName } from './engine-lab-loader.ts';
import type { LabSpec } from '../engine/lab-spec.ts';
import { runScripted } from './engine-run.ts';
import type { Lab } from '../engine/lab.ts';
import { RecordingStream } from './recording-stream.ts';

/** How often the grader looks at the run summary: a goal's time is known to this grain. */
export const GRADING_EVERY_US: Micros = MICROS_PER_SECOND;

export interface AttemptOptions {
  readonly answers: readonly ScriptLine[];
  /** Names the answers script in errors. */
  readonly answersName: string;
  /** The fault draw's seed: given, else the scenario's own (a scenario without fault choices ignores it). */
  readonly faultSeed: number | undefined;
  readonly placement: PlacementName;
  /** The attempt's recording, written as the run goes (checked writable by the caller). */
  readonly recordTo: string;
  /** Sees the lab once it is open (console transcripts for exports). */
  readonly onLab?: (lab: Lab) => void;
}

export interface AttemptResult extends Grade {
  readonly scenario: string;
  readonly title: string;
  readonly lab: string;
  readonly seed: number;
  readonly fault: string | null;
  readonly faultSeed: number | null;
  readonly traceHash: string;
}

export type AttemptAnswer = { ok: true; result: AttemptResult } | { ok: false; errors: string[] };

/** An attempt's result as `filerlab scenario run --json` prints it and the window's panel exports it. */
export function resultDocument(result: AttemptResult, trainee: string, recording: string): AttemptResult & { trainee: string | null; recording: string } {
  return { ...result, trainee: trainee || null, recording };
}

/** An attempt's gradebook CSV lines (RFC 4180): the scenario's header and the attempt's row. */
export function resultCsvLines(result: AttemptResult, trainee: string, recording: string): { header: string; row: string } {
  const { scenario, lab, seed, fault, faultSeed } = result;
  return { header: gradebookHeader(result.goals.map((goal) => goal.id)), row: gradebookRow({ scenario, trainee, lab, seed, fault, faultSeed, recording }, result) };
}

/** Why an answers script is refused before the run: checks belong to the scenario, hints must exist. */
export function answersProblems(scenario: Scenario, answers: readonly ScriptLine[], name: string): string[] {
  const problems = answers.filter((line) => line.action.kind === 'expect')
    .map((line) => `${name}: line ${line.line}: an answers script holds the trainee's actions; the scenario's goals are its checks`);
  const hints = hintsTaken(answers, scenario);
  if (!hints.ok) problems.push(...hints.errors.map((error) => `${name}: ${error}`));
  return problems;
}

/** A scenario's lab, opened with the drawn fault named, and its setup steps, ready for an attempt. */
export interface AttemptLab {
  readonly lab: Lab;
  readonly spec: LabSpec;
  readonly seed: number;
  readonly fault: FaultChoice | undefined;
  readonly faultSeed: number | undefined;
  /** The scenario's setup and the drawn fault's, in time order (setup first at equal times). */
  readonly setup: readonly ResolvedStep[];
}

/**
 * Opens the scenario's lab as every attempt starts it, headless or in the window: its seed, the fault
 * drawn by `faultSeed` (else the scenario's own), the setup resolved against the lab, and the markers
 * that name the scenario and the fault at time 0 already entered.
 */
export async function openAttemptLab(scenario: Scenario, sources: LabSources, faultSeedGiven: number | undefined, placement: PlacementName):
  Promise<{ ok: true; attempt: AttemptLab } | { ok: false; errors: string[] }> {
  const resolvedLab = sources.resolve(scenario.lab);
  if (!resolvedLab.ok) return { ok: false, errors: [`scenario ${scenario.name}: lab '${scenario.lab}': ${resolvedLab.errors.join('; ')}`] };
  const spec = resolvedLab.spec;
  const faultSeed = scenario.faults ? faultSeedGiven ?? scenario.faults.seed ?? 0 : undefined;
  const fault = faultSeed === undefined ? undefined : drawFault(scenario, faultSeed);
  const setup = resolveScript([...scenario.setup, ...(fault?.setup ?? [])], spec);
  if (!setup.ok) return { ok: false, errors: setup.errors.map((error) => `scenario ${scenario.name}: setup: ${error}`) };
  const seed = seedOf(scenario.seed, resolvedLab);
  const opened = await openLabSpec(sources, scenario.lab, spec, { seed, placement });
  if (!opened.ok) return opened;
  // The recording names what it is: the scenario and the drawn fault, as markers at time 0.
  const markers = [`scenario ${scenario.name}`, ...(fault ? [`fault ${fault.name} (fault seed ${faultSeed})`] : [])];
  for (const text of markers) opened.lab.input({ kind: 'mark', text });
  return { ok: true, attempt: { lab: opened.lab, spec, seed, fault, faultSeed, setup: inTimeOrder(setup.steps) } };
}

/** Steps sorted by time, stable: setup before answers at equal times (the trainee meets the fault first). */
function inTimeOrder(steps: readonly ResolvedStep[]): ResolvedStep[] {
  return steps.map((step, order) => ({ step, order }))
    .sort((a, b) => a.step.line.atUs - b.step.line.atUs || a.order - b.order).map(({ step }) => step);
}

export async function runAttempt(scenario: Scenario, options: AttemptOptions): Promise<AttemptAnswer> {
  const refused = answersProblems(scenario, options.answers, options.answersName);
  if (refused.length > 0) return { ok: false, errors: refused };
  const loaded = await loadLabSources();
  if (!loaded.ok) return { ok: false, errors: [loaded.error] };
  const late = options.answers.find((line) => line.atUs > scenario.timeLimitUs);
  if (late) return { ok: false, errors: [`${options.answersName}: line ${late.line}: at ${late.atUs / 1e6} s is past the scenario's time limit, ${scenario.timeLimitUs / 1e6} s`] };
  const opened = await openAttemptLab(scenario, loaded.sources, options.faultSeed, options.placement);
  if (!opened.ok) return opened;
  const { lab, spec, seed, fault, faultSeed } = opened.attempt;
  const answers = resolveScript(options.answers, spec);
  if (!answers.ok) {
    await lab.dispose();
    return { ok: false, errors: answers.errors.map((error) => `${options.answersName}: ${error}`) };
  }
  options.onLab?.(lab);
  const grader = new ScenarioGrader(scenario);
  let recording: RecordingStream | undefined;
  try {
    recording = new RecordingStream(options.recordTo, lab, scenario.lab);
    const stream = recording;
    const steps = inTimeOrder([...opened.attempt.setup, ...answers.steps]);
    const document = await runScripted(lab, {
      steps, untilUs: scenario.timeLimitUs, speed: 'max',
      checkpointEveryUs: RECORDING_CHECKPOINT_EVERY_US, onCheckpoint: (atUs, traceHash) => stream.checkpoint({ atUs, traceHash }),
      sampleEveryUs: GRADING_EVERY_US, onSample: async (atUs) => { grader.observe(atUs, await lab.summary()); stream.flush(); },
    });
    const refusedInput = document.expectations.failed[0];
    if (refusedInput) return { ok: false, errors: [`${options.answersName}: line ${refusedInput.line}: ${String(refusedInput.actual)}`] };
    const endUs = lab.nowUs;
    grader.observe(endUs, await lab.summary());
    stream.finish({ atUs: endUs, traceHash: document.traceHash });
    recording = undefined;
    const hints = hintsTaken(options.answers, scenario);
    const grade = grader.finish(endUs, hints.ok ? hints.hints : []);
    return {
      ok: true,
      result: {
        scenario: scenario.name, title: scenario.title, lab: scenario.lab, seed,
        fault: fault?.name ?? null, faultSeed: faultSeed ?? null, traceHash: document.traceHash, ...grade,
      },
    };
  } catch (error) {
    // A recording that cannot be written: the attempt is not graded without it.
    return { ok: false, errors: [(error as Error).message] };
  } finally {
    try { recording?.abandon(); } catch { /* already failing */ }
    await lab.dispose();
  }
}
