// How the scenario panel shows a goal, from the host's grade so far: met (green), met late (amber),
// broken (an `always` goal that failed once: red), holding (an `always` goal not broken so far: it is
// met only at the end), pending, or unmet once the attempt ended.
import type { ScenarioProgress } from '../../../emulator/protocol/scenario-view.ts';

export type GoalOutcomeView = ScenarioProgress['grade']['goals'][number];
export type GoalState = 'met' | 'late' | 'broken' | 'holding' | 'pending' | 'unmet';

export function goalState(goal: GoalOutcomeView, ended: boolean): GoalState {
  if (goal.brokenAtMs !== null) return 'broken';
  if (goal.when === 'always') return goal.met ? (ended ? 'met' : 'holding') : ended ? 'unmet' : 'pending';
  if (goal.met) return goal.late ? 'late' : 'met';
  return ended ? 'unmet' : 'pending';
}

/** The few words beside a goal: when it was met, broken, or what it waits for. */
export function goalNote(goal: GoalOutcomeView, ended: boolean): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
  switch (goalState(goal, ended)) {
    case 'met': return goal.when === 'always' ? 'held to the end' : `met at ${seconds(goal.atMs ?? 0)}`;
    case 'late': return `met late at ${seconds(goal.atMs ?? 0)}`;
    case 'broken': return `broken at ${seconds(goal.brokenAtMs ?? 0)}`;
    case 'holding': return 'holding so far';
    case 'unmet': return 'not met';
    case 'pending': return goal.ordered ? 'in order, waiting' : 'waiting';
  }
}

/** `1:05 / 3:00`: virtual time into the attempt and its limit. */
export function timerText(atUs: number, limitUs: number): string {
  const clock = (us: number) => {
    const total = Math.floor(Math.max(0, us) / 1_000_000);
    return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  };
  return `${clock(Math.min(atUs, limitUs))} / ${clock(limitUs)}`;
}
