// Why a vserver moved (seed 004), as its box on the diagram says for a few virtual seconds: its node
// failed (the master's `cluster.lastFailover`), its node lost the path to its storage (that node's
// `filers.<n>.storageFailover`, claim 14), or the master balanced it or an operator typed `vserver
// migrate` (`cluster.lastBalance`). The latest record that placed the vserver wins. Pure, tested without a DOM.
import { summaryOf } from './inspector-cards.ts';

type State = Readonly<Record<string, unknown>>;

export interface MoveReason {
  readonly vserver: string;
  readonly from: string | undefined;
  readonly to: string;
  readonly atMs: number;
  /** A few words for the box: `node3 failed`, `vserver migrate`. */
  readonly short: string;
  /** The whole story, for its tooltip. */
  readonly long: string;
}

/** How long a move's reason stays on its box once the box has arrived, in virtual milliseconds. */
export const REASON_SHOWN_MS = 10_000;

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const placedOf = (value: unknown): Array<[string, string]> =>
  Object.entries(record(value) ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string');

function failoverReasons(state: State): MoveReason[] {
  const failover = record(summaryOf(state, 'summary.cluster')['lastFailover']);
  const node = failover?.['node'];
  const atMs = failover?.['atMs'];
  if (typeof node !== 'string' || typeof atMs !== 'number') return [];
  return placedOf(failover?.['placed']).map(([vserver, to]) => ({
    vserver, from: node, to, atMs, short: `${node} failed`,
    long: `${vserver} moved from ${node} to ${to}: ${node} failed and the master placed its vservers in priority order (${String(failover?.['order'] ?? '')})`,
  }));
}

function storageReasons(state: State, filers: readonly string[]): MoveReason[] {
  return filers.flatMap((node) => {
    const storage = record(summaryOf(state, `summary.filers.${node}`)['storageFailover']);
    const atMs = storage?.['atMs'];
    if (typeof atMs !== 'number') return [];
    const aggregates = Array.isArray(storage?.['aggregates']) ? storage['aggregates'].join(', ') : 'its aggregates';
    return placedOf(storage?.['placed']).map(([vserver, to]) => ({
      vserver, from: node, to, atMs, short: `${node} lost storage`,
      long: `${vserver} moved from ${node} to ${to}: ${node} lost its paths to ${aggregates} and handed them to nodes that reach them`,
    }));
  });
}

const BALANCE_WORDS: Record<string, { short: string; long: string }> = {
  operator: { short: 'vserver migrate', long: 'an operator typed vserver migrate' },
  load: { short: 'load balance', long: 'the master balanced the load over the nodes' },
  failover: { short: 'rebalance', long: 'the master rebalanced after a failover' },
};

function balanceReasons(state: State): MoveReason[] {
  const balance = record(summaryOf(state, 'summary.cluster')['lastBalance']);
  const atMs = balance?.['atMs'];
  const trigger = String(balance?.['trigger'] ?? '');
  if (typeof atMs !== 'number' || !Array.isArray(balance?.['moves'])) return [];
  const words = BALANCE_WORDS[trigger] ?? { short: `balance (${trigger})`, long: `the master moved it (${trigger})` };
  return balance['moves'].flatMap((move) => {
    // `vs1:node1>node4`
    const parsed = typeof move === 'string' ? /^([^:]+):([^>]+)>(.+)$/.exec(move) : null;
    if (!parsed) return [];
    const [, vserver, from, to] = parsed;
    return [{ vserver, from, to, atMs, short: words.short, long: `${vserver} moved from ${from} to ${to}: ${words.long}` }];
  });
}

/** The latest reason each vserver moved for, by vserver. */
export function moveReasons(state: State, filers: readonly string[]): Map<string, MoveReason> {
  const latest = new Map<string, MoveReason>();
  for (const reason of [...failoverReasons(state), ...storageReasons(state, filers), ...balanceReasons(state)]) {
    const known = latest.get(reason.vserver);
    if (!known || reason.atMs >= known.atMs) latest.set(reason.vserver, reason);
  }
  return latest;
}

/**
 * Whether a reason is still shown at `nowMs`: from the decision until REASON_SHOWN_MS after the box was
 * seen to arrive (`arrivedMs`, when the window saw its node change), or after the decision if it never was.
 */
export function reasonShown(reason: MoveReason, nowMs: number, arrivedMs: number | undefined): boolean {
  const from = reason.atMs;
  const until = Math.max(reason.atMs, arrivedMs ?? reason.atMs) + REASON_SHOWN_MS;
  return nowMs >= from && nowMs <= until;
}
