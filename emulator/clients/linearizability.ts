// Per-file linearizability of client histories (verification.md, invariant 4), checked after the fact
// on whole histories. checker.ts runs online and cheaply along a run; this is the exhaustive check.
//
// The model: each file is a register holding its whole content's hash, or ABSENT. Creates and writes
// set it blindly, a remove sets ABSENT, a rename moves the source's value to the target and leaves the
// source ABSENT; a read must return the value the file holds at its linearization point. Every file
// starts ABSENT (workloads never reuse a name). Files that a rename ties together are one partition;
// every other file is checked on its own, so a violation in one never taints another.
//
// The search is Wing & Gong's as Lowe refined it (and porcupine implements it): walk the calls in time
// order, linearize the first one the model accepts, start again from the first call left; meeting the
// return of an op not yet linearized means the choices so far cannot work: undo the last one and try
// the call after it. A cache of (ops linearized as a bitset, model state) skips any configuration
// already explored. An op whose outcome is unknown (maybe) has no return: it may take effect any time
// after its invocation or never, and its response (a maybe read's content) is unconstrained.
//
// Steps (calls tried and backtracks) are counted and bounded per partition; past the bound the
// verdict is `unknown`, never a guess. An op that completes in the same microsecond another is invoked
// counts as concurrent with it: ties never raise an alarm. Deterministic: no clock, no randomness.
import type { Micros } from '../engine/actor.ts';
import { ABSENT, type OpKind } from './history.ts';
import { explainViolation, type Blocked } from './linearizability-history.ts';

export interface LinOp {
  /** A label for messages: `c1#42`. */
  readonly id: string;
  readonly kind: OpKind;
  readonly path: string;
  /** rename: the new name. */
  readonly target?: string;
  /** create/write: the value written; read: the value returned (ABSENT for "no such file"). */
  readonly value?: string;
  readonly invokeUs: Micros;
  /** When the op was answered; null when its outcome is unknown (maybe). */
  readonly completeUs: Micros | null;
}

export type LinVerdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface FileVerdict {
  readonly verdict: LinVerdict;
  /** Search steps used (calls tried plus backtracks). */
  readonly steps: number;
  /** Ops of the partition given to the checker. */
  readonly ops: number;
  /** The files of the partition: one, or several tied by renames. */
  readonly paths: readonly string[];
  /** not-linearizable: what went wrong, for a human. */
  readonly counterexample?: string;
  /** not-linearizable: when the op the search could not place returned (or was invoked, if it never did). */
  readonly atUs?: Micros;
}

export interface LinearizabilityResult {
  /** No file is `not-linearizable` (files left `unknown` are listed, not failed). */
  readonly ok: boolean;
  /** By partition: the file's path, or the paths of a rename chain joined by ` + `. */
  readonly files: Readonly<Record<string, FileVerdict>>;
  /** Partitions the step bound left undecided. */
  readonly unknown: readonly string[];
}

export interface LinearizabilityOptions {
  /** Search steps allowed per partition before its verdict is `unknown`. */
  readonly maxSteps?: number;
}

export const DEFAULT_MAX_STEPS = 100_000;

/** One partition's ops, its files, and the values its model deals in, interned (ABSENT is 0). */
interface Partition {
  readonly paths: string[];
  readonly ops: LinOp[];
}

interface Entry {
  readonly op: number;
  readonly call: boolean;
  /** A call's return (null for a maybe op). */
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

export function checkLinearizability(ops: readonly LinOp[], options: LinearizabilityOptions = {}): LinearizabilityResult {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const files: Record<string, FileVerdict> = {};
  const unknown: string[] = [];
  let ok = true;
  for (const partition of partitionByFile(ops)) {
    const name = partition.paths.join(' + ');
    const verdict = checkPartition(partition, maxSteps);
    files[name] = verdict;
    if (verdict.verdict === 'not-linearizable') ok = false;
    if (verdict.verdict === 'unknown') unknown.push(name);
  }
  return { ok, files, unknown };
}

/** Groups ops by file; a rename joins its source's and target's groups. Paths in order of first use. */
function partitionByFile(ops: readonly LinOp[]): Partition[] {
  const parent = new Map<string, string>();
  const find = (path: string): string => {
    let root = path;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(path, root);
    return root;
  };
  const touch = (path: string): void => { if (!parent.has(path)) parent.set(path, path); };
  for (const op of ops) {
    touch(op.path);
    if (op.kind !== 'rename') continue;
    if (op.target === undefined) throw new Error(`rename ${op.id} has no target`);
    touch(op.target);
    const [a, b] = [find(op.path), find(op.target)];
    if (a !== b) parent.set(b, a);
  }
  const byRoot = new Map<string, Partition>();
  for (const path of parent.keys()) {
    const root = find(path);
    let partition = byRoot.get(root);
    if (!partition) byRoot.set(root, partition = { paths: [], ops: [] });
    partition.paths.push(path);
  }
  for (const op of ops) byRoot.get(find(op.path))?.ops.push(op);
  return [...byRoot.values()];
}

function checkPartition(partition: Partition, maxSteps: number): FileVerdict {
  const { paths } = partition;
  // A maybe create or write whose content no read returned can only get in the way: leaving it out
  // loses no linearization (its value, wherever it lands, is never observed), and saves the search.
  const observed = new Set(partition.ops.filter((op) => op.kind === 'read').map((op) => op.value));
  const ops = partition.ops.filter((op) =>
    op.completeUs !== null || !(op.kind === 'create' || op.kind === 'write') || observed.has(op.value));
  const base = { ops: partition.ops.length, paths };
  const slot = new Map(paths.map((path, index) => [path, index]));
  const values = new Map<string, number>([[ABSENT, 0]]);
  const intern = (value: string | undefined): number => {
    if (value === undefined) throw new Error('a create, write or read without a value');
    let id = values.get(value);
    if (id === undefined) values.set(value, id = values.size);
    return id;
  };
  const steps = ops.map((op) => modelStep(op, slot, intern));

  const { head, calls } = entryList(ops);
  let definiteLeft = ops.filter((op) => op.completeUs !== null).length;
  let state: readonly number[] = paths.map(() => 0);
  const bits = new Uint32Array(Math.ceil(ops.length / 32));
  const cache = new Set<string>();
  const stack: { op: number; before: readonly number[] }[] = [];
  let blocked: Blocked | null = null;
  let entry = head.next;
  let used = 0;
  while (definiteLeft > 0) {
    if (used >= maxSteps) return { ...base, verdict: 'unknown', steps: used };
    used += 1;
    if (entry === null) throw new Error('linearizability search ran past the last return');
    const op = entry.op;
    if (entry.call) {
      const next = steps[op](state);
      if (next) {
        bits[op >>> 5] ^= 1 << (op & 31);
        const key = `${bits.join('.')}|${next.join('.')}`;
        if (!cache.has(key)) {
          cache.add(key);
          stack.push({ op, before: state });
          state = next;
          lift(calls[op]);
          if (ops[op].completeUs !== null) definiteLeft -= 1;
          entry = head.next;
          continue;
        }
        bits[op >>> 5] ^= 1 << (op & 31);
      }
      entry = entry.next;
      continue;
    }
    // The return of an op not linearized: nothing chosen so far lets it happen in time. Back up.
    if (!blocked || stack.length > blocked.depth) {
      blocked = { depth: stack.length, op: ops[op], last: stack.length > 0 ? ops[stack[stack.length - 1].op] : null, state };
    }
    const undone = stack.pop();
    if (!undone) {
      const counterexample = explainViolation(blocked, paths, [...values.keys()], ops.length, partition.ops);
      return { ...base, verdict: 'not-linearizable', steps: used, counterexample, atUs: blocked.op.completeUs ?? blocked.op.invokeUs };
    }
    state = undone.before;
    bits[undone.op >>> 5] ^= 1 << (undone.op & 31);
    unlift(calls[undone.op]);
    if (ops[undone.op].completeUs !== null) definiteLeft += 1;
    entry = calls[undone.op].next;
  }
  return { ...base, verdict: 'linearizable', steps: used };
}

/** The op's effect on the model: the new state, or null where the op cannot happen (a read's value). */
function modelStep(op: LinOp, slot: Map<string, number>, intern: (value: string | undefined) => number):
  (state: readonly number[]) => readonly number[] | null {
  const at = slot.get(op.path) ?? -1;
  const set = (state: readonly number[], index: number, value: number): number[] => {
    const next = state.slice();
    next[index] = value;
    return next;
  };
  switch (op.kind) {
    case 'read': {
      const wanted = intern(op.value);
      return (state) => (state[at] === wanted ? state : null);
    }
    case 'create':
    case 'write': {
      const value = intern(op.value);
      return (state) => set(state, at, value);
    }
    case 'remove':
      return (state) => set(state, at, 0);
    case 'rename': {
      const to = slot.get(op.target ?? '') ?? -1;
      return (state) => set(set(state, to, state[at]), at, 0);
    }
  }
}

/**
 * Calls and returns in time order (at equal times calls first: concurrent), in a doubly linked list
 * behind a head sentinel. An op without a return (maybe) leaves only its call.
 */
function entryList(ops: readonly LinOp[]): { head: Entry; calls: Entry[] } {
  type Event = { atUs: Micros; entry: Entry };
  const events: Event[] = [];
  const calls: Entry[] = [];
  ops.forEach((op, index) => {
    const call: Entry = { op: index, call: true, match: null, prev: null, next: null };
    calls.push(call);
    events.push({ atUs: op.invokeUs, entry: call });
    if (op.completeUs !== null) {
      if (op.completeUs < op.invokeUs) throw new Error(`op ${op.id} completes before it is invoked`);
      call.match = { op: index, call: false, match: null, prev: null, next: null };
      events.push({ atUs: op.completeUs, entry: call.match });
    }
  });
  events.sort((a, b) => a.atUs - b.atUs || Number(b.entry.call) - Number(a.entry.call) || a.entry.op - b.entry.op);
  const head: Entry = { op: -1, call: false, match: null, prev: null, next: null };
  let last = head;
  for (const { entry } of events) {
    entry.prev = last;
    last.next = entry;
    last = entry;
  }
  return { head, calls };
}

/** Takes an op's call and return out of the list; they keep their links, for unlift. */
function lift(call: Entry): void {
  for (const entry of [call, call.match]) {
    if (!entry) continue;
    if (entry.prev) entry.prev.next = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
  }
}

/** Puts back what lift took out; undone in the reverse order of lifting, as the search's stack does. */
function unlift(call: Entry): void {
  for (const entry of [call.match, call]) {
    if (!entry) continue;
    if (entry.prev) entry.prev.next = entry;
    if (entry.next) entry.next.prev = entry;
  }
}
