// The file service's console commands, as one module for the console's list: `cifs sessions`,
// `cifs stat`, `nfsstat`, `exportfs`, `nfs status`, `cifs shares`, `cifs terminate` and `cifs restart` (`sysstat` reads the file service's counters in its own module).
import type { CommandDefinition } from '../console/command.ts';
import { fileServiceCifsCommands } from './fileservice-cifs.ts';
import { fileServiceExportCommands } from './fileservice-exports.ts';
import { cifsTerminateCommands } from './fileservice-cifs-terminate.ts';
import { fileServiceNfsstatCommands } from './fileservice-nfsstat.ts';

export const fileServiceConsoleCommands: readonly CommandDefinition[] = [
  ...fileServiceCifsCommands,
  ...fileServiceNfsstatCommands,
  ...fileServiceExportCommands,
  ...cifsTerminateCommands,
];
