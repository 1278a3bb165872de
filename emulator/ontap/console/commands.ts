// The list of command modules the console knows. To add commands, write a module in
// emulator/ontap/commands/ that exports a `readonly CommandDefinition[]` and add it to this list (one
// import and one entry); the console dispatches by the longest registered name (see command.ts).
import type { CommandDefinition, ConsoleHooks } from './command.ts';
import { buildCommandTable } from './registry.ts';
import type { CommandTable } from './registry.ts';

export const COMMAND_MODULES: readonly (readonly CommandDefinition[])[] = [
];

export const COMMANDS: CommandTable = buildCommandTable(COMMAND_MODULES.flat());

/** Hooks other subsystems give the console (boot readiness, takeover prompt, waits): add yours here. */
export const CONSOLE_HOOKS: readonly ConsoleHooks[] = [
];
