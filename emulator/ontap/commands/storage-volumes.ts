// `vol status` and `df` as 7-Mode prints them. Flexible volumes keep the default 20% snapshot reserve
// and aggregates 5%; a flexible volume's guarantee (its whole size) is what the aggregate counts used.
import { snapshotOnlyBlocks } from '../storage/snapshot.ts';
import type { AggregateState, VolumeState } from '../storage/types.ts';
import { sortedAggregates } from './storage-raid-status.ts';
import { volumeUsedKb, type StorageView } from './storage-view.ts';

export const VOLUME_SNAP_RESERVE = 0.2;
export const AGGREGATE_SNAP_RESERVE = 0.05;

/** The volume's snapshot reserve as a fraction (`snap reserve`, else the default). */
export function volumeSnapReserve(volume: VolumeState): number {
  return volume.snapReserve === undefined ? VOLUME_SNAP_RESERVE : volume.snapReserve / 100;
}

export const VOL_STATUS_HEADER = '         Volume State           Status            Options';

function sortedVolumes(view: StorageView): VolumeState[] {
  return Object.values(view.state.volumes)
    .sort((a, b) => Number(b.name === view.rootVolume) - Number(a.name === view.rootVolume) || (a.name < b.name ? -1 : 1));
}

function volumeStatuses(view: StorageView, volume: VolumeState): string[] {
  const statuses = ['raid4, flex'];
  const aggregate = view.state.aggregates[volume.aggregate];
  if (aggregate?.status === 'online') {
    // A group being rebuilt is still degraded until its reconstruction completes.
    if (aggregate.raidGroups.some((group) => group.failed.length > 0)) statuses.push('degraded');
    if (aggregate.raidGroups.some((group) => group.reconstruction)) statuses.push('reconstruct');
  }
  if (volume.inconsistent) statuses.push('wafl inconsistent');
  return statuses;
}

/** `vol status [volume]`: one row per volume, further status words on lines of their own. */
export function volStatusLines(view: StorageView, only?: VolumeState): string[] {
  const lines = [VOL_STATUS_HEADER];
  for (const volume of only ? [only] : sortedVolumes(view)) {
    const [first, ...more] = volumeStatuses(view, volume);
    const options = volume.name === view.rootVolume ? 'root' : '';
    lines.push(`${volume.name.padStart(15)} ${volume.status.padEnd(15)} ${first.padEnd(17)} ${options}`.trimEnd());
    for (const extra of more) lines.push(`${''.padStart(32)}${extra}`);
  }
  return lines;
}

/** Units of `df`: kilobytes (default), -m, -g, or -h (the largest unit that keeps two digits). */
export type DfUnit = 'k' | 'm' | 'g' | 'h';

const UNIT_KB: Record<'KB' | 'MB' | 'GB' | 'TB', number> = { TB: 1024 ** 3, GB: 1024 ** 2, MB: 1024, KB: 1 };

export function humanKb(kb: number): string {
  for (const unit of ['TB', 'GB', 'MB'] as const) {
    if (kb / UNIT_KB[unit] >= 10) return `${Math.round(kb / UNIT_KB[unit])}${unit}`;
  }
  return `${Math.round(kb)}KB`;
}

function amount(kb: number, unit: DfUnit): string {
  if (unit === 'h') return humanKb(kb);
  // -m and -g print the unit after each figure, as the product does (`16GB`); -k prints bare kilobytes.
  if (unit === 'm') return `${Math.floor(kb / 1024)}MB`;
  if (unit === 'g') return `${Math.floor(kb / 1024 ** 2)}GB`;
  return String(Math.floor(kb));
}

function sizeHeader(unit: DfUnit): string {
  return unit === 'k' ? 'kbytes' : 'total';
}

interface DfRow { readonly name: string; readonly total: number; readonly used: number; readonly mount: string | null }

function dfRowLines(row: DfRow, unit: DfUnit): string[] {
  const avail = Math.max(0, row.total - row.used);
  const capacity = row.total > 0 ? Math.round((row.used * 100) / row.total) : 0;
  const figures = `${amount(row.total, unit).padStart(10)}${amount(row.used, unit).padStart(11)}${amount(avail, unit).padStart(11)}`
    + `${`${capacity}%`.padStart(9)}${row.mount === null ? '' : `  ${row.mount}`}`;
  // A name too long for its column goes on a line of its own, as df does.
  if (row.name.length >= 20) return [row.name, ''.padEnd(20) + figures];
  return [row.name.padEnd(20) + figures];
}

/** `df [-h|-m|-g] [volume]`: each online volume and its .snapshot reserve. */
export function dfLines(view: StorageView, unit: DfUnit, only?: VolumeState): string[] {
  const lines = [`${'Filesystem'.padEnd(20)}${sizeHeader(unit).padStart(10)}${'used'.padStart(11)}${'avail'.padStart(11)}${'capacity'.padStart(9)}  Mounted on`];
  for (const volume of only ? [only] : sortedVolumes(view)) {
    const path = `/vol/${volume.name}/`;
    if (volume.status !== 'online') { lines.push(`df: ${path}: Volume is ${volume.status}`); continue; }
    const totalKb = volume.sizeBytes / 1024;
    const snapKb = Math.floor(totalKb * volumeSnapReserve(volume));
    // Blocks only snapshots hold; beyond the reserve they spill into the active file system's space.
    const snapUsedKb = snapshotOnlyBlocks(volume) * 4;
    const spillKb = Math.max(0, snapUsedKb - snapKb);
    lines.push(...dfRowLines({ name: path, total: totalKb - snapKb, used: volumeUsedKb(volume) + spillKb, mount: path }, unit));
    lines.push(...dfRowLines({ name: `${path}.snapshot`, total: snapKb, used: snapUsedKb, mount: `${path}.snapshot` }, unit));
  }
  return lines;
}

/** Kilobytes an aggregate holds for data: its data disks' stripes, 4 KB each. */
export function aggregateKb(aggregate: AggregateState): number {
  const dataDisks = aggregate.raidGroups.reduce((sum, group) => sum + group.members.length - 1, 0);
  return dataDisks * aggregate.stripes * 4;
}

/** `df -A [aggregate]`: each aggregate (less its snapshot reserve) and its .snapshot. */
export function dfAggregateLines(view: StorageView, unit: DfUnit, only?: AggregateState): string[] {
  const lines = [`${'Aggregate'.padEnd(20)}${sizeHeader(unit).padStart(10)}${'used'.padStart(11)}${'avail'.padStart(11)}${'capacity'.padStart(9)}`];
  for (const aggregate of only ? [only] : sortedAggregates(view)) {
    if (aggregate.status !== 'online') { lines.push(`df: ${aggregate.name}: Aggregate is ${aggregate.status}`); continue; }
    const totalKb = aggregateKb(aggregate);
    const snapKb = Math.floor(totalKb * AGGREGATE_SNAP_RESERVE);
    const guaranteed = Object.values(view.state.volumes)
      .filter((volume) => volume.aggregate === aggregate.name)
      .reduce((sum, volume) => sum + volume.sizeBytes / 1024, 0);
    lines.push(...dfRowLines({ name: aggregate.name, total: totalKb - snapKb, used: Math.min(guaranteed, totalKb - snapKb), mount: null }, unit));
    lines.push(...dfRowLines({ name: `${aggregate.name}/.snapshot`, total: snapKb, used: 0, mount: null }, unit));
  }
  return lines;
}
