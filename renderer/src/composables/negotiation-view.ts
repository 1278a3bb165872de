// The negotiated takeover as the window draws it, from what HA publishes (`<filer>.ha.monitor`,
// `<filer>.ha.negotiation`, typed in emulator/protocol/ha-view.ts): the request arrow from the faulty
// filer to its partner with the fault type, the partner's verdict, the countdown ring while it runs and
// how it ended, and the stay-down requests on the interconnect while the partner holds a filer that is
// down. Everything time-dependent is computed from the lab's virtual clock, so a paused lab stands still
// and a fast one runs the countdown fast. Pure, so it is tested without a DOM.
import type {
  HaCountdownView, HaFaultClass, HaMonitoredFaultView, HaMonitorView, HaNegotiationView, HaRequestView, HaVerdictView,
} from '../../../emulator/protocol/ha-view.ts';
import { haViewPaths } from '../../../emulator/protocol/ha-view.ts';
import { isHaState } from './ha-view.ts';

type State = Readonly<Record<string, unknown>>;

/** How long (virtual) the arrow and the verdict stay once nothing is pending: long enough to read. */
export const NEGOTIATION_SHOWN_MS = 20_000;

const FAULT_CLASSES: readonly string[] = ['fatal', 'takeover', 'warning'];
const COUNTDOWN_STATES: readonly string[] = ['idle', 'running', 'expired', 'cancelled'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function faultOf(value: unknown): HaMonitoredFaultView[] {
  if (!isRecord(value) || typeof value.type !== 'string' || !FAULT_CLASSES.includes(String(value.class))) return [];
  return [{ type: value.type, class: value.class as HaFaultClass, text: text(value.text) ?? value.type }];
}

function requestOf(value: unknown): HaRequestView | null {
  if (!isRecord(value) || typeof value.faultType !== 'string' || number(value.atMs) === null) return null;
  const answer = value.answer === 'please-shutdown' || value.answer === 'refused' ? value.answer : null;
  return { faultType: value.faultType, atMs: value.atMs as number, pending: value.pending === true, answer, reason: text(value.reason) };
}

/** A filer's failover monitor as published, or undefined before HA published one. */
export function monitorOf(state: State, filer: string): HaMonitorView | undefined {
  const value = state[haViewPaths.monitor(filer)];
  if (!isRecord(value)) return undefined;
  const faults = Array.isArray(value.faults) ? value.faults.flatMap(faultOf) : [];
  const diagnosis = FAULT_CLASSES.includes(String(value.diagnosis)) ? (value.diagnosis as HaFaultClass) : 'none';
  return { faults, diagnosis, request: requestOf(value.request) };
}

function verdictOf(value: unknown): HaVerdictView | null {
  if (!isRecord(value) || (value.kind !== 'please-shutdown' && value.kind !== 'refused') || number(value.atMs) === null) return null;
  return { kind: value.kind, faultType: text(value.faultType) ?? '', reason: text(value.reason), atMs: value.atMs as number };
}

function countdownOf(value: unknown): HaCountdownView {
  const countdown = isRecord(value) ? value : {};
  const state = COUNTDOWN_STATES.includes(String(countdown.state)) ? (countdown.state as HaCountdownView['state']) : 'idle';
  return { state, starts: number(countdown.starts) ?? 0, startedAtMs: number(countdown.startedAtMs), endsAtMs: number(countdown.endsAtMs) };
}

/** The negotiation as the partner of a faulty filer published it, or undefined before HA published one. */
export function negotiationOf(state: State, filer: string): HaNegotiationView | undefined {
  const value = state[haViewPaths.negotiation(filer)];
  if (!isRecord(value)) return undefined;
  return {
    partnerFaultType: text(value.partnerFaultType), lastRefusal: text(value.lastRefusal),
    verdict: verdictOf(value.verdict), countdown: countdownOf(value.countdown),
  };
}

export interface CountdownRing {
  /** 0–1 of the countdown left. */
  readonly left: number;
  /** Whole seconds left, rounded up (what a trainee reads on a countdown). */
  readonly secondsLeft: number;
}

export type VerdictTone = 'waiting' | 'accepted' | 'refused';

export interface NegotiationPicture {
  /** The faulty filer (the arrow's tail) and its partner (the head, where the verdict and ring are). */
  readonly from: string;
  readonly to: string;
  readonly faultType: string;
  readonly verdict: { readonly tone: VerdictTone; readonly text: string };
  /** While the countdown runs. */
  readonly ring: CountdownRing | undefined;
  /** How the countdown ended, once it did. */
  readonly outcome: string | undefined;
}

function countdownRing(countdown: HaCountdownView, nowMs: number): CountdownRing | undefined {
  if (countdown.state !== 'running' || countdown.endsAtMs === null) return undefined;
  const leftMs = Math.max(0, countdown.endsAtMs - nowMs);
  const totalMs = countdown.startedAtMs === null ? 0 : countdown.endsAtMs - countdown.startedAtMs;
  return { left: totalMs > 0 ? Math.min(1, leftMs / totalMs) : 1, secondsLeft: Math.ceil(leftMs / 1_000) };
}

function countdownOutcome(countdown: HaCountdownView, partnerTakeoverKind: string | undefined): string | undefined {
  if (countdown.state === 'expired') return 'countdown ran out: takeover forced';
  if (countdown.state === 'cancelled') return 'countdown cancelled';
  if (countdown.state === 'idle' && partnerTakeoverKind === 'negotiated') return 'shut down in time: taken over';
  return undefined;
}

/**
 * The request of `from` to its partner `to`, as the diagram draws it at virtual time `atUs`; undefined
 * when there is none to show (none made, or it ended more than NEGOTIATION_SHOWN_MS ago).
 */
export function negotiationPicture(state: State, from: string, to: string, atUs: number): NegotiationPicture | undefined {
  const request = monitorOf(state, from)?.request;
  if (!request) return undefined;
  const nowMs = atUs / 1_000;
  const partner = negotiationOf(state, to);
  // The partner's verdict on this request: given after it, on the same fault type.
  const verdict = partner?.verdict && partner.verdict.faultType === request.faultType && partner.verdict.atMs >= request.atMs ? partner.verdict : null;
  const accepted = verdict?.kind === 'please-shutdown' || (verdict === null && request.answer === 'please-shutdown');
  const refused = verdict?.kind === 'refused' || (verdict === null && request.answer === 'refused');
  const countdown = accepted && partner ? partner.countdown : undefined;
  const ring = countdown ? countdownRing(countdown, nowMs) : undefined;
  const takeover = state[haViewPaths.lastTakeover(to)];
  const takeoverKind = isRecord(takeover) && (number(takeover.atMs) ?? -1) >= request.atMs ? text(takeover.kind) ?? undefined : undefined;
  const outcome = countdown ? countdownOutcome(countdown, takeoverKind) : undefined;
  // Shown while the request waits for an answer or the countdown runs; then for a while to be read.
  const lastMomentMs = Math.max(request.atMs, verdict?.atMs ?? 0, countdown?.state === 'expired' ? countdown.endsAtMs ?? 0 : 0);
  const live = (request.pending && !refused) || ring !== undefined;
  if (!live && nowMs - lastMomentMs > NEGOTIATION_SHOWN_MS) return undefined;
  const reason = verdict?.reason ?? request.reason;
  const verdictText = accepted ? { tone: 'accepted' as const, text: 'please shut down' }
    : refused ? { tone: 'refused' as const, text: `refused${reason ? `: ${reason}` : ''}` }
      : { tone: 'waiting' as const, text: 'checking…' };
  return { from, to, faultType: request.faultType, verdict: verdictText, ring, outcome };
}

/**
 * Whether `holder` is sending stay-down requests to `partner`: in takeover, the heartbeat it sends is
 * the stay-down request, and the window shows it while the partner is down or waiting for giveback.
 */
export function sendsStayDown(state: State, holder: string, partner: string): boolean {
  if (state[haViewPaths.state(holder)] !== 'takeover') return false;
  const partnerState = state[haViewPaths.state(partner)];
  return !isHaState(partnerState) || partnerState === 'down' || partnerState === 'waiting-for-giveback';
}

/** Each HA pair once, in topology order (`partner` of a filer's config, both ways). */
export function haPairs(actors: ReadonlyArray<{ id: string; kind: string; config: unknown }>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const ids = new Set(actors.map((actor) => actor.id));
  for (const actor of actors) {
    const partner = (actor.config as { partner?: unknown } | undefined)?.partner;
    if (actor.kind !== 'filer' || typeof partner !== 'string' || !ids.has(partner)) continue;
    if (!pairs.some(([a, b]) => (a === partner && b === actor.id) || (a === actor.id && b === partner))) pairs.push([actor.id, partner]);
  }
  return pairs;
}

/** The monitor's class in a trainee's words. */
export const FAULT_CLASS_LABELS: Readonly<Record<HaFaultClass | 'none', string>> = {
  fatal: 'fatal', takeover: 'needs takeover', warning: 'warning only', none: 'no faults',
};

/** The answer to a filer's own request, in the inspector's words. */
export function answerText(request: HaRequestView): string {
  if (request.answer === 'please-shutdown') return 'please shut down';
  if (request.answer === 'refused') return `refused${request.reason ? `: ${request.reason}` : ''}`;
  return request.pending ? 'no answer yet' : 'none';
}

/** The countdown in the inspector's words: `running, 12 s left`, `expired (forced)`, `idle`. */
export function countdownText(countdown: HaCountdownView, atUs: number): string {
  const ring = countdownRing(countdown, atUs / 1_000);
  if (ring) return `running, ${ring.secondsLeft} s left`;
  if (countdown.state === 'expired') return 'expired: takeover forced';
  return countdown.state;
}
