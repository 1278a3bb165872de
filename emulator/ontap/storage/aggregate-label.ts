// What an aggregate's RAID labels carry beyond a group's membership: where the group's VBNs lie once an
// `aggr add` grew a group (the groups then no longer follow each other in order), and the operator's
// `aggr offline` / `aggr options`, which the product keeps with the disks so that a reboot or a takeover
// finds them. Every label writer takes both from here, so no rewrite of a group's labels drops them.
import type { AggregateState, RaidGroupState } from './types.ts';
import type { AggregateSettings, RaidLabel } from './wafl-format.ts';

/** The layout and settings fields of a label of this group (absent when they are the defaults). */
export function labelExtras(aggregate: AggregateState, group: RaidGroupState): Pick<RaidLabel, 'layout' | 'settings'> {
  const grown = aggregate.raidGroups.some((candidate) => (candidate.extents?.length ?? 0) > 0);
  const settings: AggregateSettings = { offline: aggregate.adminOffline === true, options: aggregate.options ?? {} };
  const defaults = !settings.offline && Object.keys(settings.options).length === 0;
  return {
    ...(grown ? { layout: { baseVbn: group.baseVbn, extents: [...(group.extents ?? [])] } } : {}),
    ...(defaults ? {} : { settings }),
  };
}

/**
 * The first VBN of each group, by the labels read: a label's layout when written, else the groups'
 * first runs one after another (an aggregate no `aggr add` grew, or its groups made before one did).
 */
export function groupBases(labels: readonly RaidLabel[], stripes: number): number[] {
  const bases: number[] = [];
  let next = 0;
  for (const label of labels) {
    const base = label.layout?.baseVbn ?? next;
    bases.push(base);
    const width = label.layout?.extents[0]?.firstPosition ?? label.members.length - 1;
    next = Math.max(next, base + width * stripes);
  }
  return bases;
}

/** Applies the settings a label carries to an aggregate being assembled. */
export function applyLabelSettings(aggregate: AggregateState, label: RaidLabel): void {
  if (!label.settings) return;
  if (label.settings.offline) aggregate.adminOffline = true;
  if (Object.keys(label.settings.options).length > 0) aggregate.options = { ...label.settings.options };
}
