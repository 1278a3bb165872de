// `aggr add`: where the added disks go. As on the product, they fill the aggregate's last RAID group up
// to its raidsize before a new group starts (or go where `-g` says: `new`, `all`, or `rgN`). A disk
// that joins an existing group takes the data position before parity and brings VBNs of its own at the
// aggregate's end (raid-layout.ts vbnRuns), so no written block moves; its blocks in the group's stripes
// in use are written with zeros, so that parity, the XOR of the data, stays right without a recompute.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { dataWidth, diskLba, totalVbns } from './raid-layout.ts';
import { stripesInUse, writeGroupLabels } from './raid-ops.ts';
import type { AggregateState, DiskId, RaidGroupState, StorageState } from './types.ts';

/** `-g`: the default (fill the last group), `new`, `all`, or a group's index. */
export type AddTarget = 'last' | 'new' | 'all' | number;

export interface AdditionPlan {
  /** Disks that join existing groups: how many go into which. */
  readonly into: readonly { readonly group: number; readonly count: number }[];
  /** Sizes of the new groups to make with the rest. */
  readonly newGroups: readonly number[];
}

export type AdditionError = 'too-few-disks' | 'group-full' | 'no-such-group';

/** Splits `count` disks over the groups (their sizes now) and new groups of at most `raidSize` (pure). */
export function planAddition(sizes: readonly number[], raidSize: number, count: number, target: AddTarget): AdditionPlan | AdditionError {
  const into: { group: number; count: number }[] = [];
  let left = count;
  const fill = (group: number): void => {
    const room = Math.max(0, raidSize - sizes[group]);
    const taken = Math.min(room, left);
    if (taken > 0) into.push({ group, count: taken });
    left -= taken;
  };
  if (typeof target === 'number') {
    if (target < 0 || target >= sizes.length) return 'no-such-group';
    fill(target);
    return left > 0 ? 'group-full' : { into, newGroups: [] };
  }
  if (target === 'last' && sizes.length > 0) fill(sizes.length - 1);
  if (target === 'all') sizes.forEach((_size, group) => fill(group));
  const newGroups: number[] = [];
  while (left > 0) {
    const size = Math.min(raidSize, left);
    newGroups.push(size);
    left -= size;
  }
  if (newGroups.some((size) => size < 2)) return 'too-few-disks';
  return { into, newGroups };
}

/** Whether a group can take disks now: every member present and nothing being rebuilt or copied. */
export function groupCanGrow(group: RaidGroupState): boolean {
  return group.failed.length === 0 && group.reconstruction === null;
}

/** Puts the disks into the group as data disks before its parity disk, and writes every member's label. */
export function growGroup(state: StorageState, env: StorageEnv, aggregate: AggregateState, group: RaidGroupState, disks: readonly DiskId[]): void {
  if (!groupCanGrow(group)) throw new Error(`rg${group.index} of ${aggregate.name} cannot grow while degraded`);
  const firstPosition = dataWidth(group);
  const baseVbn = totalVbns(aggregate);
  const zeros = openBatch(state, { kind: 'reserve' });
  for (const stripe of stripesInUse(aggregate, group)) {
    for (const disk of disks) issue(state, env, zeros, disk, { op: 'write', lba: diskLba(stripe), blocks: 1, data: new Uint8Array(BLOCK_BYTES) });
  }
  if (zeros.outstanding === 0) delete state.io.batches[zeros.id];
  const parity = group.members[group.members.length - 1];
  group.members = [...group.members.slice(0, -1), ...disks, parity];
  group.extents = [...(group.extents ?? []), { firstPosition, baseVbn }];
  for (const disk of disks) {
    const record = state.disks[disk];
    record.role = 'data';
    record.aggregate = aggregate.name;
    record.raidGroup = group.index;
    record.zeroed = false;
  }
}

/** After the groups grew: every group's labels again (the layout they carry changed for all). */
export function relabelAggregate(state: StorageState, env: StorageEnv, aggregate: AggregateState): void {
  for (const group of aggregate.raidGroups) writeGroupLabels(state, env, aggregate, group);
}
