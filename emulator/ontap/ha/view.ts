// What HA shows the lab window (paths typed in emulator/protocol/ha-view.ts): the cf state for the
// filer's banner, the partner's heartbeat on each channel, the last takeover for the inspector, and the
// negotiated takeover — the failover monitor's faults and request, the partner's verdict, the countdown.
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { haViewPaths } from '../../protocol/ha-view.ts';
import type { HaMonitorView, HaNegotiationView, HaRequestView, HaVerdictView } from '../../protocol/ha-view.ts';
import type { HaEnv } from './ha-env.ts';
import { diagnosisClass, monitoredFaults } from './monitor.ts';
import type { HaState } from './types.ts';

export function publishHaView(ha: HaState, env: HaEnv): void {
  const self = env.filer.self;
  env.ctx.publish(haViewPaths.state(self), ha.state);
  env.ctx.publish(haViewPaths.enabled(self), ha.enabled);
  env.ctx.publish(haViewPaths.takeoverImpossible(self), ha.takeoverImpossible);
  const last = ha.lastTakeover;
  env.ctx.publish(haViewPaths.lastTakeover(self), last === null ? null : {
    kind: last.kind, trigger: last.trigger, atMs: last.atUs / 1000,
    servingAtMs: last.servingAtUs === null ? null : last.servingAtUs / 1000, steps: last.steps.join('>'), failed: last.failed,
  });
  publishNegotiationView(ha, env);
}

export function publishHeartbeatView(ha: HaState, env: HaEnv, ic: boolean, mailbox: boolean): void {
  env.ctx.publish(haViewPaths.partnerHeartbeat(env.filer.self), { ic: ic ? 'ok' : 'lost', mailbox: mailbox ? 'ok' : 'lost' });
}

/**
 * What this filer last published of the negotiation, and the moments HA's state does not keep (when
 * the request went out, when a verdict was given): the window fades the arrow and the verdict some
 * seconds after. Kept here, by filer, because it is the view's memory, not the lab's: it never feeds
 * back into the run (the trace hash does not see it). A restored lab starts it afresh, so its first
 * publish stamps a request still pending with the time of that publish.
 */
interface Published {
  monitor: string;
  negotiation: string;
  request: HaRequestView | null;
  /** counters.recv of please-shutdown and refusal when the request went out (an answer moves them). */
  answersAtRequest: { pleaseShutdown: number; refusal: number };
  verdict: HaVerdictView | null;
  /** counters.sent.refusal and countdown.starts as of the last publish (a verdict moves one of them). */
  refusalsSent: number;
  countdownStarts: number;
  countdownStartedAtMs: number | null;
}

const publishedBy = new WeakMap<FilerState, Published>();

function publishedOf(filer: FilerState): Published {
  let seen = publishedBy.get(filer);
  if (!seen) {
    seen = {
      monitor: '', negotiation: '', request: null, answersAtRequest: { pleaseShutdown: 0, refusal: 0 }, verdict: null,
      refusalsSent: 0, countdownStarts: 0, countdownStartedAtMs: null,
    };
    publishedBy.set(filer, seen);
  }
  return seen;
}

/**
 * The failover monitor and the negotiation as the window draws them (`<filer>.ha.monitor`,
 * `<filer>.ha.negotiation`), published only when they changed: HA calls this every tick while up, at
 * each verdict, and with every other HA view (a state change).
 */
export function publishNegotiationView(ha: HaState, env: HaEnv): void {
  const seen = publishedOf(env.filer);
  const nowMs = env.ctx.now / 1000;
  const monitor = monitorView(ha, env, seen, nowMs);
  const negotiation = negotiationView(ha, seen, nowMs);
  const monitorJson = JSON.stringify(monitor);
  if (monitorJson !== seen.monitor) {
    seen.monitor = monitorJson;
    env.ctx.publish(haViewPaths.monitor(env.filer.self), monitor);
  }
  const negotiationJson = JSON.stringify(negotiation);
  if (negotiationJson !== seen.negotiation) {
    seen.negotiation = negotiationJson;
    env.ctx.publish(haViewPaths.negotiation(env.filer.self), negotiation);
  }
}

/** The faulty filer's side: what its monitor sees, and the takeover it asked for with the answer. */
function monitorView(ha: HaState, env: HaEnv, seen: Published, nowMs: number): HaMonitorView {
  const faults = ha.osBooted ? monitoredFaults(env.filer) : [];
  const answers = { pleaseShutdown: ha.counters.recv['pleaseShutdown'] ?? 0, refusal: ha.counters.recv['refusal'] ?? 0 };
  const requested = ha.fm.requested;
  let request = seen.request;
  if (requested !== null && (request === null || !request.pending || request.faultType !== requested)) {
    request = { faultType: requested, atMs: nowMs, pending: true, answer: null, reason: null };
    seen.answersAtRequest = answers;
  } else if (requested === null && request?.pending) {
    request = { ...request, pending: false };
  }
  if (request !== null && request.answer === null) {
    if (answers.refusal > seen.answersAtRequest.refusal) request = { ...request, answer: 'refused', reason: ha.negotiation.lastRefusal };
    else if (answers.pleaseShutdown > seen.answersAtRequest.pleaseShutdown) request = { ...request, answer: 'please-shutdown' };
  }
  seen.request = request;
  return { faults: faults.map((fault) => ({ type: fault.type, class: fault.class, text: fault.text })), diagnosis: diagnosisClass(faults), request };
}

/** The partner's side: the fault type it was told, its verdict, the countdown. */
function negotiationView(ha: HaState, seen: Published, nowMs: number): HaNegotiationView {
  const { partnerFaultType, lastRefusal, countdown } = ha.negotiation;
  const refusalsSent = ha.counters.sent['refusal'] ?? 0;
  if (countdown.starts !== seen.countdownStarts) {
    // Accepted: the countdown started with the please-shutdown (pendingTakeover holds the moment).
    const pending = ha.pendingTakeover;
    const atMs = pending?.kind === 'negotiated' ? pending.atUs / 1000 : nowMs;
    seen.countdownStarts = countdown.starts;
    seen.countdownStartedAtMs = atMs;
    seen.verdict = { kind: 'please-shutdown', faultType: partnerFaultType ?? '', reason: null, atMs };
  } else if (refusalsSent !== seen.refusalsSent) {
    seen.verdict = { kind: 'refused', faultType: partnerFaultType ?? '', reason: lastRefusal, atMs: nowMs };
  }
  seen.refusalsSent = refusalsSent;
  return {
    partnerFaultType, lastRefusal, verdict: seen.verdict,
    countdown: {
      state: countdown.state, starts: countdown.starts, startedAtMs: seen.countdownStartedAtMs,
      endsAtMs: countdown.endsAtUs === null ? null : countdown.endsAtUs / 1000,
    },
  };
}
