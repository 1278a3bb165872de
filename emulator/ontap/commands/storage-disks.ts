// Disk listings: `disk show -v` (owner, pool, serial) and `storage show disk -p` (both paths of each
// disk and the shelf module port they enter), plus the confirmation text of `disk fail`.
import { productAggregateName } from '../storage/raid-ops.ts';
import type { DiskRecord } from '../storage/types.ts';
import { diskRow, RAID_DASHES, RAID_HEADER } from './storage-raid-status.ts';
import { diskSerial, type DiskPlace, type StorageView } from './storage-view.ts';

export const DISK_SHOW_HEADER = '  DISK       OWNER                    POOL   SERIAL NUMBER';
export const DISK_SHOW_DASHES = '------------ -------------            -----  -------------';

function placedDisks(view: StorageView): { record: DiskRecord; place: DiskPlace }[] {
  return Object.values(view.state.disks)
    .map((record) => ({ record, place: view.place(record.id) }))
    .sort((a, b) => a.place.shelfId - b.place.shelfId || a.place.bay - b.place.bay);
}

/** `disk show -v`: every disk this filer owns, with its owner as `name(system id)`. */
export function diskShowLines(view: StorageView): string[] {
  const lines = [DISK_SHOW_HEADER, DISK_SHOW_DASHES];
  const owner = `${view.filerName}(${view.systemId})`;
  for (const { place } of placedDisks(view)) {
    lines.push(`${place.name.padEnd(13)}${owner.padEnd(25)}${'Pool0'.padEnd(7)}${diskSerial(place)}`);
  }
  return lines;
}

/** `storage show disk`: each disk with its shelf, bay and inquiry identity. */
export function diskInventoryLines(view: StorageView): string[] {
  const lines = ['DISK                  SHELF BAY SERIAL           VENDOR   MODEL           REV', '--------------------- --------- ---------------- -------- --------------- ----'];
  for (const { place } of placedDisks(view)) {
    lines.push(`${place.name.padEnd(22)}${String(place.shelfId).padStart(5)}${String(place.bay).padStart(4)} ${diskSerial(place).padEnd(17)}${'NETAPP'.padEnd(9)}${'X279_FILERLAB'.padEnd(16)}NA01`);
  }
  return lines;
}

export const PATHS_HEADER = 'PRIMARY  PORT  SECONDARY  PORT SHELF BAY';
export const PATHS_DASHES = '-------- ----  ---------  ---- ---------';

/** `storage show disk -p`: the path in use first, the other one second (blank when it is down). */
export function diskPathLines(view: StorageView): string[] {
  const lines = [PATHS_HEADER, PATHS_DASHES];
  for (const { place } of placedDisks(view)) {
    const live = place.paths.filter((path) => path.up);
    const primary = live.find((path) => path.port === place.port) ?? live[0];
    const secondary = live.find((path) => path !== primary);
    const left = primary ? `${primary.name.padEnd(9)}${primary.loop.padEnd(6)}` : ''.padEnd(15);
    const right = secondary ? `${secondary.name.padEnd(11)}${secondary.loop.padEnd(4)}` : ''.padEnd(15);
    lines.push(`${left}${right}${String(place.shelfId).padStart(6)}${String(place.bay).padStart(4)}`);
  }
  return lines;
}

/** Where a member sits, `/aggr0/plex0/rg0/0a.19`, or the spare's own name. */
export function diskLocation(view: StorageView, record: DiskRecord, place: DiskPlace): string {
  if (record.aggregate === null || record.raidGroup === null) return place.name;
  const aggregate = view.state.aggregates[record.aggregate];
  // A partner's aggregate held in takeover is named as the partner names it (`/aggr0/…`).
  return `/${aggregate ? productAggregateName(aggregate) : record.aggregate}/plex0/rg${record.raidGroup}/${place.name}`;
}

/** The warning `disk fail` prints before it asks: a prefail (copied first) or an immediate failure (`-i`). */
export function diskFailWarning(view: StorageView, record: DiskRecord, immediate = true): string[] {
  const place = view.place(record.id);
  const member = record.role === 'data' || record.role === 'parity';
  const group = member && record.aggregate !== null ? view.state.aggregates[record.aggregate]?.raidGroups[record.raidGroup ?? 0] : undefined;
  const lines = immediate
    ? [`*** You are about to fail the following ${member ? 'file system' : 'spare'} disk. ***`]
    : ['*** You are about to prefail the following file system disk, ***', '*** which will eventually result in it being failed ***'];
  if (!immediate) {
    // Nothing degrades: the disk stays in its group while it is copied.
  } else if (group && (group.failed.length > 0 || (group.reconstruction && group.reconstruction.copyFrom === undefined))) {
    lines.push(`*** RAID group /${record.aggregate}/plex0/rg${group.index} is already degraded: failing this disk will fail aggregate ${record.aggregate}. ***`);
  } else if (member) {
    lines.push('*** Failing this disk will cause the RAID group to run in degraded mode. ***');
  }
  lines.push(`  Disk ${diskLocation(view, record, place)}`, '');
  lines.push(`      ${RAID_HEADER}`, `      ${RAID_DASHES}`);
  lines.push(`      ${diskRow(record.role, place, record, 10)}`, '***');
  return lines;
}
