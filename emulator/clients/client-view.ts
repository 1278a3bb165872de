// What a client shows the lab window: every STATS_INTERVAL_US of virtual time while it runs, the
// operations that ended in that interval and their mean latency (`<client>.stats`), its state and its
// port's link light. The host throttles deltas and keeps only a path's latest value, so a sample also
// carries running totals: a UI that missed samples still gets the rates right from two it did see.
// An interval with no success while an outage is open is the gap the charts draw. A CIFS client also
// publishes its session (`<client>.cifs`: id, dropped, resumed, retransmits; emulator/protocol/cifs-view.ts).
import type { ClientStatsSample } from '../protocol/client-stats.ts';
import { cifsViewPaths, type CifsClientView } from '../protocol/cifs-view.ts';
import { MICROS_PER_MS, type ActorContext, type Micros } from '../engine/actor.ts';
import type { ClientState } from './client-state.ts';

export const STATS_INTERVAL_US = 250_000;
export const STATS_TIMER = 'client.stats';

export interface ClientStatsState {
  timer: number | null;
  intervalStartUs: Micros;
  ok: number;
  failed: number;
  latencyUs: Micros;
  totalOk: number;
  totalFailed: number;
  totalLatencyUs: Micros;
}

export function createClientStats(): ClientStatsState {
  return { timer: null, intervalStartUs: 0, ok: 0, failed: 0, latencyUs: 0, totalOk: 0, totalFailed: 0, totalLatencyUs: 0 };
}

/** An op ended: counted in the current interval. */
export function statsOpEnded(stats: ClientStatsState, ok: boolean, latencyUs: Micros): void {
  if (ok) {
    stats.ok += 1;
    stats.latencyUs += latencyUs;
  } else {
    stats.failed += 1;
  }
}

/** Starts sampling (lab start, `client start`); a no-op while already sampling. */
export function startStats(state: ClientState, ctx: ActorContext): void {
  const stats = state.stats;
  if (stats.timer !== null) return;
  stats.intervalStartUs = ctx.now;
  stats.timer = ctx.setTimer(STATS_INTERVAL_US, { kind: STATS_TIMER });
}

/** The sampling timer fired: publish the interval, and sample on while the client runs. */
export function statsTimerFired(state: ClientState, ctx: ActorContext): void {
  const stats = state.stats;
  stats.timer = null;
  publishSample(state, ctx);
  if (state.running) stats.timer = ctx.setTimer(STATS_INTERVAL_US, { kind: STATS_TIMER });
}

function publishSample(state: ClientState, ctx: ActorContext): void {
  const stats = state.stats;
  stats.totalOk += stats.ok;
  stats.totalFailed += stats.failed;
  stats.totalLatencyUs += stats.latencyUs;
  const wantingSince = state.outage.wantingSinceUs;
  const sample: ClientStatsSample = {
    atUs: ctx.now,
    intervalUs: ctx.now - stats.intervalStartUs,
    opsOk: stats.ok,
    opsFailed: stats.failed,
    latencyMsAvg: stats.ok > 0 ? Math.round(stats.latencyUs / stats.ok) / MICROS_PER_MS : null,
    outageMs: wantingSince === null ? 0 : Math.floor((ctx.now - wantingSince) / MICROS_PER_MS),
    totalOk: stats.totalOk,
    totalFailed: stats.totalFailed,
    totalLatencyMs: Math.round(stats.totalLatencyUs / MICROS_PER_MS),
    ...(state.cifs ? { sessionsDropped: state.cifs.sessionsDropped, sessionsResumed: state.cifs.sessionsResumed } : {}),
  };
  ctx.publish(`${state.self}.stats`, sample);
  publishClientState(state, ctx);
  publishCifsClient(state, ctx);
  stats.intervalStartUs = ctx.now;
  stats.ok = 0;
  stats.failed = 0;
  stats.latencyUs = 0;
}

/** `<client>.state`: 'stopped' | 'misconfigured' | the protocol's phase while running ('mounted', …). */
export function publishClientState(state: ClientState, ctx: ActorContext): void {
  const phase = state.nfs ? state.nfs.phase : state.cifs ? state.cifs.phase : 'none';
  ctx.publish(`${state.self}.state`, state.problem ? 'misconfigured' : state.running ? phase : 'stopped');
}

export function publishClientLink(state: ClientState, port: string, up: boolean, ctx: ActorContext): void {
  ctx.publish(`${state.self}.ports.${port}.link`, up);
}

/** `<client>.cifs`'s last published view, by client (a copy): the view's memory (the trace hash never sees it). */
const publishedCifs = new WeakMap<ClientState, CifsClientView>();

/** `<client>.cifs` (emulator/protocol/cifs-view.ts), with each sample, when it changed. */
function publishCifsClient(state: ClientState, ctx: ActorContext): void {
  const cifs = state.cifs;
  if (!cifs) return;
  const view: CifsClientView = {
    phase: cifs.phase, uid: cifs.uid, sessionUp: cifs.sessionUp, serverAcks: cifs.serverAcks, sessionsOpened: cifs.sessionsOpened,
    sessionsDropped: cifs.sessionsDropped, sessionsResumed: cifs.sessionsResumed, duplicateReplies: cifs.duplicateReplies, retransmits: cifs.retransmits,
  };
  const last = publishedCifs.get(state);
  if (last && sameCifsView(last, view)) return;
  publishedCifs.set(state, { ...view });
  ctx.publish(cifsViewPaths.client(state.self), view);
}

/** Field by field (all plain values, the same keys), not by JSON text: that was a JSON.stringify a sample. */
function sameCifsView(a: CifsClientView, b: CifsClientView): boolean {
  const before = a as unknown as Record<string, unknown>;
  const after = b as unknown as Record<string, unknown>;
  for (const key in after) if (before[key] !== after[key]) return false;
  return true;
}
