// The one place the UIs (browser shell, Electron main) get their LabHost from, so that swapping the
// implementation touches one file. The real host is the lab session (emulator/host/lab-session.ts).
import type { LabHost } from '../lab-host.ts';

export interface LabHostOptions {
  /** A built-in lab name (`ha-pair`) or a lab file path. */
  readonly lab: string;
  /** `workers` in the desktop app (a worker thread per filer), `single` elsewhere. */
  readonly placement: 'single' | 'workers';
}

export const DEFAULT_LAB = 'ha-pair';

export async function createLabHost(_options: LabHostOptions): Promise<LabHost> {
  throw new Error('the lab session is not built yet (emulator/host/lab-session.ts)');
}
