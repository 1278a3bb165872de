// What HA tells the console, reading HA's slot by name only (this module imports no HA code, so the
// console's hook list can include it without an import cycle): the takeover prompt, when the boot is
// finished, and that a filer waiting for giveback holds its boot.
import type { ConsoleHooks } from '../console/command.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { HA_SUBSYSTEM, STORAGE_SLOT } from './slots.ts';

interface HaStateView { readonly state: string }
interface StorageView { readonly status: string }

function haStateOf(filer: FilerState): string | undefined {
  return (filer.subsystems[HA_SUBSYSTEM] as HaStateView | undefined)?.state;
}

export const haConsoleHooks: ConsoleHooks = {
  inTakeover: (filer) => haStateOf(filer) === 'takeover' || haStateOf(filer) === 'giving-back',
  // The prompt appears once storage is online (HA up); a filer with no storage slot is ready at once.
  bootReady: (filer) => {
    const storage = filer.subsystems[STORAGE_SLOT] as StorageView | undefined;
    return storage === undefined || storage.status === 'online';
  },
  holdBoot: (filer) => haStateOf(filer) === 'waiting-for-giveback',
};
