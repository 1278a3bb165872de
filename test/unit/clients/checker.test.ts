import { describe, it, expect } from 'vitest';
import { checkHistory, checkerComplete, checkerInvoke, checkerResult, createChecker } from '../../../emulator/clients/checker.ts';
import { ABSENT, type HistoryOp, type OpKind, type Outcome } from '../../../emulator/clients/history.ts';

let nextId = 1;
function op(kind: OpKind, path: string, invokeUs: number, completeUs: number, outcome: Outcome,
  values: { written?: string; read?: string; target?: string } = {}): HistoryOp {
  return {
    id: nextId++, kind, path, invokeUs, completeUs, outcome,
    ...(values.written !== undefined ? { writtenHash: values.written } : {}),
    ...(values.read !== undefined ? { readHash: values.read } : {}),
    ...(values.target !== undefined ? { target: values.target } : {}),
  };
}

describe('checker', () => {
  it('passes a clean history of creates, writes, reads, renames and removes', () => {
    const result = checkHistory([
      op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
      op('read', 'f1', 20, 30, 'ok', { read: 'h0' }),
      op('write', 'f1', 40, 50, 'ok', { written: 'h1' }),
      op('read', 'f1', 60, 70, 'ok', { read: 'h1' }),
      op('rename', 'f1', 80, 90, 'ok', { target: 'f2' }),
      op('read', 'f1', 100, 110, 'ok', { read: ABSENT }),
      op('read', 'f2', 120, 130, 'ok', { read: 'h1' }),
      op('remove', 'f2', 140, 150, 'ok'),
      op('read', 'f2', 160, 170, 'ok', { read: ABSENT }),
    ]);
    expect(result).toEqual({ lostWrites: 0, staleReads: 0, findings: [], violations: [] });
  });

  it('detects a lost write: an acknowledged write never read back', () => {
    const result = checkHistory([
      op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
      op('write', 'f1', 20, 30, 'ok', { written: 'h1' }),
      op('read', 'f1', 40, 50, 'ok', { read: 'h0' }),
      op('read', 'f1', 60, 70, 'ok', { read: 'h0' }),
    ]);
    expect(result.lostWrites).toBe(1);
    expect(result.staleReads).toBe(1);
    expect(result.findings.map((finding) => finding.kind)).toEqual(['bad-read', 'bad-read']);
    // The first bad read is followed by another of its era: stale; the era still ends on the second.
    expect(result.violations.map((violation) => [violation.kind, violation.path, violation.atUs])).toEqual([['stale-read', 'f1', 50], ['lost-write', 'f1', 70]]);
    expect(result.violations[1].detail).toMatch(/^f1: acknowledged op \d+ never read back: op \d+ read h0, expected one of h1$/);
  });

  it('detects a stale read: old data read once, the new data read later', () => {
    const result = checkHistory([
      op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
      op('write', 'f1', 20, 30, 'ok', { written: 'h1' }),
      op('read', 'f1', 40, 50, 'ok', { read: 'h0' }),
      op('read', 'f1', 60, 70, 'ok', { read: 'h1' }),
    ]);
    expect(result).toMatchObject({ lostWrites: 0, staleReads: 1 });
    expect(result.violations.map((violation) => [violation.kind, violation.atUs])).toEqual([['stale-read', 50]]);
  });

  it('counts a lost write once its era is closed by a later acknowledged write', () => {
    const result = checkHistory([
      op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
      op('write', 'f1', 20, 30, 'ok', { written: 'h1' }),
      op('read', 'f1', 40, 50, 'ok', { read: 'h0' }),
      op('write', 'f1', 60, 70, 'ok', { written: 'h2' }),
      op('read', 'f1', 80, 90, 'ok', { read: 'h2' }),
    ]);
    expect(result).toMatchObject({ lostWrites: 1, staleReads: 0 });
    expect(result.findings.at(-1)).toMatchObject({ kind: 'lost-write', path: 'f1' });
  });

  it('detects a file that vanished after an acknowledged create', () => {
    const result = checkHistory([
      op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
      op('read', 'f1', 20, 30, 'ok', { read: ABSENT }),
    ]);
    expect(result.lostWrites).toBe(1);
  });

  it('lets a maybe write show up or not, but not after the next acknowledged write', () => {
    const either = (read: string) => checkHistory([
      op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
      op('write', 'f1', 20, 30, 'maybe', { written: 'h1' }),
      op('read', 'f1', 40, 50, 'ok', { read }),
    ]);
    expect(either('h0').lostWrites + either('h0').staleReads).toBe(0);
    expect(either('h1').lostWrites + either('h1').staleReads).toBe(0);
    expect(either('h9').lostWrites).toBe(1);
    const late = checkHistory([
      op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
      op('write', 'f1', 20, 30, 'maybe', { written: 'h1' }),
      op('write', 'f1', 40, 50, 'ok', { written: 'h2' }),
      op('read', 'f1', 60, 70, 'ok', { read: 'h1' }),
    ]);
    expect(late.lostWrites).toBe(1);
  });

  it('ignores a failed write: it certainly did not happen', () => {
    const result = checkHistory([
      op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
      op('write', 'f1', 20, 30, 'fail', { written: 'h1' }),
      op('read', 'f1', 40, 50, 'ok', { read: 'h1' }),
    ]);
    expect(result.lostWrites).toBe(1);
  });

  it('accepts a read concurrent with a write returning either value', () => {
    for (const read of ['h0', 'h1']) {
      const result = checkHistory([
        op('create', 'f1', 0, 10, 'ok', { written: 'h0' }),
        op('write', 'f1', 20, 50, 'ok', { written: 'h1' }),
        op('read', 'f1', 30, 40, 'ok', { read }),
      ]);
      expect(result).toMatchObject({ lostWrites: 0, staleReads: 0 });
    }
  });

  it('keeps its state small over a long history (compaction per file)', () => {
    const state = createChecker();
    let time = 0;
    for (let index = 0; index < 10_000; index += 1) {
      const write: HistoryOp = { id: nextId++, kind: 'write', path: 'f1', invokeUs: time, writtenHash: `h${index}` };
      checkerInvoke(state, write);
      checkerComplete(state, { ...write, completeUs: time + 5, outcome: 'ok' });
      const read: HistoryOp = { id: nextId++, kind: 'read', path: 'f1', invokeUs: time + 10 };
      checkerInvoke(state, read);
      checkerComplete(state, { ...read, completeUs: time + 15, outcome: 'ok', readHash: `h${index}` });
      time += 20;
    }
    expect(state.files.f1.mutations.length).toBeLessThanOrEqual(2);
    expect(checkerResult(state)).toMatchObject({ lostWrites: 0, staleReads: 0 });
  });
});
