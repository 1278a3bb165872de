// What goes into the linearizability checker and what comes out of it: the adapter from the client
// histories (history.ts) to the checker's ops, and the counterexample a human reads when a file fails.
import type { Micros } from '../engine/actor.ts';
import { ABSENT, type HistoryOp } from './history.ts';
import type { LinOp } from './linearizability.ts';

/**
 * A client's history as checker ops. A failed op certainly did not happen and is left out; so is a
 * read that did not return content (maybe, still in flight): it constrains nothing. A mutation that
 * ended maybe, or was still in flight when the history was taken, has an unknown outcome.
 */
export function linOpsFromHistory(ops: readonly HistoryOp[], client = ''): LinOp[] {
  const out: LinOp[] = [];
  for (const op of ops) {
    if (op.outcome === 'fail') continue;
    const id = `${client}#${op.id}`;
    const base = { id, kind: op.kind, path: op.path, invokeUs: op.invokeUs };
    if (op.kind === 'read') {
      if (op.outcome !== 'ok' || op.readHash === undefined || op.completeUs === undefined) continue;
      out.push({ ...base, value: op.readHash, completeUs: op.completeUs });
      continue;
    }
    if ((op.kind === 'create' || op.kind === 'write') && op.writtenHash === undefined) throw new Error(`${op.kind} ${id} has no written hash`);
    out.push({
      ...base,
      ...(op.target !== undefined ? { target: op.target } : {}),
      ...(op.writtenHash !== undefined ? { value: op.writtenHash } : {}),
      completeUs: op.outcome === 'ok' && op.completeUs !== undefined ? op.completeUs : null,
    });
  }
  return out;
}

/** The histories of several clients, by client name, as one list of ops (labels: `c1#42`). */
export function linOpsFromClients(histories: Readonly<Record<string, readonly HistoryOp[]>>): LinOp[] {
  return Object.entries(histories).flatMap(([client, history]) => linOpsFromHistory(history, client));
}

/** Where the search got furthest before it had to give up: the op whose return it could not meet. */
export interface Blocked {
  /** Ops linearized at that point. */
  readonly depth: number;
  readonly op: LinOp;
  /** The last op linearized, if any. */
  readonly last: LinOp | null;
  /** The model state then: a value index per path of the partition. */
  readonly state: readonly number[];
}

/** Virtual time in seconds: to the millisecond when that is exact, else to the microsecond. */
export function formatUs(us: Micros): string {
  return `${(us / 1_000_000).toFixed(us % 1000 === 0 ? 3 : 6)} s`;
}

function describe(op: LinOp): string {
  const rename = op.kind === 'rename' ? ` to ${op.target}` : '';
  const window = op.completeUs === null ? `invoked at ${formatUs(op.invokeUs)}, outcome unknown` : `${formatUs(op.invokeUs)} – ${formatUs(op.completeUs)}`;
  return `the ${op.kind} ${op.id} of ${op.path}${rename} (${window})`;
}

/** One or two sentences on why a partition is not linearizable, from the deepest point of the search. */
export function explainViolation(
  blocked: Blocked, paths: readonly string[], values: readonly string[], searched: number, all: readonly LinOp[],
): string {
  const { op, depth, last } = blocked;
  const order = depth === 0
    ? 'no op can be placed before it'
    : `the longest consistent order places ${depth} of ${searched} ops, the last ${describe(last ?? op)}`;
  if (op.kind !== 'read') return `${describe(op)} cannot take effect before it returned: ${order}`;
  const produced = op.value === ABSENT || all.some((other) => (other.kind === 'create' || other.kind === 'write') && other.value === op.value);
  if (!produced) return `${describe(op)} returned ${op.value}, content no create or write in the history produced`;
  const held = values[blocked.state[paths.indexOf(op.path)]] ?? '?';
  return `${describe(op)} returned ${op.value}, which no permissible order gives: ${order}, after which ${op.path} holds ${held}`;
}
