// The console subsystem's slot in the filer's state: plain data, bounded, snapshot-safe.
import type { Payload } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { PrivilegeLevel } from './command.ts';
import { createLineEditor } from './line-editor.ts';
import type { LineEditor } from './line-editor.ts';

export const CONSOLE_SUBSYSTEM = 'console';
/** Lines kept for `rdfile /etc/messages`. */
export const MESSAGES_MAX = 500;
/** Bytes one command may write before its output is cut. */
export const COMMAND_OUTPUT_MAX_BYTES = 64 * 1024;
/** Timers one command may have pending at once. */
export const COMMAND_TIMERS_MAX = 4;

/**
 * What the console is doing, apart from the chassis' boot state:
 *  - dark: no power, nothing shown, input dropped.
 *  - loader: at `LOADER-A>`, the boot loader's few commands.
 *  - booting: the boot sequence prints; keys are dropped (Ctrl-C is echoed).
 *  - prompt: the OS prompt, a command line being edited.
 *  - job: a command holds the console (running or asking); Ctrl-C interrupts it.
 *  - frozen: panicked or hung; the console shows nothing more until power or reboot.
 */
export type ConsoleMode = 'dark' | 'loader' | 'booting' | 'prompt' | 'job' | 'frozen';

/** A command that holds the console: its name, what it waits for, and the data to resume it with. */
export interface ConsoleJob {
  /** The command's registered name, or `wait:<owner>` for a subsystem's wait (giveback). */
  readonly command: string;
  state: 'running' | 'asking';
  /** Plain data for the command's `answer` when asking. */
  resume: Payload | null;
  /** Timers pending for this job (bounded). */
  timers: number;
}

export interface ConsoleState {
  mode: ConsoleMode;
  editor: LineEditor;
  /** What is shown before the line being edited (prompt, loader prompt, question); '' when none. */
  promptText: string;
  privilege: PrivilegeLevel;
  /** Speaking as the partner after `partner` in takeover. */
  partnerMode: boolean;
  job: ConsoleJob | null;
  /** Next step of the boot sequence, while booting. */
  bootStep: number;
  /** Virtual time of the last completed boot (for `uptime`), null when the OS is down. */
  bootedAtUs: number | null;
  /** Where the firmware goes when its self test ends: the loader prompt, or straight on to boot. */
  afterFirmware: 'loader' | 'autoboot';
  /** Virtual time the OS last went down (halt, reboot, power loss), for "The system was down for…". */
  downSinceUs: number | null;
  /** Incremented on every halt, reboot and power loss: timers of an older generation are ignored. */
  generation: number;
  /** Bytes written by the current command, for the output bound. */
  outputBytes: number;
  /** /etc/messages, oldest first, bounded. */
  messages: string[];
  /** Commands run since boot (for sysstat and the summary). */
  commandsRun: number;
  /** Files the operator wrote with `wrfile` (they live on the root volume, so they outlive reboots), by path. Optional: older saved labs. */
  files?: Record<string, string[]>;
  /** `statit -b`: when the sample began and the counters then (plain data). */
  statit?: { readonly startUs: number; readonly sample: Readonly<Record<string, unknown>> } | null;
}

export function createConsoleState(): ConsoleState {
  return {
    mode: 'dark',
    editor: createLineEditor(),
    promptText: '',
    privilege: 'admin',
    partnerMode: false,
    job: null,
    bootStep: 0,
    bootedAtUs: null,
    afterFirmware: 'loader',
    downSinceUs: null,
    generation: 0,
    outputBytes: 0,
    messages: [],
    commandsRun: 0,
  };
}

export function consoleStateOf(filer: FilerState): ConsoleState | undefined {
  return filer.subsystems[CONSOLE_SUBSYSTEM] as ConsoleState | undefined;
}

/** The controller slot letter of the loader prompt: A for the first of a pair by name, B for the other. */
export function slotLetter(filer: FilerState): string {
  const partner = filer.config.partner;
  return partner !== undefined && partner < filer.config.name ? 'B' : 'A';
}
