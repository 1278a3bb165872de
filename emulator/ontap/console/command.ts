// The contract between the filer's console and the commands typed on it (DESIGN.md §7). A command is a
// plain definition: its words, its usage line, the privilege it needs, and a `run` that writes output
// lines through the CommandContext. Commands keep no state of their own: whatever must outlive one call
// (a y/n question, a repeating `sysstat`, a wait) goes back to the console as plain data, so that the
// filer's state stays serializable and the console stays deterministic.
//
// Names are word paths. The console dispatches a typed line to the definition with the LONGEST name that
// prefixes its words: `disk fail 0a.16` runs `disk fail` with args ['0a.16'], `sysconfig -r` runs a
// `sysconfig -r` definition when one exists and `sysconfig` (args ['-r']) otherwise. A word that prefixes
// registered names but has no definition of its own (`disk`, `storage show`) answers with the usage lines
// of the names under it. So the storage, HA and file-service engineers each add their own definitions.
import type { ActorContext, EmsSeverity, Micros, Payload } from '../../engine/actor.ts';
import type { FilerLifecycle, FilerState } from '../../hardware/filer/subsystem.ts';
import type { CommandTable } from './registry.ts';

/** Privilege levels of `priv set`, lowest first. A command is hidden and refused below its level. */
export type PrivilegeLevel = 'admin' | 'advanced' | 'diag';

export const PRIVILEGE_ORDER: readonly PrivilegeLevel[] = ['admin', 'advanced', 'diag'];

export function privilegeAllows(current: PrivilegeLevel, required: PrivilegeLevel): boolean {
  return PRIVILEGE_ORDER.indexOf(current) >= PRIVILEGE_ORDER.indexOf(required);
}

/** How a command's call ended, as far as the prompt is concerned. */
export type CommandOutcome =
  /** Output written; the console prints the prompt. */
  | 'done'
  /**
   * The command keeps the console (a repeating `sysstat`, a countdown, a wait): no prompt until it calls
   * `ctx.finish()` from a later timer or answer, or until the operator presses Ctrl-C (then `interrupt`).
   */
  | 'running'
  /** The command asked a question with `ctx.ask`; the answer arrives in `answer`. */
  | 'asking';

export interface CommandDefinition {
  /** Word path, e.g. 'cf status', 'storage show disk', 'sysconfig -r', 'halt'. Lower case, single spaces. */
  readonly name: string;
  /** One short line for `help` and `?` listings. */
  readonly synopsis: string;
  /** Usage lines without the leading "usage: ", printed on bad arguments, `help <cmd>` and `<cmd> ?`. */
  readonly usage: readonly string[];
  /** The lowest privilege that sees and runs this command. */
  readonly privilege: PrivilegeLevel;
  /**
   * Words that may follow this command's name (flags, sub-words, `@disks` style placeholders are not
   * expanded), for Tab completion. Sub-commands registered as their own definitions complete anyway.
   */
  readonly completions?: readonly string[];
  /**
   * A placeholder gives way to a definition with the same name registered elsewhere (e.g. `cf takeover`
   * answers "HA is not running" until the HA subsystem registers the real one).
   */
  readonly placeholder?: boolean;
  /** Runs the command. Must not throw for any args: bad input prints the usage via `ctx.usage()`. */
  run(args: readonly string[], ctx: CommandContext): CommandOutcome;
  /** The operator's answer to a question asked with `ctx.ask` (trimmed; '' when just Enter). */
  answer?(answer: string, resume: Payload, ctx: CommandContext): CommandOutcome;
  /** A timer the command started with `ctx.setTimer` fired. */
  timer?(payload: Payload, ctx: CommandContext): CommandOutcome;
  /** Ctrl-C while the command holds the console. The console prints `^C` and, after this, the prompt. */
  interrupt?(ctx: CommandContext): void;
}

/** What a command sees of the world: the filer, the actor's narrow door, and the console's output. */
export interface CommandContext {
  /** The whole filer: `filer.config`, `filer.chassis`, other subsystems via `subsystemState(filer, name)`. */
  readonly filer: FilerState;
  /** The actor context of the event being handled (now, random, linkUp, setPortEnabled, publish…). */
  readonly actor: ActorContext;
  /** Virtual time now. */
  readonly now: Micros;
  /** The host name the console speaks as: the filer's own, or its partner's after `partner`. */
  readonly hostname: string;
  /** The filer's own name (config), whatever `partner` says. */
  readonly localName: string;
  readonly privilege: PrivilegeLevel;
  /** The command table (for `help` and `?`). */
  readonly table: CommandTable;
  /** Writes one line of output; a CR LF is added. Output per command is bounded by the console. */
  print(line: string): void;
  /** Writes several lines. */
  printLines(lines: readonly string[]): void;
  /** Prints this command's usage lines ("usage: …") and returns 'done', for bad arguments. */
  usage(): 'done';
  /**
   * Asks a question (printed without newline, e.g. "really force a takeover? "); returns 'asking'.
   * `resume` is plain data handed back to `answer` with the operator's reply.
   */
  ask(question: string, resume: Payload): 'asking';
  /** Starts a timer whose payload comes back to this command's `timer`; bounded in number by the console. */
  setTimer(delayUs: Micros, payload: Payload): void;
  /** Releases the console after 'running': the prompt is printed. */
  finish(): void;
  /** Raises a lifecycle phase to every subsystem of the filer ('os-boot', 'os-halt'). */
  raise(phase: FilerLifecycle): void;
  /** Logs an EMS event: to the host's timeline (ctx.ems), the console, and /etc/messages. */
  ems(source: string, severity: EmsSeverity, text: string): void;
  /** Asks the console to halt the OS and return to the loader (`halt`), or to boot again (`reboot`). */
  shutdown(how: 'halt' | 'reboot'): void;
}

/**
 * What other subsystems tell the console, registered in commands.ts (CONSOLE_HOOKS). Each is optional;
 * the console asks every registered hook and combines the answers.
 */
export interface ConsoleHooks {
  /** Whether the OS has finished coming up (storage mounted…): the prompt appears once all say yes. */
  readonly bootReady?: (filer: FilerState) => boolean;
  /** Whether this filer has taken over its partner: the prompt becomes `filerA(takeover)>`. */
  readonly inTakeover?: (filer: FilerState) => boolean;
  /** The boot is held (waiting for giveback): the console keeps waiting, with no time limit. */
  readonly holdBoot?: (filer: FilerState) => boolean;
  /** Ctrl-C during a wait the subsystem started with `holdConsole` (e.g. "Waiting for giveback"). */
  readonly interruptWait?: (owner: string, ctx: CommandContext) => void;
}

/** Splits a typed line into words: blanks separate, double quotes group. Never throws. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quoted = false;
  let inWord = false;
  for (const char of line) {
    if (char === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (char === ' ' || char === '\t')) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
