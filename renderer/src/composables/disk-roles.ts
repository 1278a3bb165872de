// Disk roles on a shelf as the filers' storage publishes them (`<filer>.disks.<shelf>.<bay>.role`),
// the owning filer's word first, and the reconstruction progress a rebuilding disk shows
// (`<filer>.raid.<aggr>.rg<n>.reconstructPercent`).
export type DiskRole = 'data' | 'parity' | 'spare' | 'failed' | 'reconstructing' | 'partner' | 'unknown';

export interface BayView {
  readonly bay: number;
  /** The shelf's hardware view: 'ok' | 'failed' | 'media-error' | 'slow' | 'not-ready' | 'empty'. */
  readonly health: string;
  readonly role: DiskRole;
  readonly owner: string | null;
  /** 0–100 while this disk is being rebuilt. */
  readonly reconstructPercent?: number;
}

type State = Readonly<Record<string, unknown>>;
export const BAYS_PER_SHELF = 14;
const ROLE_LETTERS: Record<DiskRole, string> = { data: 'D', parity: 'P', spare: 'S', failed: 'F', reconstructing: 'R', partner: '·', unknown: '' };

export function roleLetter(role: DiskRole): string {
  return ROLE_LETTERS[role];
}

function roleOf(state: State, filer: string | null, shelf: string, bay: number, filers: readonly string[]): DiskRole {
  const path = (who: string) => `${who}.disks.${shelf}.${bay}.role`;
  const own = filer ? state[path(filer)] : undefined;
  if (typeof own === 'string') return own as DiskRole;
  for (const other of filers) {
    const value = state[path(other)];
    if (typeof value === 'string' && value !== 'partner') return value as DiskRole;
  }
  return 'unknown';
}

/** The first reconstruction a filer runs, in percent (one rebuild at a time is the common case). */
export function reconstructPercentOf(state: State, filer: string): number | undefined {
  const prefix = `${filer}.raid.`;
  for (const [path, value] of Object.entries(state)) {
    if (path.startsWith(prefix) && path.endsWith('.reconstructPercent') && typeof value === 'number') return value;
  }
  return undefined;
}

export function shelfBays(state: State, shelf: string, filers: readonly string[]): BayView[] {
  return Array.from({ length: BAYS_PER_SHELF }, (_, bay) => {
    const health = state[`${shelf}.bays.${bay}.state`];
    const ownerValue = state[`${shelf}.bays.${bay}.owner`];
    const owner = typeof ownerValue === 'string' ? ownerValue : null;
    // An empty bay has no role, whatever its owner still says of the disk it lost.
    const role = health === 'empty' ? 'unknown' : roleOf(state, owner, shelf, bay, filers);
    const percent = role === 'reconstructing' && owner ? reconstructPercentOf(state, owner) : undefined;
    return { bay, health: typeof health === 'string' ? health : 'empty', role, owner, ...(percent === undefined ? {} : { reconstructPercent: percent }) };
  });
}
