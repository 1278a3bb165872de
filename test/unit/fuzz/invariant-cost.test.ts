// The invariant-cost bench's counting: a sample belongs to the checks when its function, or the nearest
// checking caller above it, lives in a check module; idle and GC samples are left out.
import { describe, expect, it } from 'vitest';
import { costOf } from '../../../emulator/host/bench/invariants.ts';

const node = (id: number, url: string, functionName: string, children: number[] = []) => ({ id, callFrame: { url, functionName }, children });

describe('invariant cost', () => {
  it('counts a check module and what it calls, against every sample but idle and GC', () => {
    const nodes = [
      node(1, '', '(root)', [2, 5, 6]),
      node(2, 'file:///p/emulator/engine/lab.ts', 'runFor', [3]),
      node(3, 'file:///p/emulator/clients/checker.ts', 'checkerComplete', [4]),
      node(4, '', 'JSON.stringify'),
      node(5, '', '(idle)'),
      node(6, 'file:///p/emulator/ontap/storage/cp.ts', 'startCp'),
    ];
    const cost = costOf('ha-pair', 60, nodes, [2, 3, 4, 4, 5, 5, 6, 6]);
    expect(cost.samples).toBe(6);
    expect(cost.byModule['clients/checker.ts']).toBe(3);
    expect(cost.share).toBeCloseTo(0.5);
  });
});
