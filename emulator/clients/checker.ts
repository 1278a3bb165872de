// The checker: a register model per file, fed op by op as a client invokes and completes them, so
// that lost writes and stale reads are computed from what clients saw, never guessed.
//
// The model. Each file holds one value: the hash of its whole content, or ABSENT. A mutation (create,
// write, remove, either end of a rename) sets it. For a read R, the floor is the last acknowledged
// mutation completed before R was invoked: R must return the floor's value, or the value of a
// mutation invoked after the floor and before R completed that did not fail (it may have landed).
// A maybe op may take effect until the next acknowledged mutation of its file and never after it; a
// maybe create or write may also have stopped part way and left one of its `partialHashes`.
//
// A read outside that set is a bad read. The reads that share a floor form the floor's era; when the
// era's last read is bad, the acknowledged mutation never showed up again: a lost write. Any other
// bad read saw old data that later came back: a stale read. Mutations older than the floor are
// dropped as the floor moves, so the state stays small over a long run.
//
// Each lost write and stale read is also a violation (the run summary's `violations`, which make a
// run fail): a bad read is classified once it is known — a stale read when another read of its era
// follows, a lost write when the era closes on it (or, at the verdict, still ends on it).
import type { Micros } from '../engine/actor.ts';
import { ABSENT, type HistoryOp, type Outcome } from './history.ts';

type MutationStatus = 'pending' | Outcome;

interface Mutation {
  readonly opId: number;
  readonly invokeUs: Micros;
  completeUs: Micros | null;
  status: MutationStatus;
  /** The values the file may hold once this mutation took effect (a rename's target: several; a maybe
   * create or write: its partial contents too). */
  readonly values: string[];
}

interface FileModel {
  mutations: Mutation[];
  /** opId of the floor whose era is open, or null while nothing was ever acknowledged. */
  eraFloorOpId: number | null;
  /** The era's last read when it was bad (what it read, for the violation), else null. */
  eraBadRead: BadRead | null;
  pendingReads: number;
}

interface BadRead {
  readonly opId: number;
  readonly atUs: Micros;
  /** `read X, expected one of Y, Z`. */
  readonly detail: string;
}

interface PendingRead {
  readonly path: string;
  readonly floorOpId: number | null;
}

export interface CheckerFinding {
  readonly kind: 'bad-read' | 'lost-write';
  readonly path: string;
  readonly opId: number;
  readonly atUs: Micros;
  readonly detail: string;
}

/** A lost write or a stale read, once classified: one entry of the run's violations. */
export interface CheckerViolation {
  readonly kind: 'lost-write' | 'stale-read';
  readonly path: string;
  /** The read that saw the wrong content. */
  readonly opId: number;
  /** When that read completed. */
  readonly atUs: Micros;
  readonly detail: string;
}

export interface CheckerState {
  files: Record<string, FileModel>;
  pendingReads: Record<number, PendingRead>;
  /** Paths each pending mutation touches (two for a rename). */
  pendingMutations: Record<number, string[]>;
  badReads: number;
  lostWrites: number;
  /** The first findings, for a human; bounded. */
  findings: CheckerFinding[];
  /** The first classified lost writes and stale reads; bounded (the counts are exact). */
  violations: CheckerViolation[];
}

export interface CheckResult {
  readonly lostWrites: number;
  readonly staleReads: number;
  readonly findings: readonly CheckerFinding[];
  /** The first lost writes and stale reads (bounded), including those of eras still open, by time. */
  readonly violations: readonly CheckerViolation[];
}

const FINDINGS_KEPT = 20;

export function createChecker(): CheckerState {
  return { files: {}, pendingReads: {}, pendingMutations: {}, badReads: 0, lostWrites: 0, findings: [], violations: [] };
}

function fileModel(state: CheckerState, path: string): FileModel {
  let model = state.files[path];
  if (!model) {
    model = { mutations: [], eraFloorOpId: null, eraBadRead: null, pendingReads: 0 };
    state.files[path] = model;
  }
  return model;
}

/** The last acknowledged mutation, by completion time. */
function floorOf(model: FileModel): Mutation | null {
  let floor: Mutation | null = null;
  for (const mutation of model.mutations) {
    if (mutation.status !== 'ok') continue;
    if (!floor || (mutation.completeUs ?? 0) >= (floor.completeUs ?? 0)) floor = mutation;
  }
  return floor;
}

/** Values the file may hold for a read that started with this floor and ends at `untilUs`. */
function possibleValues(model: FileModel, floorOpId: number | null, untilUs: Micros): Set<string> {
  const floor = model.mutations.find((mutation) => mutation.opId === floorOpId) ?? null;
  const values = new Set<string>(floor ? floor.values : [ABSENT]);
  for (const mutation of model.mutations) {
    if (mutation === floor || mutation.status === 'fail') continue;
    if (floor && mutation.invokeUs < floor.invokeUs) continue;
    if (mutation.invokeUs >= untilUs) continue;
    for (const value of mutation.values) values.add(value);
  }
  return values;
}

function addFinding(state: CheckerState, finding: CheckerFinding): void {
  if (state.findings.length < FINDINGS_KEPT) state.findings.push(finding);
}

function addViolation(state: CheckerState, violation: CheckerViolation): void {
  // `?? []`: a checker restored from a lab saved before violations were kept.
  state.violations ??= [];
  if (state.violations.length < FINDINGS_KEPT) state.violations.push(violation);
}

/** The violation a bad read is, once known to be a lost write (of `floorOpId`) or a stale read. */
function violationOf(kind: CheckerViolation['kind'], path: string, read: BadRead, floorOpId: number | null): CheckerViolation {
  const what = kind === 'lost-write' ? `acknowledged op ${floorOpId} never read back: op ${read.opId}` : `op ${read.opId} read old data:`;
  return { kind, path, opId: read.opId, atUs: read.atUs, detail: `${path}: ${what} ${read.detail}` };
}

function addMutation(state: CheckerState, path: string, op: HistoryOp, values: string[]): void {
  fileModel(state, path).mutations.push({ opId: op.id, invokeUs: op.invokeUs, completeUs: null, status: 'pending', values });
  (state.pendingMutations[op.id] ??= []).push(path);
}

/** Records the invocation of an op (before its request leaves the client). */
export function checkerInvoke(state: CheckerState, op: HistoryOp): void {
  switch (op.kind) {
    case 'read': {
      const model = fileModel(state, op.path);
      model.pendingReads += 1;
      state.pendingReads[op.id] = { path: op.path, floorOpId: floorOf(model)?.opId ?? null };
      return;
    }
    case 'create':
    case 'write':
      if (op.writtenHash === undefined) throw new Error(`${op.kind} op ${op.id} has no written hash`);
      addMutation(state, op.path, op, [op.writtenHash]);
      return;
    case 'remove':
      addMutation(state, op.path, op, [ABSENT]);
      return;
    case 'rename': {
      if (op.target === undefined) throw new Error(`rename op ${op.id} has no target`);
      const source = fileModel(state, op.path);
      const carried = [...possibleValues(source, floorOf(source)?.opId ?? null, op.invokeUs + 1)];
      addMutation(state, op.path, op, [ABSENT]);
      addMutation(state, op.target, op, carried);
      return;
    }
  }
}

/** Records the end of an op: its outcome, and for a read the hash it returned. */
export function checkerComplete(state: CheckerState, op: HistoryOp): void {
  if (op.outcome === undefined || op.completeUs === undefined) throw new Error(`op ${op.id} completed without outcome`);
  if (op.kind === 'read') completeRead(state, op);
  else completeMutation(state, op);
}

function completeRead(state: CheckerState, op: HistoryOp): void {
  const pending = state.pendingReads[op.id];
  if (!pending) throw new Error(`read ${op.id} completed but was never invoked`);
  delete state.pendingReads[op.id];
  const model = fileModel(state, pending.path);
  model.pendingReads -= 1;
  if (op.outcome !== 'ok' || op.readHash === undefined) return;
  const allowed = possibleValues(model, pending.floorOpId, op.completeUs ?? op.invokeUs);
  const bad = !allowed.has(op.readHash);
  const read: BadRead | null = bad
    ? { opId: op.id, atUs: op.completeUs ?? op.invokeUs, detail: `read ${op.readHash}, expected one of ${[...allowed].join(', ')}` }
    : null;
  const inEra = pending.floorOpId === model.eraFloorOpId;
  if (inEra) {
    // Another read of the era follows a bad one: that one saw old data for a moment.
    if (model.eraBadRead) addViolation(state, violationOf('stale-read', pending.path, model.eraBadRead, null));
    model.eraBadRead = read;
  }
  if (!read) return;
  state.badReads += 1;
  addFinding(state, { kind: 'bad-read', path: pending.path, opId: read.opId, atUs: read.atUs, detail: read.detail });
  // A read begun in an era already closed cannot be its era's last: stale.
  if (!inEra) addViolation(state, violationOf('stale-read', pending.path, read, null));
}

function completeMutation(state: CheckerState, op: HistoryOp): void {
  const paths = state.pendingMutations[op.id];
  if (!paths) throw new Error(`${op.kind} ${op.id} completed but was never invoked`);
  delete state.pendingMutations[op.id];
  for (const path of paths) {
    const model = fileModel(state, path);
    const mutation = model.mutations.find((candidate) => candidate.opId === op.id);
    if (!mutation) throw new Error(`${op.kind} ${op.id} lost its mutation on ${path}`);
    mutation.status = op.outcome ?? 'maybe';
    mutation.completeUs = op.completeUs ?? null;
    if (mutation.status === 'maybe' && op.partialHashes && path === op.path) mutation.values.push(...op.partialHashes);
    if (mutation.status === 'ok') openEra(state, path, model, mutation);
    compact(model);
  }
}

function openEra(state: CheckerState, path: string, model: FileModel, floor: Mutation): void {
  closeEra(state, path, model, floor.completeUs ?? floor.invokeUs);
  model.eraFloorOpId = floor.opId;
  model.eraBadRead = null;
}

function closeEra(state: CheckerState, path: string, model: FileModel, atUs: Micros): void {
  const read = model.eraBadRead;
  model.eraBadRead = null;
  if (!read) return;
  // Nothing acknowledged yet: no write to lose, the bad read was a stale one.
  if (model.eraFloorOpId === null) return addViolation(state, violationOf('stale-read', path, read, null));
  state.lostWrites += 1;
  addFinding(state, {
    kind: 'lost-write', path, opId: model.eraFloorOpId, atUs,
    detail: `acknowledged op ${model.eraFloorOpId} was never read back`,
  });
  addViolation(state, violationOf('lost-write', path, read, model.eraFloorOpId));
}

/** Drops what no read can still need: failed mutations and everything older than the floor. */
function compact(model: FileModel): void {
  if (model.pendingReads > 0) return;
  const floor = floorOf(model);
  model.mutations = model.mutations.filter((mutation) =>
    mutation.status !== 'fail' && (!floor || mutation.invokeUs >= floor.invokeUs));
}

/** The verdict so far: eras still open whose last read was bad count as lost writes. */
export function checkerResult(state: CheckerState): CheckResult {
  let openLost = 0;
  const violations = [...(state.violations ?? [])];
  for (const [path, model] of Object.entries(state.files)) {
    if (!model.eraBadRead) continue;
    if (model.eraFloorOpId !== null) openLost += 1;
    if (violations.length < FINDINGS_KEPT) {
      violations.push(violationOf(model.eraFloorOpId !== null ? 'lost-write' : 'stale-read', path, model.eraBadRead, model.eraFloorOpId));
    }
  }
  violations.sort((a, b) => a.atUs - b.atUs || a.opId - b.opId);
  const lostWrites = state.lostWrites + openLost;
  return { lostWrites, staleReads: state.badReads - lostWrites, findings: state.findings, violations };
}

/**
 * Checks a whole history at once (tests, and histories from elsewhere): invocations and completions
 * are replayed in time order; at equal times completions come first.
 */
export function checkHistory(ops: readonly HistoryOp[]): CheckResult {
  type Step = { atUs: Micros; order: number; op: HistoryOp; complete: boolean };
  const steps: Step[] = [];
  for (const op of ops) {
    steps.push({ atUs: op.invokeUs, order: 1, op, complete: false });
    if (op.outcome !== undefined && op.completeUs !== undefined) {
      steps.push({ atUs: op.completeUs, order: 0, op, complete: true });
    }
  }
  steps.sort((a, b) => a.atUs - b.atUs || a.order - b.order || a.op.id - b.op.id);
  const state = createChecker();
  for (const step of steps) {
    if (step.complete) checkerComplete(state, step.op);
    else checkerInvoke(state, step.op);
  }
  return checkerResult(state);
}
