// The event timeline's filter: by filer (actor) and by least severity, newest first, bounded.
import type { EmsRecord } from '../stores/lab-types.ts';

export const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface TimelineFilter {
  /** Empty: every actor. */
  readonly actor: string;
  /** Show this severity and the more severe ones. */
  readonly atLeast: Severity;
}

function rank(severity: string): number {
  const index = SEVERITIES.indexOf(severity as Severity);
  return index === -1 ? SEVERITIES.length : index;
}

export function filterTimeline(records: readonly EmsRecord[], filter: TimelineFilter, limit = 500): EmsRecord[] {
  const shown: EmsRecord[] = [];
  const ceiling = rank(filter.atLeast);
  for (let index = records.length - 1; index >= 0 && shown.length < limit; index--) {
    const record = records[index];
    if (filter.actor && record.actor !== filter.actor) continue;
    if (rank(record.severity) > ceiling) continue;
    shown.push(record);
  }
  return shown;
}
