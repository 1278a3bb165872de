// What a filer knows is wrong, for its front panel (issue 19: the panel said "no faults" while a RAID
// group was degraded): RAID groups that are not normal (with rebuild progress), the failover monitor's
// faults with their class, and chassis faults the monitor does not cover or cannot see (its OS down).
// The fault LED lights for any of them, as well as when the chassis lights it. Pure, tested without a DOM.
import { FAULT_CLASS_LABELS, monitorOf } from './negotiation-view.ts';

type State = Readonly<Record<string, unknown>>;

export type HealthSeverity = 'bad' | 'warning';

export interface HealthItem {
  readonly text: string;
  readonly severity: HealthSeverity;
}

export interface FilerHealth {
  readonly items: readonly HealthItem[];
  readonly led: boolean;
}

/** Chassis faults the banner already says (a panicked or hung filer shows it there). */
const BANNER_FAULTS = new Set(['panic', 'hang']);
const RAID_STATUS = /^raid\.([^.]+)\.rg(\d+)\.status$/;

function raidItems(state: State, filer: string): HealthItem[] {
  const prefix = `${filer}.`;
  const items: HealthItem[] = [];
  for (const path in state) {
    if (!path.startsWith(prefix)) continue;
    const match = RAID_STATUS.exec(path.slice(prefix.length));
    const status = state[path];
    if (!match || typeof status !== 'string' || status === 'normal') continue;
    const percent = state[`${prefix}raid.${match[1]}.rg${match[2]}.reconstructPercent`];
    const progress = status === 'reconstructing' && typeof percent === 'number' ? ` ${Math.round(percent)}%` : '';
    items.push({ text: `${match[1]}/rg${match[2]} ${status}${progress}`, severity: status === 'failed' ? 'bad' : 'warning' });
  }
  return items.sort((left, right) => left.text.localeCompare(right.text, 'en', { numeric: true }));
}

export function filerHealth(state: State, filer: string): FilerHealth {
  const monitored = monitorOf(state, filer)?.faults ?? [];
  const chassis = state[`${filer}.faults`];
  const chassisFaults = Array.isArray(chassis) ? chassis.filter((fault): fault is string => typeof fault === 'string') : [];
  const items = [
    ...raidItems(state, filer),
    ...monitored.map((fault): HealthItem => ({ text: `${fault.text} (${FAULT_CLASS_LABELS[fault.class]})`, severity: fault.class === 'warning' ? 'warning' : 'bad' })),
    ...chassisFaults
      .filter((fault) => !BANNER_FAULTS.has(fault) && !monitored.some((known) => known.type === fault))
      .map((fault): HealthItem => ({ text: fault, severity: 'warning' })),
  ];
  return { items, led: state[`${filer}.led.fault`] === true || items.length > 0 };
}

/** The panel's one line: the first item, and how many more (all of them are in its tooltip). */
export function healthLine(health: FilerHealth): string {
  const [first, ...rest] = health.items;
  if (!first) return 'no faults';
  return rest.length === 0 ? first.text : `${first.text} +${rest.length} more`;
}
