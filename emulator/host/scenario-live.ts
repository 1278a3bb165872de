// A graded attempt in the window (issue 22): the scenario's lab runs live, paced by the lab session,
// and this attempt tells the session where to stop — at each setup step's time, each grading look
// (every virtual second, as headless), each recording checkpoint and the time limit. At each stop it
// does what `scenario-attempt.ts` does headless: enters the setup, hands the run summary to the same
// grader, flushes the recording. The trainee's own actions come in through the session as they are made.
import type { Micros } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';
import { RECORDING_CHECKPOINT_EVERY_US } from '../engine/recording.ts';
import { ScenarioGrader } from '../lab/scenario/grade.ts';
import type { Grade } from '../lab/scenario/grade.ts';
import type { Scenario } from '../lab/scenario/parse.ts';
import type { ScenarioExport, ScenarioProgress } from '../protocol/scenario-view.ts';
import { RecordingStream } from './recording-stream.ts';
import { GRADING_EVERY_US, resultCsvLines, resultDocument } from './scenario-attempt.ts';
import type { AttemptLab, AttemptResult } from './scenario-attempt.ts';

/** What the lab session asks of an attempt running on its lab. */
export interface LabDriver {
  /** The virtual time the lab must stop at next (Infinity when nothing is due). */
  nextStopUs(): Micros;
  /** Called, with the lab idle, once it reached nextStopUs(). */
  reached(lab: Lab): Promise<void>;
}

export class LiveAttempt implements LabDriver {
  private readonly grader: ScenarioGrader;
  private readonly stream: RecordingStream;
  private setupDone = 0;
  private nextSampleUs: Micros = GRADING_EVERY_US;
  private nextCheckpointUs: Micros = RECORDING_CHECKPOINT_EVERY_US;
  private readonly hints: { hint: number; atUs: Micros }[] = [];
  private result: Grade | undefined;
  /** The lab's trace hash at the end (the result's proof that a replay reaches the same run). */
  private endTraceHash = '';
  /** The goals' states last told to the UIs: a look that changes none is not sent. */
  private lastTold = '';

  /**
   * `opened`: the scenario's lab, fresh (openAttemptLab); its recording is written to `recordTo` from
   * now on. `onChange` hears the progress whenever a goal, a hint or the end changes it.
   */
  constructor(readonly scenario: Scenario, private readonly opened: AttemptLab, readonly recordTo: string,
    private readonly onChange: (progress: ScenarioProgress) => void, private readonly faultSeedFixed = false) {
    this.grader = new ScenarioGrader(scenario);
    this.stream = new RecordingStream(recordTo, opened.lab, scenario.lab);
  }

  get ended(): boolean {
    return this.result !== undefined;
  }

  nextStopUs(): Micros {
    if (this.ended) return Infinity;
    const setupUs = this.opened.setup[this.setupDone]?.line.atUs ?? Infinity;
    return Math.min(setupUs, this.nextSampleUs, this.nextCheckpointUs, this.scenario.timeLimitUs);
  }

  async reached(lab: Lab): Promise<void> {
    if (this.ended) return;
    const nowUs = lab.nowUs;
    // In the headless run's order: checkpoint, grading look (and flush), then the inputs due now.
    if (nowUs >= this.nextCheckpointUs) {
      this.stream.checkpoint({ atUs: nowUs, traceHash: await lab.traceHash() });
      this.nextCheckpointUs += RECORDING_CHECKPOINT_EVERY_US;
    }
    if (nowUs >= this.nextSampleUs) {
      this.grader.observe(nowUs, await lab.summary());
      this.stream.flush();
      this.nextSampleUs += GRADING_EVERY_US;
    }
    for (let step = this.opened.setup[this.setupDone]; step && step.line.atUs <= nowUs; step = this.opened.setup[++this.setupDone]) {
      if (step.kind === 'input') lab.input(step.input);
    }
    if (nowUs >= this.scenario.timeLimitUs) await this.end(lab);
    else this.tell(nowUs);
  }

  /** Reveals hint `hint` (1-based), marked in the recording as an answers script would mark it. */
  takeHint(lab: Lab, hint: number): ScenarioProgress {
    if (hint > this.scenario.hints.length) throw new Error(`there is no hint ${hint} (this scenario has ${this.scenario.hints.length})`);
    if (this.ended) throw new Error('the attempt has ended');
    if (!this.hints.some((use) => use.hint === hint)) {
      this.hints.push({ hint, atUs: lab.nowUs });
      lab.input({ kind: 'mark', text: `hint ${hint}` });
    }
    return this.tell(lab.nowUs, true);
  }

  /** Ends the attempt at the lab's time (the time limit, or the trainee is done): the last look, the grade. */
  async end(lab: Lab): Promise<ScenarioProgress> {
    if (this.result) return this.progress(lab.nowUs);
    const endUs = lab.nowUs;
    await lab.runUntil(endUs);
    this.grader.observe(endUs, await lab.summary());
    this.endTraceHash = await lab.traceHash();
    this.stream.finish({ atUs: endUs, traceHash: this.endTraceHash });
    this.result = this.grader.finish(endUs, this.hints);
    return this.tell(endUs, true);
  }

  /** Another lab replaced this one: the recording stays as far as it was flushed, without an end. */
  abandon(): void {
    if (this.ended) return;
    this.result = this.grader.finish(0, this.hints);
    try { this.stream.abandon(); } catch { /* the file is already gone */ }
  }

  /** The attempt as the panel shows it; `nowUs` grades it so far while it runs. */
  progress(nowUs: Micros): ScenarioProgress {
    const ended = this.result !== undefined;
    const grade = this.result ?? this.grader.finish(nowUs, this.hints);
    return {
      scenario: this.scenario.name, title: this.scenario.title, instructions: this.scenario.instructions, lab: this.scenario.lab,
      timeLimitUs: this.scenario.timeLimitUs, goalPoints: this.scenario.goals.map((goal) => goal.points),
      hints: this.scenario.hints.map((hint, index) => ({ cost: hint.cost, text: this.hints.some((use) => use.hint === index + 1) ? hint.text : null })),
      grade: { ...grade, goals: [...grade.goals], hintsUsed: [...grade.hintsUsed] }, ended,
      fault: ended ? this.opened.fault?.name ?? null : null,
      // A fixed seed is the instructor's (or the file's) choice, not a secret; a drawn one would name the fault.
      faultSeed: ended || this.faultSeedFixed ? this.opened.faultSeed ?? null : null,
      faultSeedFixed: this.faultSeedFixed,
      recording: this.recordTo,
    };
  }

  /**
   * The ended attempt for a gradebook: the document `filerlab scenario run --json` prints, or the CSV
   * header and row its --results-csv appends (one file per scenario: each goal is a column).
   */
  export(format: 'json' | 'csv'): ScenarioExport {
    const grade = this.result;
    if (!grade || !this.endTraceHash) throw new Error('the attempt has not ended: finish it first, then export its result');
    const { scenario, opened } = this;
    const result: AttemptResult = {
      scenario: scenario.name, title: scenario.title, lab: scenario.lab, seed: opened.seed,
      fault: opened.fault?.name ?? null, faultSeed: opened.faultSeed ?? null, traceHash: this.endTraceHash, ...grade,
    };
    const stem = `${scenario.name}-${Math.round(grade.endedAtMs / 1000)}s-result`;
    if (format === 'json') return { fileName: `${stem}.json`, text: `${JSON.stringify(resultDocument(result, '', this.recordTo), null, 2)}\n` };
    const { header, row } = resultCsvLines(result, '', this.recordTo);
    return { fileName: `${stem}.csv`, text: `${header}\n${row}\n` };
  }

  private tell(nowUs: Micros, always = false): ScenarioProgress {
    const progress = this.progress(nowUs);
    const told = JSON.stringify([progress.ended, progress.hints, progress.grade.goals.map((goal) => [goal.met, goal.late, goal.brokenAtMs])]);
    if (always || told !== this.lastTold) this.onChange(progress);
    this.lastTold = told;
    return progress;
  }
}
