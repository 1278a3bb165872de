// Making aggregates and RAID groups on spare disks: the boot's creation of a configured aggregate on
// blank disks and the operator's `aggr create` / `aggr add` share it. A new group takes the next VBNs of
// the aggregate's block space (raid-layout.ts), so the groups already there keep every block where it is;
// groupsFromLabels puts them back where their labels say after a reboot or at a takeover.
import { issue, openBatch, type StorageEnv } from './io.ts';
import { dataWidth, LABEL_BLOCKS } from './raid-layout.ts';
import type { AggregateState, DiskId, RaidGroupState, StorageState } from './types.ts';
import { groupBases, labelExtras } from './aggregate-label.ts';
import { encodeLabel, type RaidLabel } from './wafl-format.ts';

export function newAggregate(name: string, groups: RaidGroupState[], stripes: number, root: boolean, partnerOf?: string): AggregateState {
  return {
    name, status: 'mounting', raidGroups: groups, stripes, generation: 0, cpSeq: 0, used: {}, usedCount: 0,
    pendingFree: [], stripeCursor: 0, root, scrub: null, ...(partnerOf === undefined ? {} : { partnerOf }),
  };
}

/** Groups over the member lists, numbered from `firstIndex`, their VBNs from `firstVbn` on. */
export function buildGroups(memberLists: readonly DiskId[][], stripes: number, firstIndex = 0, firstVbn = 0): RaidGroupState[] {
  let base = firstVbn;
  return memberLists.map((members, offset) => {
    const group: RaidGroupState = { index: firstIndex + offset, members, failed: [], reconstruction: null, baseVbn: base, labelGeneration: 1 };
    base += dataWidth(group) * stripes;
    return group;
  });
}

/** Groups as their labels place them (aggregate-label.ts groupBases), with the runs `aggr add` grew. */
export function groupsFromLabels(labels: readonly RaidLabel[], stripes: number): RaidGroupState[] {
  const bases = groupBases(labels, stripes);
  return labels.map((label, index) => {
    const extents = label.layout?.extents ?? [];
    return {
      index, members: [...label.members], failed: [], reconstruction: null, baseVbn: bases[index], labelGeneration: label.generation,
      ...(extents.length > 0 ? { extents: extents.map((extent) => ({ ...extent })) } : {}),
    };
  });
}

/** Splits disks into RAID groups of at most `size` (data disks first, parity last); null if a group would have under 2. */
export function splitIntoGroups(disks: readonly DiskId[], size: number): DiskId[][] | null {
  const lists: DiskId[][] = [];
  for (let start = 0; start < disks.length; start += Math.max(2, size)) lists.push(disks.slice(start, start + Math.max(2, size)));
  return lists.length === 0 || lists[lists.length - 1].length < 2 ? null : lists;
}

/** Marks the groups' members data or parity and writes their RAID labels (generation 1). */
export function labelNewGroups(state: StorageState, env: StorageEnv, aggregate: AggregateState, groups: readonly RaidGroupState[]): void {
  const batch = openBatch(state, { kind: 'reserve' });
  for (const group of groups) {
    group.members.forEach((disk, position) => {
      const record = state.disks[disk];
      record.role = position === group.members.length - 1 ? 'parity' : 'data';
      record.aggregate = aggregate.name;
      record.raidGroup = group.index;
      record.zeroed = false;
      const label = {
        aggregate: aggregate.name, group: group.index, position, members: group.members, stripes: aggregate.stripes, generation: 1,
        root: aggregate.root, zeroed: false, ...labelExtras(aggregate, group),
      };
      issue(state, env, batch, disk, { op: 'write', lba: 0, blocks: 1, data: encodeLabel(label) });
    });
  }
  if (batch.outstanding === 0) delete state.io.batches[batch.id];
}

/** Creates an online, empty aggregate on these disks, or null when they make no valid RAID group. */
export function formatAggregate(
  state: StorageState, env: StorageEnv, name: string, disks: readonly DiskId[], raidGroupSize: number, root: boolean,
  options?: Record<string, string>,
): AggregateState | null {
  const lists = splitIntoGroups(disks, raidGroupSize);
  if (!lists) return null;
  const stripes = Math.min(...lists.flat().map((disk) => state.disks[disk].blocks)) - LABEL_BLOCKS;
  const aggregate = newAggregate(name, buildGroups(lists, stripes), stripes, root);
  aggregate.status = 'online';
  if (options) aggregate.options = options;
  state.aggregates[name] = aggregate;
  labelNewGroups(state, env, aggregate, aggregate.raidGroups);
  return aggregate;
}
