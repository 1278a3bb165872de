// Hooks other subsystems give the console (boot readiness, the takeover prompt, waits): add yours to
// this list. Kept apart from the command list so that command modules may read it without a cycle.
import type { ConsoleHooks } from './command.ts';
import { haConsoleHooks } from '../ha/console-hooks.ts';

export const CONSOLE_HOOKS: readonly ConsoleHooks[] = [
  haConsoleHooks,
];
