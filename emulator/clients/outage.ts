// maxOutageMs: the longest stretch with no successful operation while the client wanted one. A
// stretch opens when the client invokes an op with none succeeding since it started wanting, and
// closes when an op succeeds (or the client is stopped: it no longer wants anything). Think time
// between ops is not an outage: the stretch only opens at the next invocation.
import { MICROS_PER_MS, type Micros } from '../engine/actor.ts';

export interface OutageState {
  /** When the current stretch of wanting began, or null while the client wants nothing. */
  wantingSinceUs: Micros | null;
  maxOutageUs: Micros;
}

export function createOutage(): OutageState {
  return { wantingSinceUs: null, maxOutageUs: 0 };
}

export function outageInvoked(state: OutageState, nowUs: Micros): void {
  if (state.wantingSinceUs === null) state.wantingSinceUs = nowUs;
}

export function outageSucceeded(state: OutageState, nowUs: Micros): void {
  closeStretch(state, nowUs);
}

/** The client stopped wanting (client stop): the stretch ends here, with no success. */
export function outageStopped(state: OutageState, nowUs: Micros): void {
  closeStretch(state, nowUs);
}

function closeStretch(state: OutageState, nowUs: Micros): void {
  if (state.wantingSinceUs === null) return;
  if (nowUs < state.wantingSinceUs) throw new Error(`outage closed at ${nowUs} before it opened at ${state.wantingSinceUs}`);
  state.maxOutageUs = Math.max(state.maxOutageUs, nowUs - state.wantingSinceUs);
  state.wantingSinceUs = null;
}

/** The longest stretch so far, counting one still open at `nowUs`, in whole milliseconds. */
export function maxOutageMs(state: OutageState, nowUs: Micros): number {
  const open = state.wantingSinceUs === null ? 0 : Math.max(0, nowUs - state.wantingSinceUs);
  return Math.floor(Math.max(state.maxOutageUs, open) / MICROS_PER_MS);
}
