// The list of command modules the console knows. To add commands, write a module in
// emulator/ontap/commands/ that exports a `readonly CommandDefinition[]` and add it to this list (one
// import and one entry); the console dispatches by the longest registered name (see command.ts).
import type { CommandDefinition } from './command.ts';
import { buildCommandTable } from './registry.ts';
import type { CommandTable } from './registry.ts';
import { helpCommands } from './help.ts';
import { cfCommands } from '../commands/cf.ts';
import { clusterCommands } from '../commands/cluster-commands.ts';
import { environmentCommands } from '../commands/environment.ts';
import { fcadminCommands } from '../commands/fcadmin.ts';
import { fcstatCommands } from '../commands/fcstat.ts';
import { fileServiceConsoleCommands } from '../commands/fileservice-commands.ts';
import { haltCommands } from '../commands/halt.ts';
import { ifconfigCommands } from '../commands/ifconfig.ts';
import { ifgrpCommands } from '../commands/ifgrp.ts';
import { miscCommands } from '../commands/misc.ts';
import { systemExtraCommands } from '../commands/system-extra.ts';
import { netstatCommands } from '../commands/netstat.ts';
import { pingCommands } from '../commands/ping.ts';
import { optionsCommands } from '../commands/options.ts';
import { sysconfigCommands } from '../commands/sysconfig.ts';
import { sysstatCommands } from '../commands/sysstat.ts';
import { storageCommands } from '../commands/storage-commands.ts';
import { vserverMigrateCommands } from '../commands/vserver-migrate.ts';

export const COMMAND_MODULES: readonly (readonly CommandDefinition[])[] = [
  helpCommands,
  cfCommands,
  clusterCommands,
  environmentCommands,
  fcadminCommands,
  fcstatCommands,
  fileServiceConsoleCommands,
  haltCommands,
  ifconfigCommands,
  ifgrpCommands,
  miscCommands,
  netstatCommands,
  pingCommands,
  optionsCommands,
  sysconfigCommands,
  sysstatCommands,
  storageCommands,
  systemExtraCommands,
  vserverMigrateCommands,
];

export const COMMANDS: CommandTable = buildCommandTable(COMMAND_MODULES.flat());

