// Grading from what happened (issue 22): the run summary is sampled along the run and each goal's
// conditions are evaluated on it; the virtual time a goal is first met is kept. Ordered goals count
// only once every ordered goal before them was met; an `always` goal is broken at the first sample it
// fails. Nothing compares the trainee's commands with an answer key. Pure: the caller hands in the
// summaries in time order.
import type { Micros } from '../../engine/actor.ts';
import { evaluateExpectation } from '../expect.ts';
import type { ScriptLine } from '../script.ts';
import type { Goal, Scenario } from './parse.ts';

export interface GoalOutcome {
  readonly id: string;
  readonly text: string;
  readonly when: Goal['when'];
  readonly ordered: boolean;
  readonly met: boolean;
  /** First met (eventually), or the end of the watch (always, held); null when unmet. */
  readonly atMs: number | null;
  /** Met after its `by` deadline: late credit. */
  readonly late: boolean;
  readonly points: number;
  /** An `always` goal: the first sample it failed at. */
  readonly brokenAtMs: number | null;
  /** An unmet goal: the first condition that did not hold, and what it found at the last look. */
  readonly missed: { readonly condition: string; readonly found: unknown } | null;
}

export interface HintUse {
  /** 1-based, as the trainee sees the hints numbered. */
  readonly hint: number;
  readonly atMs: number;
  readonly cost: number;
  readonly text: string;
}

export interface Grade {
  readonly passed: boolean;
  readonly score: number;
  readonly maxScore: number;
  readonly passScore: number;
  readonly goals: readonly GoalOutcome[];
  readonly hintsUsed: readonly HintUse[];
  readonly endedAtMs: number;
}

interface GoalState {
  metAtUs: Micros | undefined;
  brokenAtUs: Micros | undefined;
  missed: { condition: string; found: unknown } | null;
}

export class ScenarioGrader {
  private readonly states: GoalState[];
  private lastUs: Micros = -1;

  constructor(private readonly scenario: Scenario) {
    this.states = scenario.goals.map(() => ({ metAtUs: undefined, brokenAtUs: undefined, missed: null }));
  }

  /** One look at the run summary at virtual time `atUs` (not before the last look). */
  observe(atUs: Micros, summary: unknown): void {
    if (atUs < this.lastUs) throw new Error(`grading looks go forward in time: ${atUs} µs after ${this.lastUs} µs`);
    this.lastUs = atUs;
    // In file order: an ordered goal may be met in the same look as the one before it.
    let orderOpen = true;
    this.scenario.goals.forEach((goal, index) => {
      const state = this.states[index]!;
      if (goal.when === 'always') {
        if (atUs < goal.fromUs || state.brokenAtUs !== undefined) return;
        const miss = firstMiss(goal, summary);
        if (miss) { state.brokenAtUs = atUs; state.missed = miss; }
        return;
      }
      if (state.metAtUs !== undefined) return;
      if (goal.ordered && !orderOpen) return;
      const miss = firstMiss(goal, summary);
      if (miss) state.missed = miss;
      else { state.metAtUs = atUs; state.missed = null; }
      if (goal.ordered && state.metAtUs === undefined) orderOpen = false;
    });
  }

  /** The grade once the run ended at `endUs` (after its last look), with the hints the trainee took. */
  finish(endUs: Micros, hints: readonly { hint: number; atUs: Micros }[]): Grade {
    const goals = this.scenario.goals.map((goal, index): GoalOutcome => {
      const state = this.states[index]!;
      const base = { id: goal.id, text: goal.text, when: goal.when, ordered: goal.ordered };
      if (goal.when === 'always') {
        const held = state.brokenAtUs === undefined && endUs >= goal.fromUs;
        return { ...base, met: held, atMs: held ? endUs / 1000 : null, late: false, points: held ? goal.points : 0, brokenAtMs: state.brokenAtUs === undefined ? null : state.brokenAtUs / 1000, missed: held ? null : state.missed };
      }
      if (state.metAtUs === undefined) {
        const missed = state.missed ?? { condition: 'an ordered goal before it was not met', found: null };
        return { ...base, met: false, atMs: null, late: false, points: 0, brokenAtMs: null, missed };
      }
      const late = goal.byUs !== undefined && state.metAtUs > goal.byUs;
      return { ...base, met: true, atMs: state.metAtUs / 1000, late, points: late ? goal.latePoints : goal.points, brokenAtMs: null, missed: null };
    });
    const hintsUsed = hints.map((use) => ({ hint: use.hint, atMs: use.atUs / 1000, cost: this.scenario.hints[use.hint - 1]?.cost ?? 0, text: this.scenario.hints[use.hint - 1]?.text ?? '' }));
    const earned = goals.reduce((sum, goal) => sum + goal.points, 0);
    const score = Math.max(0, earned - hintsUsed.reduce((sum, use) => sum + use.cost, 0));
    return { passed: score >= this.scenario.passPoints, score, maxScore: this.scenario.maxPoints, passScore: this.scenario.passPoints, goals, hintsUsed, endedAtMs: endUs / 1000 };
  }
}

function firstMiss(goal: Goal, summary: unknown): { condition: string; found: unknown } | undefined {
  for (const condition of goal.conditions) {
    const outcome = evaluateExpectation(summary, condition.path, condition.op, condition.value);
    if (!outcome.passed) return { condition: condition.text, found: outcome.actual === undefined ? null : outcome.actual };
  }
  return undefined;
}

const HINT_MARK = /^hint (\d{1,3})$/;

/**
 * The hints an answers script took: a `mark "hint N"` line asks for hint N (the window's hint button
 * adds the same marker, so a recording shows when each was read). Each counts once; an unknown number
 * is an error naming the line.
 */
export function hintsTaken(lines: readonly ScriptLine[], scenario: Scenario): { ok: true; hints: { hint: number; atUs: Micros }[] } | { ok: false; errors: string[] } {
  const taken = new Map<number, Micros>();
  const errors: string[] = [];
  for (const line of lines) {
    if (line.action.kind !== 'mark') continue;
    const match = HINT_MARK.exec(line.action.text);
    if (!match) continue;
    const hint = Number(match[1]);
    if (hint < 1 || hint > scenario.hints.length) errors.push(`line ${line.line}: there is no hint ${hint} (this scenario has ${scenario.hints.length})`);
    else if (!taken.has(hint)) taken.set(hint, line.atUs);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, hints: [...taken].map(([hint, atUs]) => ({ hint, atUs })).sort((a, b) => a.atUs - b.atUs || a.hint - b.hint) };
}
