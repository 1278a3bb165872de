// The exhaustive per-file linearizability check (linearizability.ts) on every run, not only in tests:
// each client keeps the ops it finished, grouped by partition (a file and the names a rename tied to
// it), and checks a partition as soon as it is closed — none of its names is among the files the
// workload will touch again (names are never reused) and no op on it is in flight — then drops its
// ops. The partitions still open are checked when the run summary is taken (summarizeLin), so the
// summary at the end of a run covers every op.
//
// Bounds, deterministic (counted in ops and search steps, never in wall time):
//  - a partition holds at most PARTITION_OPS_MAX ops: at that size it is checked as it stands and
//    closed early; its later ops are not recorded (counted in `opsUnrecorded`, the online checker
//    still sees them);
//  - each check has the search's step bound (DEFAULT_MAX_STEPS): past it the partition's verdict is
//    `unknown` — listed under the client's `linearizability.undecided`, never reported as a violation.
// A partition that is not linearizable is a run violation (kind `not-linearizable`) at the virtual
// time of the op the search could not place, with the checker's counterexample as its detail.
import type { Micros } from '../engine/actor.ts';
import { ABSENT, type HistoryOp } from './history.ts';
import { checkLinearizability, type FileVerdict, type LinOp } from './linearizability.ts';

/** Ops kept per partition before it is checked and closed early. */
export const PARTITION_OPS_MAX = 4000;
/** Verdicts kept per client (violations and undecided partitions); the counts go on. */
const KEPT_MAX = 16;

interface OpenPartition {
  readonly paths: string[];
  readonly ops: LinOp[];
}

export interface LinViolation {
  readonly atUs: Micros;
  readonly detail: string;
}

export interface LinRecordState {
  /** Name → the partition (its first name) that holds it. */
  partitionOf: Record<string, string>;
  open: Record<string, OpenPartition>;
  /** Partitions closed early at PARTITION_OPS_MAX: their later ops are not recorded. */
  full: Record<string, true>;
  checked: { partitions: number; ops: number; steps: number; undecided: number; violations: number; opsUnrecorded: number };
  violations: LinViolation[];
  undecided: string[];
}

export function createLinRecord(): LinRecordState {
  return {
    partitionOf: {}, open: {}, full: {},
    checked: { partitions: 0, ops: 0, steps: 0, undecided: 0, violations: 0, opsUnrecorded: 0 },
    violations: [], undecided: [],
  };
}

/**
 * The checker ops of one finished op, as linOpsFromHistory makes them (a failed op did not happen; a
 * read without content constrains nothing), written out for speed: this runs for every op of every
 * run. A maybe write that may have stopped part way adds a maybe op per prefix it may have left.
 */
function linOpsOf(op: HistoryOp, client: string): LinOp[] {
  if (op.outcome === 'fail') return [];
  const id = `${client}#${op.id}`;
  const completeUs = op.outcome === 'ok' && op.completeUs !== undefined ? op.completeUs : null;
  if (op.kind === 'read') {
    return completeUs === null || op.readHash === undefined ? [] : [{ id, kind: 'read', path: op.path, value: op.readHash, invokeUs: op.invokeUs, completeUs }];
  }
  if (op.kind === 'rename') return [{ id, kind: 'rename', path: op.path, target: op.target, invokeUs: op.invokeUs, completeUs }];
  if (op.kind === 'remove') return [{ id, kind: 'remove', path: op.path, invokeUs: op.invokeUs, completeUs }];
  if (op.writtenHash === undefined) throw new Error(`${op.kind} ${id} has no written hash`);
  const ops: LinOp[] = [{ id, kind: op.kind, path: op.path, value: op.writtenHash, invokeUs: op.invokeUs, completeUs }];
  if (completeUs === null && op.partialHashes) {
    op.partialHashes.forEach((value, index) => { ops.push({ id: `${id}.${index + 1}`, kind: op.kind, path: op.path, value, invokeUs: op.invokeUs, completeUs: null }); });
  }
  return ops;
}

/** Records a finished op; checks and drops its partition when it is closed. */
export function linRecordOp(state: LinRecordState, client: string, op: HistoryOp, liveFiles: readonly string[], nowUs: Micros): void {
  const names = op.kind === 'rename' && op.target !== undefined ? [op.path, op.target] : [op.path];
  const root = state.partitionOf[op.path] ?? (names.length > 1 ? state.partitionOf[names[1]] : undefined) ?? op.path;
  if (state.full[root]) { state.checked.opsUnrecorded += 1; return; }
  const ops = linOpsOf(op, client);
  let partition = state.open[root];
  if (!partition) state.open[root] = partition = { paths: [], ops: [] };
  for (const name of names) {
    const other = state.partitionOf[name];
    if (other !== undefined && other !== root) mergeInto(state, root, other);
    if (!partition.paths.includes(name)) partition.paths.push(name);
    state.partitionOf[name] = root;
  }
  for (const one of ops) partition.ops.push(one);
  if (partition.ops.length >= PARTITION_OPS_MAX) {
    checkPartition(state, root, nowUs);
    state.full[root] = true;
  } else if (!partition.paths.some((name) => liveFiles.includes(name))) {
    checkPartition(state, root, nowUs);
    for (const name of partition.paths) delete state.partitionOf[name];
  }
}

function mergeInto(state: LinRecordState, root: string, other: string): void {
  const from = state.open[other];
  const into = state.open[root];
  if (!from || !into) return;
  for (const name of from.paths) { if (!into.paths.includes(name)) into.paths.push(name); state.partitionOf[name] = root; }
  into.ops.push(...from.ops);
  into.ops.sort((a, b) => a.invokeUs - b.invokeUs);
  delete state.open[other];
}

function record(state: LinRecordState, name: string, verdict: FileVerdict, nowUs: Micros): void {
  state.checked.partitions += 1;
  state.checked.ops += verdict.ops;
  state.checked.steps += verdict.steps;
  if (verdict.verdict === 'unknown') {
    state.checked.undecided += 1;
    if (state.undecided.length < KEPT_MAX) state.undecided.push(`${name} (${verdict.ops} ops, ${verdict.steps} steps)`);
  }
  if (verdict.verdict === 'not-linearizable') {
    state.checked.violations += 1;
    if (state.violations.length < KEPT_MAX) state.violations.push({ atUs: verdict.atUs ?? nowUs, detail: `${name}: ${verdict.counterexample ?? 'not linearizable'}` });
  }
}

/**
 * The common case, without the search: every op definite and each returned before the next was
 * invoked (one client, one op at a time, no maybe). Then real time fixes the only order, and the
 * history is linearizable exactly when replaying it in that order on the register model works.
 * Returns the verdict, or null when the history is not of that shape (or fails: the search then
 * finds the counterexample).
 */
function sequentialVerdict(paths: readonly string[], ops: readonly LinOp[]): FileVerdict | null {
  const held = new Map<string, string>();
  let lastCompleteUs = -1;
  for (const op of ops) {
    if (op.completeUs === null || op.invokeUs <= lastCompleteUs) return null;
    lastCompleteUs = op.completeUs;
    const value = held.get(op.path) ?? ABSENT;
    if (op.kind === 'read') { if (op.value !== value) return null; continue; }
    if (op.kind === 'create' || op.kind === 'write') held.set(op.path, op.value ?? ABSENT);
    else if (op.kind === 'remove') held.delete(op.path);
    else { held.delete(op.path); if (op.target !== undefined && value !== ABSENT) held.set(op.target, value); else if (op.target !== undefined) held.delete(op.target); }
  }
  return { verdict: 'linearizable', steps: ops.length, ops: ops.length, paths };
}

/**
 * The partition's verdicts, each with the name it is recorded under. A list of pairs, not an object
 * keyed by the name: names are never reused, and each new key of a fresh object literal cost V8 a new
 * hidden class (a tenth of the record's time).
 */
function checkOps(paths: readonly string[], ops: LinOp[]): [string, FileVerdict][] {
  const sorted = [...ops].sort((a, b) => a.invokeUs - b.invokeUs);
  const fast = sequentialVerdict(paths, sorted);
  return fast ? [[paths.join(' + '), fast]] : Object.entries(checkLinearizability(ops).files);
}

function checkPartition(state: LinRecordState, root: string, nowUs: Micros): void {
  const partition = state.open[root];
  delete state.open[root];
  if (!partition || partition.ops.length === 0) return;
  for (const [name, verdict] of checkOps(partition.paths, partition.ops)) record(state, name, verdict, nowUs);
}

export interface LinSummary {
  readonly checked: LinRecordState['checked'];
  readonly violations: readonly LinViolation[];
  readonly undecided: readonly string[];
}

// The summary is taken often (every virtual second by the fuzzer): the verdict of an open partition
// is kept while its op list has not grown. Only a cache: the verdict is the same without it.
const openVerdicts = new WeakMap<LinOp[], { length: number; verdicts: [string, FileVerdict][] }>();

/** The record with the open partitions checked as they stand (the record itself is not changed). */
export function summarizeLin(state: LinRecordState, nowUs: Micros): LinSummary {
  const copy: LinRecordState = { ...state, checked: { ...state.checked }, violations: [...state.violations], undecided: [...state.undecided] };
  for (const partition of Object.values(state.open)) {
    if (partition.ops.length === 0) continue;
    let cached = openVerdicts.get(partition.ops);
    if (!cached || cached.length !== partition.ops.length) {
      cached = { length: partition.ops.length, verdicts: checkOps(partition.paths, partition.ops) };
      openVerdicts.set(partition.ops, cached);
    }
    for (const [name, verdict] of cached.verdicts) record(copy, name, verdict, nowUs);
  }
  return { checked: copy.checked, violations: copy.violations, undecided: copy.undecided };
}
