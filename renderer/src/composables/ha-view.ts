// A filer's HA state as the window shows it, read from the paths HA publishes (typed in
// emulator/protocol/ha-view.ts). Published values are `unknown` here: each is narrowed, and a filer
// that publishes no `<filer>.ha.state` (not in a pair, or not booted yet) has no HA view.
import { HA_STATE_LABELS, haViewPaths } from '../../../emulator/protocol/ha-view.ts';
import type { HaHeartbeatView, HaTakeoverView, HaViewState } from '../../../emulator/protocol/ha-view.ts';
import { formatVirtualTime } from './virtual-clock.ts';

type State = Readonly<Record<string, unknown>>;

export interface FilerHa {
  readonly state: HaViewState;
  readonly enabled: boolean;
  /** Why the partner cannot be taken over now; null when it can (HA publishes null, a delta drops it). */
  readonly takeoverImpossible: string | null;
  readonly heartbeat: HaHeartbeatView | undefined;
  readonly lastTakeover: HaTakeoverView | undefined;
}

export function isHaState(value: unknown): value is HaViewState {
  return typeof value === 'string' && Object.hasOwn(HA_STATE_LABELS, value);
}

export function filerHa(state: State, filer: string): FilerHa | undefined {
  const ha = state[haViewPaths.state(filer)];
  if (!isHaState(ha)) return undefined;
  const impossible = state[haViewPaths.takeoverImpossible(filer)];
  return {
    state: ha,
    enabled: state[haViewPaths.enabled(filer)] !== false,
    takeoverImpossible: typeof impossible === 'string' ? impossible : null,
    heartbeat: heartbeatOf(state[haViewPaths.partnerHeartbeat(filer)]),
    lastTakeover: takeoverOf(state[haViewPaths.lastTakeover(filer)]),
  };
}

function heartbeatOf(value: unknown): HaHeartbeatView | undefined {
  const beat = value as Partial<HaHeartbeatView> | null | undefined;
  if (!beat || typeof beat !== 'object') return undefined;
  return { ic: beat.ic === 'ok' ? 'ok' : 'lost', mailbox: beat.mailbox === 'ok' ? 'ok' : 'lost' };
}

function takeoverOf(value: unknown): HaTakeoverView | undefined {
  const last = value as Partial<HaTakeoverView> | null | undefined;
  if (!last || typeof last !== 'object' || typeof last.atMs !== 'number') return undefined;
  return {
    kind: String(last.kind ?? ''), trigger: String(last.trigger ?? ''), atMs: last.atMs,
    servingAtMs: typeof last.servingAtMs === 'number' ? last.servingAtMs : null,
    steps: typeof last.steps === 'string' ? last.steps : '', failed: typeof last.failed === 'string' ? last.failed : null,
  };
}

/** The state in the inspector's words: the banner's label, or plain `up` / `down`. */
export function haStateText(state: HaViewState): string {
  return HA_STATE_LABELS[state] || state;
}

export interface TakeoverSummary {
  readonly kind: string;
  readonly trigger: string;
  /** Virtual time the takeover started, hh:mm:ss.mmm. */
  readonly at: string;
  /** servingAtMs - atMs, `25 ms` or `1.5 s`; undefined while it is not serving yet. */
  readonly timeToServe: string | undefined;
  readonly steps: readonly string[];
  readonly failed: string | null;
}

export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function takeoverSummary(last: HaTakeoverView): TakeoverSummary {
  return {
    kind: last.kind,
    trigger: last.trigger,
    at: formatVirtualTime(last.atMs * 1_000),
    timeToServe: last.servingAtMs === null ? undefined : formatDuration(last.servingAtMs - last.atMs),
    steps: last.steps.split('>').filter((token) => token !== ''),
    failed: last.failed,
  };
}

/** A filer's HA partner, from its topology config (`partner`). */
export function partnerOf(actors: ReadonlyArray<{ id: string; config: unknown }>, filer: string): string | undefined {
  const config = actors.find((actor) => actor.id === filer)?.config as { partner?: unknown } | undefined;
  return typeof config?.partner === 'string' ? config.partner : undefined;
}
