import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { ABSENT, type HistoryOp } from '../../../emulator/clients/history.ts';
import { checkLinearizability, DEFAULT_MAX_STEPS, type LinOp } from '../../../emulator/clients/linearizability.ts';
import { formatUs, linOpsFromClients, linOpsFromHistory } from '../../../emulator/clients/linearizability-history.ts';
import { loadLabSources, openLab } from '../../../emulator/host/engine-lab-loader.ts';

// Ops by hand, times in milliseconds; `null` completion: outcome unknown (maybe).
const MS = 1000;
let nextId = 1;
function lin(kind: LinOp['kind'], path: string, invokeMs: number, completeMs: number | null, extra: { value?: string; target?: string } = {}): LinOp {
  return { id: `#${nextId++}`, kind, path, invokeUs: invokeMs * MS, completeUs: completeMs === null ? null : completeMs * MS, ...extra };
}
const write = (path: string, value: string, invokeMs: number, completeMs: number | null): LinOp => lin('write', path, invokeMs, completeMs, { value });
const create = (path: string, value: string, invokeMs: number, completeMs: number | null): LinOp => lin('create', path, invokeMs, completeMs, { value });
const read = (path: string, value: string, invokeMs: number, completeMs: number): LinOp => lin('read', path, invokeMs, completeMs, { value });
const rename = (path: string, target: string, invokeMs: number, completeMs: number | null): LinOp => lin('rename', path, invokeMs, completeMs, { target });
const remove = (path: string, invokeMs: number, completeMs: number | null): LinOp => lin('remove', path, invokeMs, completeMs);

function verdictOf(ops: LinOp[], path = 'f'): string {
  return checkLinearizability(ops).files[path].verdict;
}

describe('linearizability: histories that are linearizable', () => {
  it('accepts concurrent writes with a later read seeing either one', () => {
    for (const seen of ['a', 'b']) {
      const ops = [create('f', 'z', 0, 5), write('f', 'a', 10, 30), write('f', 'b', 12, 28), read('f', seen, 40, 50), read('f', seen, 60, 70)];
      const result = checkLinearizability(ops);
      expect(result).toMatchObject({ ok: true, unknown: [] });
      expect(result.files.f).toMatchObject({ verdict: 'linearizable', ops: 5, paths: ['f'] });
    }
  });

  it('accepts a read overlapping a write that sees the old or the new value', () => {
    expect(verdictOf([create('f', 'a', 0, 5), write('f', 'b', 10, 30), read('f', 'a', 15, 20)])).toBe('linearizable');
    expect(verdictOf([create('f', 'a', 0, 5), write('f', 'b', 10, 30), read('f', 'b', 15, 20)])).toBe('linearizable');
    expect(verdictOf([create('f', 'a', 0, 5), write('f', 'b', 10, 30), read('f', 'b', 15, 20), read('f', 'b', 22, 25)])).toBe('linearizable');
  });

  it('accepts a maybe write that happened, and one that did not', () => {
    expect(verdictOf([create('f', 'a', 0, 5), write('f', 'b', 10, null), read('f', 'b', 40, 50), read('f', 'b', 60, 70)])).toBe('linearizable');
    expect(verdictOf([create('f', 'a', 0, 5), write('f', 'b', 10, null), read('f', 'a', 40, 50), read('f', 'a', 60, 70)])).toBe('linearizable');
    // Late: not seen by the first read, seen by the second.
    expect(verdictOf([create('f', 'a', 0, 5), write('f', 'b', 10, null), read('f', 'a', 40, 50), read('f', 'b', 60, 70)])).toBe('linearizable');
  });

  it('accepts renames and removes: the target carries the value, the source reads absent', () => {
    const ops = [
      create('f1', 'a', 0, 5), rename('f1', 'f2', 10, 20), read('f1', ABSENT, 30, 35), read('f2', 'a', 40, 45),
      write('f2', 'b', 50, 55), rename('f2', 'f3', 60, 70), read('f3', 'b', 80, 85), remove('f3', 90, 95), read('f3', ABSENT, 100, 105),
    ];
    const result = checkLinearizability(ops);
    expect(result.ok).toBe(true);
    expect(result.files['f1 + f2 + f3']).toMatchObject({ verdict: 'linearizable', ops: 9, paths: ['f1', 'f2', 'f3'] });
  });

  it('accepts a history with nothing definite in it, and an empty one', () => {
    expect(verdictOf([write('f', 'a', 0, null)])).toBe('linearizable');
    expect(checkLinearizability([])).toEqual({ ok: true, files: {}, unknown: [] });
  });

  it('counts an op that completes in the microsecond another is invoked as concurrent with it', () => {
    expect(verdictOf([create('f', 'a', 0, 5), write('f', 'b', 10, 20), read('f', 'a', 20, 30)])).toBe('linearizable');
  });
});

describe('linearizability: histories that are not', () => {
  it('rejects a read returning a value never written, and says so', () => {
    const result = checkLinearizability([create('f', 'a', 0, 5), read('f', 'x', 12_345, 12_350)]);
    expect(result.ok).toBe(false);
    expect(result.files.f.verdict).toBe('not-linearizable');
    expect(result.files.f.counterexample).toBe('the read #' + (nextId - 1) + ' of f (12.345 s – 12.350 s) returned x, content no create or write in the history produced');
  });

  it('rejects a stale read after a later write completed', () => {
    const ops = [create('f', 'a', 0, 10), write('f', 'b', 20, 30), read('f', 'a', 40, 50)];
    const result = checkLinearizability(ops);
    expect(result.files.f.verdict).toBe('not-linearizable');
    expect(result.files.f.counterexample).toBe(`the read ${ops[2].id} of f (0.040 s – 0.050 s) returned a, which no permissible order gives: `
      + `the longest consistent order places 2 of 3 ops, the last the write ${ops[1].id} of f (0.020 s – 0.030 s), after which f holds b`);
  });

  it('rejects "read new, then read old" with non-overlapping reads during one write', () => {
    const ops = [create('f', 'a', 0, 10), write('f', 'b', 20, 100), read('f', 'b', 30, 40), read('f', 'a', 50, 60)];
    const result = checkLinearizability(ops);
    expect(result.files.f.verdict).toBe('not-linearizable');
    expect(result.files.f.counterexample).toContain(`the read ${ops[3].id} of f (0.050 s – 0.060 s) returned a`);
  });

  it('rejects a read of the absent file while its create was acknowledged', () => {
    expect(verdictOf([create('f', 'a', 0, 10), read('f', ABSENT, 20, 30)])).toBe('not-linearizable');
  });

  it('rejects reads of a renamed file that do not follow the rename', () => {
    const ops = [create('f1', 'a', 0, 5), rename('f1', 'f2', 10, 20), read('f2', ABSENT, 30, 35)];
    expect(checkLinearizability(ops).files['f1 + f2'].verdict).toBe('not-linearizable');
    const back = [create('f1', 'a', 0, 5), rename('f1', 'f2', 10, 20), read('f1', 'a', 30, 35)];
    expect(checkLinearizability(back).files['f1 + f2'].verdict).toBe('not-linearizable');
  });
});

describe('linearizability: maybe operations', () => {
  it('never lets a maybe write take effect before it was invoked', () => {
    expect(verdictOf([create('f', 'a', 0, 5), read('f', 'b', 10, 20), write('f', 'b', 30, null)])).toBe('not-linearizable');
  });

  it('does not let a maybe write be seen and then unseen', () => {
    expect(verdictOf([create('f', 'a', 0, 5), write('f', 'b', 10, null), read('f', 'b', 40, 50), read('f', 'a', 60, 70)])).toBe('not-linearizable');
  });

  it('does not let a maybe write land after a later acknowledged write was read back', () => {
    const ops = [create('f', 'a', 0, 5), write('f', 'b', 10, null), write('f', 'c', 20, 30), read('f', 'c', 40, 50), read('f', 'b', 60, 70)];
    // b may land after c: then the last read sees b. That is allowed, but then no read may see c again.
    expect(verdictOf(ops)).toBe('linearizable');
    expect(verdictOf([...ops, read('f', 'c', 80, 90)])).toBe('not-linearizable');
  });

  it('lets a maybe remove or rename have happened or not', () => {
    expect(verdictOf([create('f', 'a', 0, 5), remove('f', 10, null), read('f', 'a', 20, 30)])).toBe('linearizable');
    expect(verdictOf([create('f', 'a', 0, 5), remove('f', 10, null), read('f', ABSENT, 20, 30)])).toBe('linearizable');
    const ops = [create('f1', 'a', 0, 5), rename('f1', 'f2', 10, null), read('f2', 'a', 20, 30)];
    expect(checkLinearizability(ops).files['f1 + f2'].verdict).toBe('linearizable');
  });

  it('reads the adapter right: failed ops did not happen, maybe and unanswered reads constrain nothing', () => {
    const history: HistoryOp[] = [
      { id: 1, kind: 'create', path: 'f', invokeUs: 0, completeUs: 10, outcome: 'ok', writtenHash: 'a' },
      { id: 2, kind: 'write', path: 'f', invokeUs: 20, completeUs: 30, outcome: 'fail', writtenHash: 'b', reason: 'NOSPC' },
      { id: 3, kind: 'read', path: 'f', invokeUs: 40, completeUs: 50, outcome: 'maybe', reason: 'session dropped' },
      { id: 4, kind: 'write', path: 'f', invokeUs: 60, completeUs: 70, outcome: 'maybe', writtenHash: 'c' },
      { id: 5, kind: 'read', path: 'f', invokeUs: 80, completeUs: 90, outcome: 'ok', readHash: 'c' },
      { id: 6, kind: 'write', path: 'f', invokeUs: 100, writtenHash: 'd' },
      { id: 7, kind: 'read', path: 'f', invokeUs: 110 },
    ];
    const ops = linOpsFromHistory(history, 'c1');
    expect(ops.map((op) => [op.id, op.completeUs])).toEqual([['c1#1', 10], ['c1#4', null], ['c1#5', 90], ['c1#6', null]]);
    expect(checkLinearizability(ops).files.f.verdict).toBe('linearizable');
    // Had the failed write happened, the read of b would pass; it did not, so it fails.
    const sawFailed = [...history.slice(0, 2), { id: 8, kind: 'read', path: 'f', invokeUs: 200, completeUs: 210, outcome: 'ok', readHash: 'b' } as HistoryOp];
    expect(checkLinearizability(linOpsFromHistory(sawFailed)).files.f.verdict).toBe('not-linearizable');
  });
});

describe('linearizability: partitions, bounds and speed', () => {
  it('keeps a violation in one file from tainting another', () => {
    const ops = [
      create('f1', 'a', 0, 10), create('f2', 'p', 0, 10), write('f1', 'b', 20, 30), write('f2', 'q', 20, 30),
      read('f1', 'a', 40, 50), read('f2', 'q', 40, 50),
    ];
    const result = checkLinearizability(ops);
    expect(result.ok).toBe(false);
    expect(result.files.f1.verdict).toBe('not-linearizable');
    expect(result.files.f2).toMatchObject({ verdict: 'linearizable', ops: 3 });
    expect(result.files.f2.counterexample).toBeUndefined();
  });

  it('says unknown, with the steps used, when the step bound is hit; never a false verdict', () => {
    // Sixteen concurrent writes and a read of a value none wrote: refuting it means trying every order.
    const ops = [create('f', 'z', 0, 1)];
    for (let index = 0; index < 16; index++) ops.push(write('f', `v${index}`, 10 + index, 100));
    ops.push(read('f', 'never', 200, 210));
    const bounded = checkLinearizability(ops, { maxSteps: 1000 });
    expect(bounded).toMatchObject({ ok: true, unknown: ['f'] });
    expect(bounded.files.f).toMatchObject({ verdict: 'unknown', steps: 1000, ops: 18 });
    expect(checkLinearizability(ops).files.f.verdict).toBe('unknown');
    // The same shape, smaller, fits in the bound and is refuted.
    const small = [ops[0], ...ops.slice(1, 9), ops[ops.length - 1]];
    const refuted = checkLinearizability(small);
    expect(refuted.files.f.verdict).toBe('not-linearizable');
    expect(refuted.files.f.steps).toBeLessThan(DEFAULT_MAX_STEPS);
  });

  it('checks a few hundred concurrent ops per file quickly, and is deterministic', () => {
    const ops = concurrentHistory(400, 3, 42);
    const started = performance.now();
    const result = checkLinearizability(ops);
    const elapsedMs = performance.now() - started;
    expect(result.files.f).toMatchObject({ verdict: 'linearizable', ops: 400 });
    expect(checkLinearizability(ops).files.f.steps).toBe(result.files.f.steps);
    // About 850 steps and 5-15 ms here: the bound is for slow CI machines.
    expect(elapsedMs).toBeLessThan(2000);

    // One read made stale somewhere in the middle: found (about 2000 steps), not given up on.
    const refuted = checkLinearizability(staleOne(ops)).files.f;
    expect(refuted.verdict).toBe('not-linearizable');
    expect(refuted.counterexample).toContain('which no permissible order gives');
  });

  it('formats virtual times in seconds', () => {
    expect(formatUs(12_345_000)).toBe('12.345 s');
    expect(formatUs(12_345_678)).toBe('12.345678 s');
  });
});

describe('linearizability of a real lab', () => {
  it('finds every file of a short ha-pair run linearizable', async () => {
    const loaded = await loadLabSources();
    if (!loaded.ok) throw new Error(loaded.error);
    const opened = await openLab(loaded.sources, 'ha-pair', { seed: 1, placement: 'single' });
    if (!opened.ok) throw new Error(opened.errors.join('\n'));
    const lab = opened.lab;
    try {
      const histories = await collectHistories(lab, 20);
      expect(Object.keys(histories).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
      const ops = linOpsFromClients(histories);
      const started = performance.now();
      const result = checkLinearizability(ops);
      const elapsedMs = performance.now() - started;
      const files = Object.values(result.files);
      // About 1100 ops in 115 partitions (rename chains), one step an op, 10 ms here.
      expect(elapsedMs).toBeLessThan(2000);
      expect(ops.length).toBeGreaterThan(800);
      expect(files.length).toBeGreaterThan(20);
      for (const [name, file] of Object.entries(result.files)) expect({ name, verdict: file.verdict }).toEqual({ name, verdict: 'linearizable' });
      expect(result).toMatchObject({ ok: true, unknown: [] });
    } finally {
      await lab.dispose();
    }
  });
});

// ---- helpers ----

type OpenLab = Extract<Awaited<ReturnType<typeof openLab>>, { ok: true }>['lab'];

/**
 * A client keeps only its last ops (client-state.ts RECENT_OPS_KEPT): run the lab a second at a time
 * and gather each client's ops from the lab's snapshot, the latest copy of each op winning (an op is
 * completed in place). Op ids run 1, 2, … per client: a gap would mean a slice outran the log.
 */
async function collectHistories(lab: OpenLab, seconds: number): Promise<Record<string, HistoryOp[]>> {
  const byClient = new Map<string, Map<number, HistoryOp>>();
  for (let second = 0; second < seconds; second++) {
    await lab.runFor(MICROS_PER_SECOND);
    for (const actor of (await lab.snapshot()).actors) {
      const recent = (actor.state as { recent?: { ops: HistoryOp[] } } | null)?.recent;
      if (!recent) continue;
      const ops = byClient.get(actor.id) ?? new Map<number, HistoryOp>();
      byClient.set(actor.id, ops);
      for (const op of recent.ops) ops.set(op.id, op);
    }
  }
  const histories: Record<string, HistoryOp[]> = {};
  for (const [client, ops] of byClient) {
    const sorted = [...ops.values()].sort((a, b) => a.id - b.id);
    expect(sorted.map((op) => op.id)).toEqual(sorted.map((_, index) => index + 1));
    histories[client] = sorted;
  }
  return histories;
}

/** A seeded xorshift: the same history every run. */
function prng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/**
 * `count` ops on one file by `clients` clients, each one op at a time with overlapping latencies:
 * every op takes effect at a random point inside its interval, and reads return what the file held
 * there, so the history is linearizable by construction.
 */
function concurrentHistory(count: number, clients: number, seed: number): LinOp[] {
  const random = prng(seed);
  const clock = Array.from({ length: clients }, (_, client) => client * 3);
  const planned: { op: LinOp; atUs: number }[] = [];
  for (let index = 0; index < count; index++) {
    const client = index % clients;
    const invokeUs = clock[client] + 1 + Math.floor(random() * 5);
    const completeUs = invokeUs + 2 + Math.floor(random() * 30);
    clock[client] = completeUs;
    const atUs = invokeUs + 1 + Math.floor(random() * (completeUs - invokeUs - 1));
    const kind = index === 0 ? 'create' : random() < 0.5 ? 'write' : 'read';
    planned.push({ op: { id: `c${client}#${index}`, kind, path: 'f', invokeUs, completeUs, value: kind === 'read' ? '' : `v${index}` }, atUs });
  }
  let value = ABSENT;
  for (const entry of [...planned].sort((a, b) => a.atUs - b.atUs)) {
    if (entry.op.kind === 'read') entry.op = { ...entry.op, value };
    else value = entry.op.value ?? ABSENT;
  }
  return planned.map((entry) => entry.op);
}

/**
 * The same history with one read, about half way, returning the value of a write that a later write,
 * invoked after it completed, had certainly replaced before the read began.
 */
function staleOne(ops: LinOp[]): LinOp[] {
  const index = ops.findIndex((op, at) => at > ops.length / 2 && op.kind === 'read');
  const before = ops.filter((op) => op.kind !== 'read' && (op.completeUs ?? Infinity) < ops[index].invokeUs);
  const latest = before.reduce((a, b) => ((a.completeUs ?? 0) >= (b.completeUs ?? 0) ? a : b));
  const replaced = before.filter((op) => (op.completeUs ?? Infinity) < latest.invokeUs);
  const stale = replaced[replaced.length - 1];
  return ops.map((op, at) => (at === index ? { ...op, value: stale.value } : op));
}
