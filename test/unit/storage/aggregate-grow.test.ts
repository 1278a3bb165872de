// Where `aggr add` puts disks (planAddition) and how a grown group's VBNs lie (raid-layout.ts vbnRuns):
// every VBN maps to one stripe position and back, and the blocks there before the growth do not move.
import { describe, it, expect } from 'vitest';
import { planAddition } from '../../../emulator/ontap/storage/aggregate-grow.ts';
import { locateVbn, totalVbns, vbnAt } from '../../../emulator/ontap/storage/raid-layout.ts';
import type { AggregateState, RaidGroupState } from '../../../emulator/ontap/storage/types.ts';

describe('planAddition', () => {
  it('fills the last group up to raidsize, then makes new groups', () => {
    expect(planAddition([3, 3], 5, 4, 'last')).toEqual({ into: [{ group: 1, count: 2 }], newGroups: [2] });
    expect(planAddition([3, 3], 5, 9, 'last')).toEqual({ into: [{ group: 1, count: 2 }], newGroups: [5, 2] });
    expect(planAddition([3, 3], 5, 4, 'all')).toEqual({ into: [{ group: 0, count: 2 }, { group: 1, count: 2 }], newGroups: [] });
    expect(planAddition([3, 3], 5, 2, 'new')).toEqual({ into: [], newGroups: [2] });
    expect(planAddition([3, 3], 5, 2, 0)).toEqual({ into: [{ group: 0, count: 2 }], newGroups: [] });
  });

  it('refuses a group of one disk, a full group and a group that does not exist', () => {
    expect(planAddition([3], 5, 3, 'last')).toBe('too-few-disks');
    expect(planAddition([5], 5, 1, 'last')).toBe('too-few-disks');
    expect(planAddition([4], 5, 2, 0)).toBe('group-full');
    expect(planAddition([4], 5, 1, 3)).toBe('no-such-group');
  });
});

describe('a grown group\'s VBNs', () => {
  const stripes = 10;
  const group0: RaidGroupState = { index: 0, members: ['a', 'b', 'c', 'p0'], failed: [], reconstruction: null, baseVbn: 0, labelGeneration: 1 };
  const group1: RaidGroupState = { index: 1, members: ['d', 'p1'], failed: [], reconstruction: null, baseVbn: 3 * stripes, labelGeneration: 1 };
  const aggregate = { raidGroups: [group0, group1], stripes } as unknown as AggregateState;

  it('keeps the blocks written before and gives the added disks VBNs at the end', () => {
    const before = [0, 1, 2, 3].map((stripe) => [0, 1, 2].map((position) => vbnAt(group0, stripe, position)));
    const end = totalVbns(aggregate);
    group0.members = ['a', 'b', 'c', 'e', 'f', 'p0'];
    group0.extents = [{ firstPosition: 3, baseVbn: end }];
    expect([0, 1, 2, 3].map((stripe) => [0, 1, 2].map((position) => vbnAt(group0, stripe, position)))).toEqual(before);
    expect(vbnAt(group0, 0, 3)).toBe(end);
    expect(vbnAt(group0, 1, 4)).toBe(end + 3);
    expect(totalVbns(aggregate)).toBe(end + 2 * stripes);
    const seen = new Set<number>();
    for (let vbn = 0; vbn < totalVbns(aggregate); vbn++) {
      const location = locateVbn(aggregate, vbn);
      expect(location).not.toBeNull();
      const group = aggregate.raidGroups[location!.group];
      expect(vbnAt(group, location!.stripe, location!.position)).toBe(vbn);
      seen.add(location!.group * 1000 + location!.stripe * 10 + location!.position);
    }
    expect(seen.size).toBe(totalVbns(aggregate));
    expect(locateVbn(aggregate, totalVbns(aggregate))).toBeNull();
  });
});
