// What a client experiences, for its card on the diagram and in the clients panel (issue 19: clients
// kept saying "mounted" while their server did not answer): stopped, retrying (an op has waited a
// moment with no answer), not responding (the NFS client's "server not responding, still trying"),
// reconnecting (a CIFS session being set up again), or its protocol phase when all is well. Read from
// `<client>.state` and the last `<client>.stats` sample's open outage. Pure, tested without a DOM.
import { isClientStatsSample } from '../../../emulator/protocol/client-stats.ts';

type State = Readonly<Record<string, unknown>>;

export type ExperienceTone = 'ok' | 'busy' | 'bad' | 'off';

export interface ClientExperience {
  readonly label: string;
  readonly tone: ExperienceTone;
}

/** An op waiting this long is being retried, not just slow (normal latencies are milliseconds). */
export const RETRYING_AFTER_MS = 1_000;
/** Long enough that the client says the server is not responding. */
export const NOT_RESPONDING_AFTER_MS = 5_000;
const CONNECTING_PHASES = new Set(['connecting', 'negotiating', 'session-setup', 'tree-connect', 'folder', 'mounting']);

export function clientExperience(state: State, client: string): ClientExperience {
  const phase = state[`${client}.state`];
  if (phase === undefined) return { label: '…', tone: 'off' };
  if (phase === 'stopped') return { label: 'stopped', tone: 'off' };
  if (phase === 'misconfigured') return { label: 'misconfigured', tone: 'bad' };
  const sample = state[`${client}.stats`];
  const outageMs = isClientStatsSample(sample) ? sample.outageMs : 0;
  if (outageMs >= NOT_RESPONDING_AFTER_MS) return { label: `not responding · ${Math.floor(outageMs / 1_000)} s`, tone: 'bad' };
  if (typeof phase === 'string' && CONNECTING_PHASES.has(phase)) return { label: outageMs > 0 ? 'reconnecting' : phase, tone: 'busy' };
  if (phase === 'disconnected' || phase === 'unmounted') return { label: phase, tone: 'busy' };
  if (outageMs >= RETRYING_AFTER_MS) return { label: 'retrying', tone: 'busy' };
  return { label: String(phase), tone: 'ok' };
}
