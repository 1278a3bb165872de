// Takeover and giveback from a filer's right-click menu. Each types its `cf` command on that filer's
// console (the store's typeOnConsole intention), as a trainee would; the console answers and HA acts.
// Which are offered follows the filer's HA state: take over when up, give back when in takeover.
import type { HaViewState } from '../../../emulator/protocol/ha-view.ts';
import type { FilerHa } from './ha-view.ts';

export type HaCommand = 'takeover' | 'giveback' | 'forcetakeover';

export interface HaMenuChoice {
  readonly command: HaCommand;
  readonly label: string;
  readonly enabled: boolean;
  /** Why it is not offered now (greyed), or what to expect when it is (the console may refuse). */
  readonly why?: string;
}

export const HA_COMMAND_LINES: Readonly<Record<HaCommand, string>> = {
  takeover: 'cf takeover',
  giveback: 'cf giveback',
  forcetakeover: 'cf forcetakeover -f',
};

const LABELS: Readonly<Record<HaCommand, string>> = {
  takeover: 'Take over partner (cf takeover)',
  giveback: 'Give back to partner (cf giveback)',
  forcetakeover: 'Force takeover (cf forcetakeover -f)',
};

/** What the console receives: Ctrl-U first (clears anything half-typed on the line), the command, Enter. */
export function haConsoleInput(command: HaCommand): string {
  return `\x15${HA_COMMAND_LINES[command]}\r`;
}

function choice(command: HaCommand, why: string | undefined, note?: string): HaMenuChoice {
  if (why !== undefined) return { command, label: LABELS[command], enabled: false, why };
  return note === undefined ? { command, label: LABELS[command], enabled: true } : { command, label: LABELS[command], enabled: true, why: note };
}

/** The menu's HA entries for a filer; none for a filer HA says nothing about. */
export function haMenuChoices(ha: FilerHa | undefined, partnerState?: HaViewState): HaMenuChoice[] {
  if (!ha) return [];
  const notUp = ha.state === 'up' ? undefined : `this filer is ${ha.state}`;
  const takeoverWhy = notUp ?? (!ha.enabled ? 'cf is disabled' : (ha.takeoverImpossible ?? undefined));
  const givebackWhy = ha.state === 'takeover' ? undefined : 'not in takeover';
  // Offered all through takeover; until the partner waits, cf giveback refuses (boot it first).
  const givebackNote = partnerState === undefined || partnerState === 'waiting-for-giveback' ? undefined : 'partner not waiting for giveback yet';
  return [choice('takeover', takeoverWhy), choice('giveback', givebackWhy, givebackNote), choice('forcetakeover', notUp)];
}
