// Wall-clock text for virtual time. A lab starts at a fixed date so that consoles, /etc/messages and
// recordings read the same on every run; `date` and the EMS log show it as Data ONTAP does
// ("Mon Jun  3 09:00:05 GMT 2013"). No Date object: the core must not touch the host's clock.
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import type { Micros } from '../../engine/actor.ts';

/** Seconds since 1970 of virtual time 0: Monday 3 June 2013, 09:00:00 GMT. */
export const LAB_EPOCH_SECONDS = 1_370_250_000;

const DAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface CivilTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: string;
}

/** Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function civilTime(nowUs: Micros): CivilTime {
  const seconds = LAB_EPOCH_SECONDS + Math.floor(nowUs / MICROS_PER_SECOND);
  const days = Math.floor(seconds / 86_400);
  const inDay = seconds - days * 86_400;
  const { year, month, day } = civilFromDays(days);
  return {
    year, month, day,
    hour: Math.floor(inDay / 3600),
    minute: Math.floor((inDay % 3600) / 60),
    second: inDay % 60,
    weekday: DAYS[((days % 7) + 7) % 7],
  };
}

const two = (value: number): string => String(value).padStart(2, '0');

/** "Mon Jun  3 09:00:05 GMT" — the stamp of an EMS line. */
export function emsStamp(nowUs: Micros): string {
  const time = civilTime(nowUs);
  return `${time.weekday} ${MONTHS[time.month - 1]} ${String(time.day).padStart(2, ' ')} ${two(time.hour)}:${two(time.minute)}:${two(time.second)} GMT`;
}

/** "Mon Jun  3 09:00:05 GMT 2013" — what `date` prints. */
export function dateText(nowUs: Micros): string {
  return `${emsStamp(nowUs)} ${civilTime(nowUs).year}`;
}

/** "9:00am" — the clock at the start of an `uptime` line. */
export function clockText(nowUs: Micros): string {
  const time = civilTime(nowUs);
  const hour12 = time.hour % 12 === 0 ? 12 : time.hour % 12;
  return `${hour12}:${two(time.minute)}${time.hour < 12 ? 'am' : 'pm'}`;
}

/** "2 days 3:04" or "12 mins" or "45 secs" — an uptime span. */
export function spanText(spanUs: Micros): string {
  const seconds = Math.max(0, Math.floor(spanUs / MICROS_PER_SECOND));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const dayText = days > 0 ? `${days} day${days === 1 ? '' : 's'} ` : '';
  if (days > 0 || hours > 0) return `${dayText}${hours}:${two(minutes)}`;
  if (minutes > 0) return `${minutes} min${minutes === 1 ? '' : 's'}`;
  return `${seconds} sec${seconds === 1 ? '' : 's'}`;
}
