// The inspector's disks and RAID groups as a person reads them (issue 19): each disk by the console's
// name with its shelf and bay, its RAID role and its health; each RAID group with its state and rebuild
// progress. No `disks.shelf1.7.role` paths. Pure, tested without a DOM.
import { diskLabel } from './disk-label.ts';
import { shelfBays } from './disk-roles.ts';

type State = Readonly<Record<string, unknown>>;
type Actors = ReadonlyArray<{ readonly id: string; readonly kind: string; readonly config: unknown }>;

export interface DiskRow {
  /** `0a.23 (shelf1 bay 7)` */
  readonly label: string;
  readonly shelf: string;
  readonly bay: number;
  readonly role: string;
  /** The shelf's word: ok, failed, media-error, slow, not-ready, empty. */
  readonly health: string;
  readonly owner: string | null;
}

export interface RaidGroupRow {
  /** `aggr0/rg1` */
  readonly name: string;
  readonly status: string;
  readonly reconstructPercent?: number;
}

const DISK_ROLE = /^disks\.(.+)\.(\d+)\.role$/;
const RAID_STATUS = /^raid\.([^.]+)\.rg(\d+)\.status$/;
/** Roles in the order a filer's disk list shows them. */
const ROLE_ORDER = ['failed', 'reconstructing', 'data', 'parity', 'spare', 'partner'];

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** The disks a filer publishes a role for, by role (failed first), then shelf and bay. */
export function filerDisks(state: State, actors: Actors, filer: string): DiskRow[] {
  const prefix = `${filer}.`;
  const rows: DiskRow[] = [];
  for (const path in state) {
    if (!path.startsWith(prefix)) continue;
    const match = DISK_ROLE.exec(path.slice(prefix.length));
    if (!match) continue;
    const [, shelf, bayText] = match;
    const bay = Number(bayText);
    const owner = state[`${shelf}.bays.${bay}.owner`];
    rows.push({
      label: diskLabel(actors, shelf, bay, filer).text, shelf, bay, role: text(state[path], 'unknown'),
      health: text(state[`${shelf}.bays.${bay}.state`], 'unknown'), owner: typeof owner === 'string' ? owner : null,
    });
  }
  const rank = (role: string) => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);
  return rows.sort((a, b) => rank(a.role) - rank(b.role) || a.shelf.localeCompare(b.shelf, 'en', { numeric: true }) || a.bay - b.bay);
}

/** A shelf's populated bays, each with the console's name, its health, role and owner. */
export function shelfDisks(state: State, actors: Actors, shelf: string): DiskRow[] {
  const filers = actors.filter((actor) => actor.kind === 'filer').map((actor) => actor.id);
  return shelfBays(state, shelf, filers)
    .filter((bay) => bay.health !== 'empty')
    .map((bay) => ({ label: diskLabel(actors, shelf, bay.bay, bay.owner).text, shelf, bay: bay.bay, role: bay.role, health: bay.health, owner: bay.owner }));
}

/** A filer's RAID groups, by aggregate and group number. */
export function raidGroups(state: State, filer: string): RaidGroupRow[] {
  const prefix = `${filer}.`;
  const rows: RaidGroupRow[] = [];
  for (const path in state) {
    if (!path.startsWith(prefix)) continue;
    const match = RAID_STATUS.exec(path.slice(prefix.length));
    if (!match) continue;
    const percent = state[`${prefix}raid.${match[1]}.rg${match[2]}.reconstructPercent`];
    rows.push({ name: `${match[1]}/rg${match[2]}`, status: text(state[path], 'unknown'), ...(typeof percent === 'number' ? { reconstructPercent: Math.floor(percent) } : {}) });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}
