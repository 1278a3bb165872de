// "A lost write, stale or bad read in any run is a violation: the run exits 1." The client's part of the
// run summary carries one `violations` entry per lost write and stale read its checker classified.
import { describe, expect, it } from 'vitest';
import { checkHistory, type CheckResult } from '../../../emulator/clients/checker.ts';
import { clientViolations } from '../../../emulator/clients/client-ops.ts';
import type { HistoryOp } from '../../../emulator/clients/history.ts';
import { deepMerge, summarySkeleton } from '../../../emulator/engine/summary.ts';

const write = (id: number, invokeUs: number, writtenHash: string): HistoryOp =>
  ({ id, kind: 'write', path: 'c1/f1', invokeUs, completeUs: invokeUs + 5, outcome: 'ok', writtenHash });
const read = (id: number, invokeUs: number, readHash: string): HistoryOp =>
  ({ id, kind: 'read', path: 'c1/f1', invokeUs, completeUs: invokeUs + 5, outcome: 'ok', readHash });

describe('client violations', () => {
  it('makes a lost write a violation with its virtual time, kind, client and a one-line detail', () => {
    const verdict = checkHistory([write(1, 0, 'h0'), write(2, 1_000, 'h1'), read(3, 2_000_000, 'h0')]);
    expect(verdict.lostWrites).toBe(1);
    const violations = clientViolations('c1', verdict, 3_000_000);
    expect(violations).toEqual([{
      atMs: 2000.005, kind: 'lost-write', client: 'c1',
      detail: 'c1/f1: acknowledged op 2 never read back: op 3 read h0, expected one of h1',
    }]);
    // Merged into the run summary as the lab merges every actor's fragment: the run now has a violation.
    const summary = summarySkeleton();
    deepMerge(summary, { violations, clients: { c1: { lostWrites: 1 } } });
    deepMerge(summary, { clients: { c2: { lostWrites: 0 } } });
    expect(summary.violations).toEqual(violations);
  });

  it('makes a stale read a violation, and a clean history none', () => {
    const stale = checkHistory([write(1, 0, 'h0'), write(2, 1_000, 'h1'), read(3, 2_000, 'h0'), read(4, 3_000, 'h1')]);
    expect(clientViolations('c1', stale, 4_000)).toMatchObject([{ atMs: 2.005, kind: 'stale-read', client: 'c1' }]);
    const clean = checkHistory([write(1, 0, 'h0'), read(2, 1_000, 'h0')]);
    expect(clientViolations('c1', clean, 2_000)).toEqual([]);
  });

  it('says how many more there were when the checker kept only the first ones', () => {
    const verdict: CheckResult = { lostWrites: 3, staleReads: 1, findings: [], violations: [
      { kind: 'lost-write', path: 'c1/f1', opId: 7, atUs: 1_000, detail: 'c1/f1: lost' },
    ] };
    expect(clientViolations('c1', verdict, 9_000)).toEqual([
      { atMs: 1, kind: 'lost-write', client: 'c1', detail: 'c1/f1: lost' },
      { atMs: 9, kind: 'lost-write', client: 'c1', detail: '2 more lost writes not listed' },
      { atMs: 9, kind: 'stale-read', client: 'c1', detail: '1 more stale reads not listed' },
    ]);
  });
});
