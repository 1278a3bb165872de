// The one place the UIs (browser shell, Electron main) get their LabHost from, so that swapping the
// implementation touches one file. The real host is the lab session (emulator/host/lab-session.ts).
import type { LabHost } from '../lab-host.ts';
import { createLabSession } from '../lab-session.ts';

export interface LabHostOptions {
  /** A built-in lab name (`ha-pair`) or a lab file path. */
  readonly lab: string;
  /** `--seed`: the seed of every lab the session opens (Reset included), ahead of a lab file's `seed:`. */
  readonly seed?: number;
  /** `workers` in the desktop app (a worker thread per filer), `single` elsewhere. */
  readonly placement: 'single' | 'workers';
}

export const DEFAULT_LAB = 'ha-pair';

/** A running lab session on the named lab; throws with the lab's errors when it does not open. */
export async function createLabHost(options: LabHostOptions): Promise<LabHost> {
  return createLabSession({ lab: options.lab, seed: options.seed, placement: options.placement, pace: { mode: 'running', speed: 1 } });
}
