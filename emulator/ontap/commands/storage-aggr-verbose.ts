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

/** The aggregate's options, comma separated and folded into the Options column. */
function optionLines(options: readonly string[]): string[] {
  const lines: string[] = [];
  let current = '';
  options.forEach((option, index) => {
    const word = index < options.length - 1 ? `${option},` : option;
    if (current && current.length + 1 + word.length > OPTION_WIDTH) { lines.push(current); current = word; } else current = current ? `${current} ${word}` : word;
  });
  if (current) lines.push(current);
  return lines;
}

export function aggrVerboseLines(view: StorageView, filer: FilerState, only?: AggregateState): string[] {
  const lines = [aggrStatusLines(view)[0]];
  for (const aggregate of only ? [only] : sortedAggregates(view)) {
    const [row, ...statusLines] = aggrStatusLines(view, aggregate).slice(1);
    const raidsize = filer.config.aggregates.find((config) => config.name === aggregate.name)?.raidGroupSize
      ?? Math.max(0, ...aggregate.raidGroups.map((group) => group.members.length));
    const options = [
      ...(aggregate.root ? ['root', 'diskroot'] : []), 'nosnap=off', 'raidtype=raid4', `raidsize=${raidsize}`,
      'ignore_inconsistent=off', 'snapmirrored=off', 'resyncsnaptime=60', 'fs_size_fixed=off',
      'snapshot_autodelete=on', 'lost_write_protect=on', 'ha_policy=cfo',
    ];
    const folded = optionLines(options);
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
