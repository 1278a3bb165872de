// `aggr status -v`: each aggregate's row with its whole option list, the volumes it holds, then its plex
// and RAID groups, as 7-Mode prints it. The options are the aggregate's real settings where the lab has
// them (root, raidtype, raidsize) and the product's defaults for the ones the lab does not model.
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { AggregateState } from '../storage/types.ts';
import { aggrStatusLines, groupStatus, plexStatus, sortedAggregates } from './storage-raid-status.ts';
import type { StorageView } from './storage-view.ts';

const OPTION_COLUMN = 50;
/** The product folds the option list at about 95 columns. */
const OPTION_WIDTH = 45;

/** Options comma separated and folded at `width` columns (the Options column, or a whole line). */
export function foldOptions(options: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let current = '';
  options.forEach((option, index) => {
    const word = index < options.length - 1 ? `${option},` : option;
    if (current && current.length + 1 + word.length > width) { lines.push(current); current = word; } else current = current ? `${current} ${word}` : word;
  });
  if (current) lines.push(current);
  return lines;
}

/** The product's defaults of the aggregate options the lab does not model, in the product's order. */
export const AGGREGATE_OPTION_DEFAULTS: Readonly<Record<string, string>> = {
  nosnap: 'off', raidtype: 'raid4', raidsize: '', ignore_inconsistent: 'off', snapmirrored: 'off', resyncsnaptime: '60',
  fs_size_fixed: 'off', snapshot_autodelete: 'on', lost_write_protect: 'on', ha_policy: 'cfo',
};

/** The aggregate's options as `aggr options <aggr>` and `aggr status -v` list them, the operator's settings applied. */
export function aggregateOptionList(aggregate: AggregateState, filer: FilerState): string[] {
  const raidsize = aggregate.options?.raidsize ?? filer.config.aggregates.find((config) => config.name === aggregate.name)?.raidGroupSize
    ?? Math.max(0, ...aggregate.raidGroups.map((group) => group.members.length));
  const values = { ...AGGREGATE_OPTION_DEFAULTS, ...aggregate.options, raidsize: String(raidsize) };
  return [...(aggregate.root ? ['root', 'diskroot'] : []), ...Object.entries(values).map(([name, value]) => `${name}=${value}`)];
}

export function aggrVerboseLines(view: StorageView, filer: FilerState, only?: AggregateState): string[] {
  const lines = [aggrStatusLines(view)[0]];
  for (const aggregate of only ? [only] : sortedAggregates(view)) {
    const [row, ...statusLines] = aggrStatusLines(view, aggregate).slice(1);
    const folded = foldOptions(aggregateOptionList(aggregate, filer), OPTION_WIDTH);
    const base = row.replace(/\s+root$/, '').padEnd(OPTION_COLUMN);
    lines.push(base + folded[0]);
    folded.slice(1).forEach((text, index) => lines.push((statusLines[index] ?? '').padEnd(OPTION_COLUMN) + text));
    lines.push(...statusLines.slice(folded.length - 1));
    const volumes = Object.values(view.state.volumes).filter((volume) => volume.aggregate === aggregate.name).map((volume) => volume.name).sort();
    lines.push('', `                Volumes: ${volumes.length > 0 ? volumes.join(', ') : '<none>'}`, '');
    lines.push(`                Plex /${aggregate.name}/plex0: ${plexStatus(aggregate)}`);
    for (const group of aggregate.raidGroups) lines.push(`                    RAID group /${aggregate.name}/plex0/rg${group.index}: ${groupStatus(aggregate, group)}`);
    lines.push('');
  }
  return lines;
}
