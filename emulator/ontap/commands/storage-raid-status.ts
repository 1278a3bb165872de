// The RAID layout as Data ONTAP 7-Mode prints it for `sysconfig -r` and `aggr status -r`: per aggregate
// the aggregate, plex and RAID group lines, then a table of members; then the spare and broken disks.
// Every table shares its columns, so the indented member rows line up with the spare rows.
import type { AggregateState, DiskRecord, RaidGroupState } from '../storage/types.ts';
import { DISK_MISSING, isOwnSpare, reconstructionPercent } from '../storage/raid-ops.ts';
import { DISK_RPM, diskSizes, type DiskPlace, type StorageView } from './storage-view.ts';

export const RAID_HEADER = 'RAID Disk Device  HA  SHELF BAY CHAN Pool Type  RPM  Used (MB/blks)    Phys (MB/blks)';
export const RAID_DASHES = '--------- ------  ------------- ---- ---- ---- ----- --------------    --------------';
const MEMBER_INDENT = '      ';
/** Members are indented by 6 and their role column is 10 wide; spare and broken rows use 16 unindented. */
const MEMBER_ROLE_WIDTH = 10;
const SECTION_ROLE_WIDTH = MEMBER_INDENT.length + MEMBER_ROLE_WIDTH;
export const SECTION_HEADER = 'RAID Disk'.padEnd(SECTION_ROLE_WIDTH) + RAID_HEADER.slice(MEMBER_ROLE_WIDTH);
export const SECTION_DASHES = '---------'.padEnd(SECTION_ROLE_WIDTH) + RAID_DASHES.slice(MEMBER_ROLE_WIDTH);

/** One disk row without indent: role, device, adapter, shelf, bay, channel, pool, type, rpm, sizes. */
export function diskRow(role: string, place: DiskPlace, record: DiskRecord, roleWidth: number, note = ''): string {
  const sizes = diskSizes(record);
  const chan = place.loop ? `FC:${place.loop}` : '-';
  const used = `${sizes.usedMb}/${sizes.usedSectors}`;
  const row = `${`${role} `.padEnd(roleWidth)}${place.name.padEnd(8)}${place.port.padEnd(4)}`
    + `${String(place.shelfId).padStart(5)}${String(place.bay).padStart(4)} ${chan.padEnd(5)}${'0'.padStart(2)}   `
    + `FCAL ${String(DISK_RPM).padStart(5)} ${used.padEnd(17)} ${sizes.physMb}/${sizes.physSectors}`;
  return note ? `${row} ${note}` : row;
}

function failedRow(role: string, record: DiskRecord | undefined): string {
  const used = record ? `${diskSizes(record).usedMb}/${diskSizes(record).usedSectors}` : '-';
  return `${role.padEnd(MEMBER_ROLE_WIDTH)}${'FAILED'.padEnd(8)}${'N/A'.padEnd(35)}${used}`;
}

export function groupStatus(aggregate: AggregateState, group: RaidGroupState): string {
  if (group.failed.length > 1 || (aggregate.status === 'failed' && group.failed.length > 0)) return 'failed';
  if (isRebuilding(group)) return `reconstruction ${reconstructionPercent(group)}% completed`;
  if (group.failed.length === 1) return 'degraded';
  return 'normal';
}

/** A reconstruction from parity (a disk copy leaves the group normal). */
function isRebuilding(group: RaidGroupState): boolean {
  return group.reconstruction !== null && group.reconstruction.copyFrom === undefined;
}

function aggregateStatus(aggregate: AggregateState): string {
  const state = aggregate.status === 'mounting' ? 'restricted' : aggregate.status;
  const extras: string[] = [];
  if (aggregate.status === 'online') {
    if (aggregate.raidGroups.some(isRebuilding)) extras.push('reconstruct');
    else if (aggregate.raidGroups.some((group) => group.failed.length > 0)) extras.push('degraded');
  }
  return [state, 'raid4', ...extras].join(', ');
}

export function plexStatus(aggregate: AggregateState): string {
  if (aggregate.status === 'failed') return 'offline, failed, inactive';
  if (aggregate.status === 'offline') return 'offline, normal, inactive';
  return 'online, normal, active';
}

/** The lines of one aggregate: its plex, each RAID group and the group's members. */
export function aggregateLines(view: StorageView, aggregate: AggregateState): string[] {
  const lines = [
    `Aggregate ${aggregate.name} (${aggregateStatus(aggregate)}) (block checksums)`,
    `  Plex /${aggregate.name}/plex0 (${plexStatus(aggregate)})`,
  ];
  for (const group of aggregate.raidGroups) {
    lines.push(`    RAID group /${aggregate.name}/plex0/rg${group.index} (${groupStatus(aggregate, group)})`, '');
    lines.push(MEMBER_INDENT + RAID_HEADER, MEMBER_INDENT + RAID_DASHES);
    // Parity first, then the data disks, as the product lists a group.
    const parity = group.members.length - 1;
    [parity, ...group.members.keys()].slice(0, group.members.length).forEach((position) => {
      const disk = group.members[position];
      const role = position === parity ? 'parity' : 'data';
      const recon = group.reconstruction;
      if (recon?.copyFrom !== undefined && recon.position === position && view.state.disks[recon.spare]) {
        // The source stays a member while it is copied; its copy shows under it.
        const why = recon.copyThen === 'fail' ? 'prefail' : 'replacing';
        lines.push(MEMBER_INDENT + diskRow(role, view.place(disk), view.state.disks[disk], MEMBER_ROLE_WIDTH, `(${why}, copy in progress)`));
        lines.push(MEMBER_INDENT + diskRow('-> copy', view.place(recon.spare), view.state.disks[recon.spare], MEMBER_ROLE_WIDTH, `(copy ${reconstructionPercent(group)}% completed)`));
      } else if (recon && recon.position === position && view.state.disks[recon.spare]) {
        const note = `(reconstruction ${reconstructionPercent(group)}% completed)`;
        lines.push(MEMBER_INDENT + diskRow(role, view.place(recon.spare), view.state.disks[recon.spare], MEMBER_ROLE_WIDTH, note));
      } else if (group.failed.includes(position)) {
        lines.push(MEMBER_INDENT + failedRow(role, view.state.disks[disk]));
      } else {
        lines.push(MEMBER_INDENT + diskRow(role, view.place(disk), view.state.disks[disk], MEMBER_ROLE_WIDTH));
      }
    });
    lines.push('');
  }
  return lines;
}

function byName(view: StorageView, records: DiskRecord[]): { record: DiskRecord; place: DiskPlace }[] {
  return records
    .map((record) => ({ record, place: view.place(record.id) }))
    .sort((a, b) => a.place.shelfId - b.place.shelfId || a.place.bay - b.place.bay);
}

function spareNote(record: DiskRecord): string {
  if (record.zeroingPercent !== null) return `(zeroing, ${record.zeroingPercent}% done)`;
  return record.zeroed ? '' : '(not zeroed)';
}

export function spareLines(view: StorageView): string[] {
  const spares = byName(view, Object.values(view.state.disks).filter((record) => isOwnSpare(record) && record.spunDown !== true));
  const lines = ['Spare disks', '', SECTION_HEADER, SECTION_DASHES];
  if (spares.length === 0) return [...lines, 'There are no spare disks.', ''];
  lines.push('Spare disks for block or zoned checksum traditional volumes or aggregates');
  for (const { record, place } of spares) lines.push(diskRow('spare', place, record, SECTION_ROLE_WIDTH, spareNote(record)));
  return [...lines, ''];
}

/** Broken disks: `admin failed` after `disk fail`, `failed` otherwise. Empty when none. */
export function brokenLines(view: StorageView): string[] {
  // A pulled disk is gone from the loop, not broken: its group shows the member missing.
  const broken = byName(view, Object.values(view.state.disks).filter((record) => record.role === 'broken' && record.failReason !== DISK_MISSING));
  if (broken.length === 0) return [];
  const lines = ['Broken disks', '', SECTION_HEADER, SECTION_DASHES];
  for (const { record, place } of broken) {
    lines.push(diskRow(record.failReason === 'admin failed' ? 'admin failed' : 'failed', place, record, SECTION_ROLE_WIDTH));
  }
  return [...lines, ''];
}

/** `sysconfig -r` and `aggr status -r` (all aggregates, then spares and broken disks). */
export function raidStatusLines(view: StorageView): string[] {
  const lines: string[] = [];
  for (const aggregate of sortedAggregates(view)) lines.push(...aggregateLines(view, aggregate), '');
  return [...lines, ...spareLines(view), ...brokenLines(view)];
}

export function sortedAggregates(view: StorageView): AggregateState[] {
  return Object.values(view.state.aggregates).sort((a, b) => Number(b.root) - Number(a.root) || (a.name < b.name ? -1 : 1));
}

/** `aggr status` without -r: Aggr / State / Status / Options. */
export function aggrStatusLines(view: StorageView, only?: AggregateState): string[] {
  const lines = ['           Aggr State           Status            Options'];
  for (const aggregate of only ? [only] : sortedAggregates(view)) {
    const state = aggregate.status === 'mounting' ? 'restricted' : aggregate.status;
    const statuses = ['raid4, aggr'];
    // A group being rebuilt is still degraded until its reconstruction completes.
    if (aggregate.raidGroups.some((group) => group.failed.length > 0)) statuses.push('degraded');
    if (aggregate.raidGroups.some(isRebuilding)) statuses.push('reconstruct');
    lines.push(`${aggregate.name.padStart(15)} ${state.padEnd(15)} ${statuses[0].padEnd(17)} ${aggregate.root ? 'root' : ''}`.trimEnd());
    for (const extra of statuses.slice(1)) lines.push(`${''.padStart(32)}${extra}`);
  }
  return lines;
}
