// A scripted run of a lab, as `filerlab run` does it: the script's steps at their virtual times
// (inputs, speed changes, expectations evaluated on the run summary at that time), paced on the wall
// clock unless the speed is max, then the summary document of the issue.
import type { Lab } from '../engine/lab.ts';
import type { Micros } from '../engine/actor.ts';
import type { RunSummary } from '../engine/summary.ts';
import { evaluateExpectation } from '../lab/expect.ts';
import type { ResolvedStep } from '../lab/script.ts';
import { plainText } from './plain-text.ts';
import type { BarrierSpin } from './placement-workers.ts';
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
  /** The lab's barrier spinning (workers placement): on at max speed, off while paced. */
  readonly spin?: BarrierSpin;
}

/**
 * Paced, the lab runs this much wall time's worth of virtual time at once, then sleeps until the wall
 * clock catches up: 4 wake-ups a second, as a lab session that nothing watches (lab-session.ts); a run
 * shows nothing until it ends. Fewer, longer slices cost an idle lab at 1x less CPU (each wake-up runs
 * the event loop, timers and a cold engine); no virtual time depends on it (script steps, checkpoints
 * and samples end a slice at their own virtual time).
 */
const PACE_SLICE_WALL_MS = 250;
/** Paced and further behind the wall clock than this (a busy machine): forget the debt, do not race. */
const PACE_MAX_DEBT_MS = 1_000;
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
  const clock = new PaceClock();
  const advance = async (targetUs: Micros): Promise<void> => {
    while (lab.nowUs < targetUs) {
      const slice = speed === 'max' ? (options.onProgress ? PROGRESS_EVERY_US : Infinity) : PACE_SLICE_WALL_MS * 1000 * speed;
      const sliceEnd = Math.min(targetUs, nextCheckpointUs, nextSampleUs, lab.nowUs + slice);
      options.spin?.set(speed === 'max');
      if (speed !== 'max') clock.start(lab.nowUs, speed);
      await lab.runUntil(sliceEnd);
      if (speed !== 'max') await sleep(clock.waitMs(sliceEnd));
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
        clock.reset();
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

/**
 * The wall time a paced run is due at: anchored at the first paced slice (and again after a speed change
 * or a debt beyond PACE_MAX_DEBT_MS), so timer lateness does not add up slice after slice.
 */
class PaceClock {
  private anchor: { wallMs: number; us: Micros; speed: number } | undefined;

  /** Anchors the clock at this virtual time unless it runs already at this speed. */
  start(nowUs: Micros, speed: number): void {
    if (this.anchor?.speed !== speed) this.anchor = { wallMs: performance.now(), us: nowUs, speed };
  }

  reset(): void {
    this.anchor = undefined;
  }

  /** How long to sleep until the wall clock reaches virtual time `atUs`. */
  waitMs(atUs: Micros): number {
    const anchor = this.anchor!;
    const now = performance.now();
    const wait = anchor.wallMs + (atUs - anchor.us) / 1000 / anchor.speed - now;
    if (wait < -PACE_MAX_DEBT_MS) this.anchor = { wallMs: now, us: atUs, speed: anchor.speed };
    return wait;
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
