// The linearizability check every run carries (lin-record.ts): partitions checked when the workload
// is done with their names, open ones at summary time, a non-linearizable file reported with its
// virtual time and a detail line, and the step bound reported as undecided, never as a violation.
import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../../../emulator/clients/history.ts';
import { createLinRecord, linRecordOp, PARTITION_OPS_MAX, summarizeLin } from '../../../emulator/clients/lin-record.ts';

const MS = 1000;
let nextId = 1;
function op(kind: HistoryOp['kind'], path: string, invokeMs: number, completeMs: number, outcome: HistoryOp['outcome'], extra: Partial<HistoryOp> = {}): HistoryOp {
  return { id: nextId++, kind, path, invokeUs: invokeMs * MS, completeUs: completeMs * MS, outcome, ...extra };
}

describe('the per-run linearizability record', () => {
  it('checks and drops a partition once its names are no longer live', () => {
    const state = createLinRecord();
    linRecordOp(state, 'c1', op('create', 'c1/f1', 0, 5, 'ok', { writtenHash: 'a' }), ['c1/f1'], 5 * MS);
    linRecordOp(state, 'c1', op('read', 'c1/f1', 10, 15, 'ok', { readHash: 'a' }), ['c1/f1'], 15 * MS);
    expect(Object.keys(state.open)).toEqual(['c1/f1']);
    linRecordOp(state, 'c1', op('rename', 'c1/f1', 20, 25, 'ok', { target: 'c1/f2' }), ['c1/f2'], 25 * MS);
    linRecordOp(state, 'c1', op('remove', 'c1/f2', 30, 35, 'ok'), [], 35 * MS);
    expect(state.open).toEqual({});
    expect(state.partitionOf).toEqual({});
    expect(state.checked).toMatchObject({ partitions: 1, ops: 4, violations: 0, undecided: 0 });
  });

  it('reports a lost write as not linearizable, at the time of the read that could not be placed', () => {
    const state = createLinRecord();
    linRecordOp(state, 'c1', op('create', 'c1/f1', 0, 5, 'ok', { writtenHash: 'a' }), ['c1/f1'], 5 * MS);
    linRecordOp(state, 'c1', op('write', 'c1/f1', 10, 15, 'ok', { writtenHash: 'b' }), ['c1/f1'], 15 * MS);
    linRecordOp(state, 'c1', op('read', 'c1/f1', 20, 25, 'ok', { readHash: 'a' }), ['c1/f1'], 25 * MS);
    // Still open: checked by the summary, which leaves the record as it is.
    const summary = summarizeLin(state, 30 * MS);
    expect(summary.checked).toMatchObject({ partitions: 1, violations: 1 });
    expect(summary.violations).toHaveLength(1);
    expect(summary.violations[0].atUs).toBe(25 * MS);
    expect(summary.violations[0].detail).toMatch(/^c1\/f1: the read c1#\d+ of c1\/f1 .* returned a/);
    expect(state.checked.partitions).toBe(0);
    // Closed by its remove: the same verdict, now in the record.
    linRecordOp(state, 'c1', op('remove', 'c1/f1', 40, 45, 'ok'), [], 45 * MS);
    expect(state.violations).toHaveLength(1);
    expect(state.violations[0].atUs).toBe(25 * MS);
    expect(state.checked).toMatchObject({ partitions: 1, ops: 4, violations: 1 });
  });

  it('lets a maybe write that stopped part way have left any of its prefixes', () => {
    const state = createLinRecord();
    linRecordOp(state, 'c1', op('create', 'c1/f1', 0, 5, 'ok', { writtenHash: 'a' }), ['c1/f1'], 5 * MS);
    linRecordOp(state, 'c1', op('write', 'c1/f1', 10, 15, 'maybe', { writtenHash: 'b', partialHashes: ['b-half'] }), ['c1/f1'], 15 * MS);
    linRecordOp(state, 'c1', op('read', 'c1/f1', 20, 25, 'ok', { readHash: 'b-half' }), ['c1/f1'], 25 * MS);
    expect(summarizeLin(state, 30 * MS).checked).toMatchObject({ violations: 0, partitions: 1 });
  });

  it('closes a partition early at its op bound and counts the ops it no longer records', () => {
    const state = createLinRecord();
    linRecordOp(state, 'c1', op('create', 'c1/f1', 0, 1, 'ok', { writtenHash: 'v0' }), ['c1/f1'], MS);
    for (let index = 1; index < PARTITION_OPS_MAX + 10; index++) {
      linRecordOp(state, 'c1', op('write', 'c1/f1', 2 * index, 2 * index + 1, 'ok', { writtenHash: `v${index}` }), ['c1/f1'], (2 * index + 1) * MS);
    }
    expect(state.checked).toMatchObject({ partitions: 1, ops: PARTITION_OPS_MAX, opsUnrecorded: 10, violations: 0 });
    expect(state.full['c1/f1']).toBe(true);
  });
});
