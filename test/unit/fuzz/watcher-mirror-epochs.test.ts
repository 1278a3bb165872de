// The watcher's invariants 6 and 10 on hand-made summary samples: what each reports and when it holds.
import { describe, expect, it } from 'vitest';
import { LabWatcher } from '../../../emulator/host/fuzz/invariants.ts';
import { summarySkeleton, type RunSummary } from '../../../emulator/engine/summary.ts';

const S = 1_000_000;
const PAIR = new Map([['filerA', 'filerB'], ['filerB', 'filerA']]);

function storage(acked: number, through: number | null, epoch = 1): Record<string, unknown> {
  return { storage: { status: 'online', nvram: 'mirrored', mirrorAckedSeq: acked, partnerLogThrough: through, mirrorResyncsAsked: 0, epoch }, ha: { epoch } };
}

function summary(filerA: Record<string, unknown>, filerB: Record<string, unknown>): RunSummary {
  return { ...summarySkeleton(), filers: { filerA, filerB } };
}

describe('invariant 6: acks never outrun what the partner holds', () => {
  it("holds while each ack is within the partner's unbroken run", () => {
    const watcher = new LabWatcher({ partners: PAIR });
    watcher.sample(summary(storage(40, 12), storage(12, 40)), 1 * S);
    watcher.sample(summary(storage(90, 30), storage(30, 95)), 2 * S);
    expect(watcher.failures).toEqual([]);
  });

  it("fails an ack beyond the partner's run", () => {
    const watcher = new LabWatcher({ partners: PAIR });
    watcher.sample(summary(storage(90, 30), storage(30, 70)), 1 * S);
    expect(watcher.failures.map((failure) => failure.detail)).toEqual(["filerB acknowledged filerA's NVRAM entries through 90 but holds them only through 70 (invariant 6)"]);
  });

  it('fails acks that grow while the partner holds no run of the log yet', () => {
    const watcher = new LabWatcher({ partners: PAIR });
    watcher.sample(summary(storage(5, 0), storage(0, null)), 1 * S);
    watcher.sample(summary(storage(5, 0), storage(0, null)), 2 * S);
    expect(watcher.failures).toEqual([]);
    watcher.sample(summary(storage(9, 0), storage(0, null)), 3 * S);
    expect(watcher.failures.map((failure) => failure.detail)).toEqual(["filerB acknowledged filerA's NVRAM entries through 9 before holding any of its log (invariant 6)"]);
  });
});

describe('invariant 10: epochs only increase', () => {
  it('fails an epoch that goes back', () => {
    const watcher = new LabWatcher({ partners: PAIR });
    watcher.sample(summary(storage(0, 0, 3), storage(0, 0, 1)), 1 * S);
    watcher.sample(summary(storage(0, 0, 4), storage(0, 0, 1)), 2 * S);
    expect(watcher.failures).toEqual([]);
    watcher.sample(summary(storage(0, 0, 2), storage(0, 0, 1)), 3 * S);
    expect(watcher.failures.map((failure) => failure.detail)).toEqual([
      "filerA's ha epoch went back from 4 to 2 (invariant 10)", "filerA's storage epoch went back from 4 to 2 (invariant 10)",
    ]);
  });
});
