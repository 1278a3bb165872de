// A scripted run of a lab, as `filerlab run` does it: the script's steps at their virtual times
// (inputs, speed changes, expectations evaluated on the run summary at that time), paced on the wall
// clock unless the speed is max, then the summary document of the issue.
import type { Lab } from '../engine/lab.ts';
import type { Micros } from '../engine/actor.ts';
import type { RunSummary } from '../engine/summary.ts';
import { evaluateExpectation } from '../lab/expect.ts';
import type { ResolvedStep } from '../lab/script.ts';
import { plainText } from './plain-text.ts';
import { TextTail } from './text-tail.ts';

export interface FailedExpectation {
  readonly line: number;
  readonly text: string;
  readonly actual: unknown;
}

export interface RunDocument {
  lab: string;
  seed: number;
  placement: string;
  virtualMs: number;
  wallMs: number;
  events: number;
  traceHash: string;
  filers: Record<string, unknown>;
  vservers: Record<string, unknown>;
  clients: Record<string, unknown>;
  violations: unknown[];
  expectations: { passed: number; failed: FailedExpectation[] };
  [field: string]: unknown;
}

export interface ScriptedRunOptions {
  readonly steps: readonly ResolvedStep[];
  readonly untilUs: Micros;
  readonly speed: number | 'max';
  /** Called at every checkpoint interval of virtual time (recordings keep periodic hashes). */
  readonly onCheckpoint?: (atUs: Micros, traceHash: string) => void;
  readonly checkpointEveryUs?: Micros;
  /** Called at every sampling interval of virtual time, awaited (a scenario's grader, a recording's flush). */
  readonly onSample?: (atUs: Micros) => Promise<void> | void;
  readonly sampleEveryUs?: Micros;
  /** Called every PROGRESS_EVERY_US of virtual time, for a progress display. */
  readonly onProgress?: (atUs: Micros) => void;
}

const PACE_SLICE_US = 20_000;
/** At max speed a run advances in slices this long when someone watches its progress. */
const PROGRESS_EVERY_US = 1_000_000;

/** Console text kept per filer for `expect filers.<f>.console contains …` (the newest part wins). */
const TRANSCRIPT_KEEP_CHARS = 1_000_000;
const TRANSCRIPT_PATH = /^filers\.([^.]+)\.console$/;

/**
 * What each filer's console printed, for expectations on `filers.<f>.console`: the run summary has the
 * console's mode and prompt under that path, a script asks about what a trainee saw on the screen.
 */
class ExpectTranscripts {
  private readonly texts = new Map<string, TextTail>();

  constructor(lab: Lab) {
    lab.onDidEmit((emission) => {
      for (const output of emission.outputs) {
        if (output.type !== 'console') continue;
        // Amortized: `(text + more).slice(-N)` copied N characters per output once the text was full.
        let tail = this.texts.get(output.actor);
        if (!tail) this.texts.set(output.actor, tail = new TextTail(TRANSCRIPT_KEEP_CHARS));
        tail.append(output.text);
      }
    });
  }

  /** The summary as an expectation sees it: `filers.<f>.console` is the transcript as the screen showed it. */
  view(summary: RunSummary, path: string): RunSummary {
    const filer = TRANSCRIPT_PATH.exec(path)?.[1];
    if (filer === undefined || !Object.hasOwn(summary.filers, filer)) return summary;
    const text = plainText(this.texts.get(filer)?.text() ?? '');
    const filers = { ...summary.filers, [filer]: { ...(summary.filers[filer] as Record<string, unknown>), console: text } };
    return { ...summary, filers };
  }
}

export async function runScripted(lab: Lab, options: ScriptedRunOptions): Promise<RunDocument> {
  const wallStart = performance.now();
  // Console text is kept only when a script asks about it.
  const wantsConsole = options.steps.some((step) => step.kind === 'expect' && TRANSCRIPT_PATH.test(step.path));
  const transcripts = wantsConsole ? new ExpectTranscripts(lab) : null;
  const failed: FailedExpectation[] = [];
  let passed = 0;
  let speed = options.speed;
  // Checkpoints fall on whole multiples of the interval, also for a lab resumed from a saved state.
  const every = options.checkpointEveryUs ?? Infinity;
  let nextCheckpointUs = every === Infinity ? Infinity : (Math.floor(lab.nowUs / every) + 1) * every;
  const sampleEvery = options.onSample ? options.sampleEveryUs ?? Infinity : Infinity;
  let nextSampleUs = sampleEvery === Infinity ? Infinity : (Math.floor(lab.nowUs / sampleEvery) + 1) * sampleEvery;
  const advance = async (targetUs: Micros): Promise<void> => {
    while (lab.nowUs < targetUs) {
      const slice = speed === 'max' ? (options.onProgress ? PROGRESS_EVERY_US : Infinity) : PACE_SLICE_US * speed;
      const sliceEnd = Math.min(targetUs, nextCheckpointUs, nextSampleUs, lab.nowUs + slice);
      const sliceWallStart = performance.now();
      const sliceStartUs = lab.nowUs;
      await lab.runUntil(sliceEnd);
      if (speed !== 'max') await sleep((sliceEnd - sliceStartUs) / 1000 / speed - (performance.now() - sliceWallStart));
      options.onProgress?.(lab.nowUs);
      if (lab.nowUs >= nextCheckpointUs) {
        options.onCheckpoint?.(lab.nowUs, await lab.traceHash());
        nextCheckpointUs += every;
      }
      if (lab.nowUs >= nextSampleUs) {
        await options.onSample?.(lab.nowUs);
        nextSampleUs += sampleEvery;
      }
    }
  };
  for (const step of options.steps) {
    if (step.line.atUs > options.untilUs) break;
    await advance(step.line.atUs);
    switch (step.kind) {
      case 'input': {
        const result = lab.input(step.input);
        if (!result.ok) failed.push({ line: step.line.line, text: step.line.text, actual: `input refused: ${result.error}` });
        break;
      }
      case 'speed':
        speed = step.speed;
        lab.input({ kind: 'mark', text: `speed ${step.speed}` });
        break;
      case 'expect': {
        const summary = await lab.summary();
        const outcome = evaluateExpectation(transcripts ? transcripts.view(summary, step.path) : summary, step.path, step.op, step.value);
        if (outcome.passed) passed++;
        else failed.push({ line: step.line.line, text: step.line.text, actual: outcome.actual === undefined ? null : outcome.actual });
        break;
      }
    }
  }
  await advance(options.untilUs);
  const summary: RunSummary = await lab.summary();
  const { filers, vservers, clients, violations, ...rest } = summary;
  return {
    lab: lab.spec.name, seed: lab.seed, placement: lab.placement,
    virtualMs: lab.nowUs / 1000, wallMs: Math.round(performance.now() - wallStart), events: lab.eventsHandled,
    traceHash: await lab.traceHash(),
    filers, vservers, clients, violations,
    expectations: { passed, failed },
    ...rest,
  };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
