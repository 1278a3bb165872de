// The cf state machine's transitions, one named function each (DESIGN.md §5). Every transition goes
// through `moveTo`, which logs the real `cf.fsm.stateTransit` line and publishes the state for the
// window; the subsystem checks the invariants after every event (invariants.ts).
import { logEms } from '../ems.ts';
import { refreshOsPrompt } from '../console/prompt.ts';
import { consoleOf, type HaEnv } from './ha-env.ts';
import { publishHaView } from './view.ts';
import { beat } from './watch.ts';
import type { CfState, HaState } from './types.ts';

/** How the real cluster monitor names its states in `cf.fsm.stateTransit`. */
const MONITOR_NAMES: Record<CfState, string> = {
  down: 'DOWN', up: 'UP', 'taking-over': 'TAKEOVER', takeover: 'TAKEOVER', 'giving-back': 'GIVEBACK',
  'waiting-for-giveback': 'WAITING',
};

export function moveTo(ha: HaState, env: HaEnv, next: CfState): void {
  const from = ha.state;
  if (from === next) return;
  ha.state = next;
  if (MONITOR_NAMES[from] !== MONITOR_NAMES[next] && from !== 'down') {
    logEms(env.filer, env.ctx, 'cf.fsm.stateTransit', 'warning', `Cluster monitor: ${MONITOR_NAMES[from]} --> ${MONITOR_NAMES[next]}`);
  }
  publishHaView(ha, env);
  // The partner hears of the change at once, not at the next tick: two operators forcing takeovers a
  // moment apart, or a takeover racing a boot, see each other's state.
  if (env.filer.config.partner !== undefined && ha.osBooted) beat(ha, env);
  // `filerB>` becomes `filerB(takeover)>` (and back) at once, not at the next command.
  const console = consoleOf(env.filer);
  if (console) refreshOsPrompt(env.filer, console, env.ctx);
}

/** Adds a step token to the record in progress (bounded: a record holds at most 32). */
export function step(steps: string[], token: string): void {
  if (steps.length < 32 && steps[steps.length - 1] !== token) steps.push(token);
}
