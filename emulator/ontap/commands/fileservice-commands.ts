// The file service's console commands, as one module for the console's list: `cifs sessions`,
// `cifs stat`, `nfsstat` (these two replace the console's placeholders) and `sysstat -x`.
import type { CommandDefinition } from '../console/command.ts';
import { fileServiceCifsCommands } from './fileservice-cifs.ts';
import { fileServiceNfsstatCommands } from './fileservice-nfsstat.ts';
import { fileServiceSysstatCommands } from './fileservice-sysstat.ts';

export const fileServiceConsoleCommands: readonly CommandDefinition[] = [
  ...fileServiceCifsCommands,
  ...fileServiceNfsstatCommands,
  ...fileServiceSysstatCommands,
];
