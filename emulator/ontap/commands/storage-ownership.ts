// Software disk ownership as this filer sees it: its own disks (the storage OS's records) and the bays of
// every other shelf on its loops, which belong to its partner (the lab's pairs own whole shelves). For
// `disk show -o|-n|-a`, the "Partner disks" section of `sysconfig -r` and the device list of `sysconfig -d`.
// The filer does not inquire disks it does not own, so it knows no size for them.
import { BAYS_PER_SHELF } from '../../hardware/disk-names.ts';
import { bayEmpty } from '../storage/disk-bays.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { unownedDisks } from '../storage/disk-admin.ts';
import { DISK_RPM, diskSerial, type DiskPlace, type StorageView } from './storage-view.ts';
import { DISK_SHOW_DASHES, DISK_SHOW_HEADER } from './storage-disks.ts';
import { SECTION_DASHES, SECTION_HEADER } from './storage-raid-status.ts';

export interface OwnedDisk {
  readonly place: DiskPlace;
  /** `filerA(0101165001)`. */
  readonly owner: string;
  readonly ownerName: string;
  readonly own: boolean;
}

/** Every disk on this filer's loops with its owner, by shelf and bay. */
export function ownedDisks(view: StorageView, filer: FilerState): OwnedDisk[] {
  const config = filer.config;
  const own = Object.values(view.state.disks).map((record) => ({
    place: view.place(record.id), owner: `${view.filerName}(${view.systemId})`, ownerName: view.filerName, own: true,
  }));
  const shelves = [...new Set(config.fcPorts.flatMap((port) => port.shelves.map((shelf) => shelf.actor)))];
  const partner: OwnedDisk[] = [];
  const unowned = new Set(unownedDisks(view.state));
  for (const shelf of shelves) {
    for (let bay = 0; bay < BAYS_PER_SHELF; bay++) {
      const id = `${shelf}.${bay}`;
      if (view.state.disks[id] || bayEmpty(view.state, id)) continue;
      // A disk nobody owns (a new one in its bay, or one given up); any other is the partner's (the lab's pairs own whole shelves).
      const notOwned = !config.partner || unowned.has(id);
      const name = notOwned ? 'unowned' : config.partner!;
      partner.push({ place: view.place(id), owner: notOwned ? 'Not Owned' : `${name}(${config.partnerSystemId ?? 'unknown'})`, ownerName: name, own: false });
    }
  }
  return [...own, ...partner].sort((a, b) => a.place.shelfId - b.place.shelfId || a.place.bay - b.place.bay);
}

export function diskOwnerLines(disks: readonly OwnedDisk[]): string[] {
  return [DISK_SHOW_HEADER, DISK_SHOW_DASHES,
    ...disks.map(({ place, owner }) => `${place.name.padEnd(13)}${owner.padEnd(25)}${'Pool0'.padEnd(7)}${diskSerial(place)}`)];
}

/** `sysconfig -r` for a filer in a pair: the partner's disks it sees on its loops (no size known). */
export function partnerDiskLines(view: StorageView, filer: FilerState): string[] {
  const partner = ownedDisks(view, filer).filter((disk) => !disk.own && disk.ownerName !== 'unowned');
  if (partner.length === 0 || !filer.config.partner) return [];
  const lines = ['Partner disks', '', SECTION_HEADER, SECTION_DASHES];
  for (const { place } of partner) {
    const chan = place.loop ? `FC:${place.loop}` : '-';
    lines.push(`${'partner'.padEnd(16)}${place.name.padEnd(8)}${place.port.padEnd(4)}${String(place.shelfId).padStart(5)}${String(place.bay).padStart(4)} `
      + `${chan.padEnd(5)}${'0'.padStart(2)}   FCAL ${String(DISK_RPM).padStart(5)} ${'0/0'.padEnd(17)} -`);
  }
  return [...lines, ''];
}

/** `sysconfig -d`: every device on the loops, over the path in use, with its serial number. */
export function deviceLines(view: StorageView, filer: FilerState): string[] {
  const lines = ['Device          HA    SHELF BAY CHAN    Disk Vital Product Information', '----------      --------------- -----   ------------------------------'];
  for (const { place } of ownedDisks(view, filer)) {
    const chan = place.loop ? `FC:${place.loop}` : '-';
    lines.push(`${place.name.padEnd(16)}${place.port.padEnd(6)}${String(place.shelfId).padEnd(6)}${String(place.bay).padEnd(4)}${chan.padEnd(8)}${diskSerial(place)}`);
  }
  return lines;
}

