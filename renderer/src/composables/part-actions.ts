// What the right-click menu offers on each kind of part: the hardware's fault catalogue by kind
// (emulator/hardware: filer/chassis.ts FILER_FAULTS, shelf/shelf-actor.ts, net/switch-actor.ts) and
// whether it has a power switch. Faults a part reports active (`<actor>.faults`) are offered to clear.
const FAULTS_BY_KIND: Record<string, readonly string[]> = {
  filer: ['panic', 'hang', 'nvram-battery', 'overtemp', 'fan', 'psu'],
  shelf: ['power', 'psu'],
  switch: ['down'],
};

export interface FaultChoice {
  readonly fault: string;
  readonly active: boolean;
}

export function faultChoices(kind: string, published: unknown): FaultChoice[] {
  const active = Array.isArray(published) ? published.filter((name): name is string => typeof name === 'string') : [];
  const names = [...new Set([...(FAULTS_BY_KIND[kind] ?? []), ...active])];
  return names.map((fault) => ({ fault, active: active.includes(fault) }));
}

/** Parts with a power switch the trainee may flip. */
export function hasPower(kind: string): boolean {
  return kind === 'filer' || kind === 'shelf' || kind === 'switch';
}

/** Published power is 'on' | 'off'; a part that publishes none counts as on. */
export function isPowered(published: unknown): boolean {
  return published !== 'off' && published !== false;
}

/** A disk's faults (shelf faults with the bay as first argument); 'fail' is offered to clear once failed. */
export const DISK_FAULTS = ['fail', 'slow', 'media-error'] as const;

export function diskFaultChoices(health: unknown): FaultChoice[] {
  if (health === 'empty') return [];
  return DISK_FAULTS.map((fault) => ({ fault, active: health === fault || (fault === 'fail' && health === 'failed') }));
}

/**
 * The real way a disk is replaced (the shelf's `pulled` disk fault): a disk is pulled out of its bay, a
 * new one pushed into an empty bay. Undefined while the shelf has not said what the bay holds.
 */
export function bayAction(health: unknown): { readonly action: 'pull' | 'insert'; readonly label: string; readonly title: string } | undefined {
  if (health === undefined) return undefined;
  return health === 'empty'
    ? { action: 'insert', label: 'Insert a new disk', title: 'push a blank disk into the bay: no filer owns it until `disk assign` on a console' }
    : { action: 'pull', label: 'Pull the disk out', title: 'take the disk out of its bay: its filer finds it missing and rebuilds its RAID group onto a spare' };
}
