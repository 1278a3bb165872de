// `snap sched`: how many weekly, nightly and hourly snapshots a volume keeps, taken by the virtual clock.
// At each hour the CP timer crosses, a volume whose schedule is due rotates its set (`hourly.0` becomes
// `hourly.1`, …, the oldest beyond the count is deleted) and queues a new `.0` for the CP that follows.
// Nightly snapshots are taken at midnight, weekly ones at midnight on Sunday; the larger kind wins when
// two fall on the same hour, as on the product. Hours the filer was down are not made up.
import { civilTime } from '../console/clock.ts';
import type { Micros } from '../../engine/actor.ts';
import { snapshotFits } from './snapshot-room.ts';
import { deleteSnapshot, findSnapshot, queueSnapshot, renameSnapshot } from './snapshot-tree.ts';
import type { SnapSchedule, StorageState, VolumeState } from './types.ts';

const HOUR_US = 3_600_000_000;
/** The product's default for a new volume: 0 weekly, 2 nightly, 6 hourly at 8, 12, 16 and 20 o'clock. */
export const DEFAULT_SNAP_SCHEDULE: SnapSchedule = { weeks: 0, days: 2, hours: 6, hourList: [8, 12, 16, 20] };
/** The most snapshots of one kind a schedule keeps (the product's limit is the volume's 255). */
const COUNT_MAX = 255;

export type ScheduleKind = 'weekly' | 'nightly' | 'hourly';

/** `weeks [days [hours[@list]]]` (missing counts are 0); null when a word is not one of them. */
export function parseSchedule(words: readonly string[]): SnapSchedule | null {
  if (words.length === 0 || words.length > 3) return null;
  const [weeks, days, hoursWord] = [words[0], words[1] ?? '0', words[2] ?? '0'];
  const match = /^(\d{1,3})(?:@(\d{1,2}(?:,\d{1,2}){0,23}))?$/.exec(hoursWord);
  if (!/^\d{1,3}$/.test(weeks) || !/^\d{1,3}$/.test(days) || !match) return null;
  const hourList = match[2] === undefined ? [] : [...new Set(match[2].split(',').map(Number))].sort((a, b) => a - b);
  const counts = [Number(weeks), Number(days), Number(match[1])];
  if (counts.some((count) => count > COUNT_MAX) || hourList.some((hour) => hour > 23)) return null;
  return { weeks: counts[0], days: counts[1], hours: counts[2], hourList };
}

export function formatSchedule(schedule: SnapSchedule): string {
  const list = schedule.hourList.length > 0 ? `@${schedule.hourList.join(',')}` : '';
  return `${schedule.weeks} ${schedule.days} ${schedule.hours}${list}`;
}

/** Which kind of snapshot the schedule takes at the hour starting at `hourUs`, if any. */
export function kindDue(schedule: SnapSchedule, hourUs: Micros): ScheduleKind | null {
  const time = civilTime(hourUs);
  if (time.hour === 0 && time.weekday === 'Sun' && schedule.weeks > 0) return 'weekly';
  if (time.hour === 0 && schedule.days > 0) return 'nightly';
  const listed = schedule.hourList.length === 0 || schedule.hourList.includes(time.hour);
  return schedule.hours > 0 && listed ? 'hourly' : null;
}

function countOf(schedule: SnapSchedule, kind: ScheduleKind): number {
  return kind === 'weekly' ? schedule.weeks : kind === 'nightly' ? schedule.days : schedule.hours;
}

/** Makes room for a new `<kind>.0`: the oldest beyond the count go, the others move up one. */
function rotate(volume: VolumeState, kind: ScheduleKind, count: number): void {
  const pattern = new RegExp(`^${kind}\\.(\\d{1,3})$`);
  const numbered = (volume.snapshots ?? [])
    .map((snapshot) => ({ snapshot, index: Number(pattern.exec(snapshot.name)?.[1] ?? -1) }))
    .filter((entry) => entry.index >= 0)
    .sort((a, b) => b.index - a.index);
  for (const { snapshot, index } of numbered) {
    if (index >= count - 1) deleteSnapshot(volume, snapshot.name);
    else if (!findSnapshot(volume, `${kind}.${index + 1}`)) renameSnapshot(volume, snapshot.name, `${kind}.${index + 1}`);
  }
}

/**
 * Called from the CP timer: for the last hour crossed since the previous call, each volume whose schedule
 * is due rotates its set and queues the new snapshot. True when one was queued (a CP must run).
 */
export function takeScheduledSnapshots(state: StorageState, nowUs: Micros): boolean {
  // `vol options <vol> nosnap on` stops the scheduled snapshots (not `snap create`), as on the product.
  const scheduled = Object.values(state.volumes).filter((volume) => volume.snapSchedule && volume.status === 'online' && volume.options?.nosnap !== 'on');
  if (scheduled.length === 0) return false;
  const since = state.snapClockUs ?? nowUs;
  state.snapClockUs = nowUs;
  const hourUs = Math.floor(nowUs / HOUR_US) * HOUR_US;
  if (hourUs <= since) return false;
  let queued = false;
  for (const volume of scheduled) {
    const schedule = volume.snapSchedule as SnapSchedule;
    const kind = kindDue(schedule, hourUs);
    if (!kind || (volume.snapshotRequests ?? []).includes(`${kind}.0`)) continue;
    rotate(volume, kind, countOf(schedule, kind));
    // The rotation made room in the list; the fsinfo block may still have none for a new root.
    if (!snapshotFits(state, volume, `${kind}.0`)) continue;
    queued = queueSnapshot(volume, `${kind}.0`) === null || queued;
  }
  return queued;
}
