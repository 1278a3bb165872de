// Runs what is typed at the OS prompt: resolves the words to a command, builds its CommandContext,
// and turns its outcome into the console's next mode. A command that throws is a bug, but the filer
// must not die of it: the console reports it and shows the prompt again.
import type { ActorContext, Payload } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { raiseLifecycle } from '../../hardware/filer/filer-actor.ts';
import { shutdownOs } from './boot.ts';
import { splitWords } from './command.ts';
import type { CommandContext, CommandDefinition, CommandOutcome } from './command.ts';
import { COMMANDS } from './commands.ts';
import { logEms } from '../ems.ts';
import { helpForWords } from './help.ts';
import { showPrompt, toTerminal, CRLF } from './output.ts';
import { hostnameOf, showOsPrompt } from './prompt.ts';
import { resolveCommand } from './registry.ts';
import { COMMAND_OUTPUT_MAX_BYTES, COMMAND_TIMERS_MAX } from './state.ts';
import type { ConsoleState } from './state.ts';

export const JOB_TIMER = 'console.job';

/** Handles one submitted line at the OS prompt. */
export function runLine(filer: FilerState, state: ConsoleState, ctx: ActorContext, line: string): void {
  const words = splitWords(line);
  state.outputBytes = 0;
  if (words.length === 0) return showOsPrompt(filer, state, ctx);
  state.commandsRun += 1;
  if (words[words.length - 1] === '?' || words[0] === '?') {
    const context = commandContext(filer, state, ctx, undefined);
    helpForWords(words.filter((word) => word !== '?'), context);
    return showOsPrompt(filer, state, ctx);
  }
  const resolved = resolveCommand(COMMANDS, words, state.privilege);
  const context = commandContext(filer, state, ctx, resolved.kind === 'command' ? resolved.definition : undefined);
  if (resolved.kind === 'unknown') {
    context.print(`${resolved.word} not found.  Type '?' for a list of commands`);
    return showOsPrompt(filer, state, ctx);
  }
  if (resolved.kind === 'group') {
    helpForWords(resolved.prefix.split(' '), context);
    return showOsPrompt(filer, state, ctx);
  }
  state.job = { command: resolved.definition.name, state: 'running', resume: null, timers: 0 };
  state.mode = 'job';
  const outcome = guarded(context, () => resolved.definition.run(resolved.args, context));
  settle(filer, state, ctx, outcome, resolved.definition);
}

/** The operator answered the job's question. */
export function answerJob(filer: FilerState, state: ConsoleState, ctx: ActorContext, answer: string): void {
  const job = state.job;
  const definition = job ? COMMANDS.byName.get(job.command) : undefined;
  if (!job || !definition?.answer) return showOsPrompt(filer, state, ctx);
  const resume = job.resume ?? { kind: 'none' };
  job.state = 'running';
  job.resume = null;
  const context = commandContext(filer, state, ctx, definition);
  settle(filer, state, ctx, guarded(context, () => definition.answer!(answer.trim(), resume, context)), definition);
}

/** A job's timer fired (`payload.inner` is the command's own payload). */
export function jobTimer(filer: FilerState, state: ConsoleState, ctx: ActorContext, payload: Payload): void {
  const job = state.job;
  if (!job || job.command !== payload['command']) return;
  job.timers = Math.max(0, job.timers - 1);
  const definition = COMMANDS.byName.get(job.command);
  const inner = payload['inner'] as Payload | undefined;
  if (!definition?.timer || !inner) return;
  const context = commandContext(filer, state, ctx, definition);
  settle(filer, state, ctx, guarded(context, () => definition.timer!(inner, context)), definition);
}

/** Ctrl-C while a command or a wait holds the console. */
export function interruptJob(filer: FilerState, state: ConsoleState, ctx: ActorContext): void {
  const job = state.job;
  if (!job) return showOsPrompt(filer, state, ctx);
  const definition = COMMANDS.byName.get(job.command);
  const context = commandContext(filer, state, ctx, definition);
  guarded(context, () => {
    definition?.interrupt?.(context);
    return 'done';
  });
  state.generation += 1; // the job's pending timers are now stale
  if (state.mode === 'job') showOsPrompt(filer, state, ctx);
}

function settle(filer: FilerState, state: ConsoleState, ctx: ActorContext, outcome: CommandOutcome, definition: CommandDefinition | undefined): void {
  // The prompt is already back (the command called finish) or the OS went down (halt, reboot).
  if (state.mode !== 'job') return;
  if (outcome === 'done' || !definition || !state.job) return showOsPrompt(filer, state, ctx);
  state.job.state = outcome;
  if (outcome === 'running' && state.job.timers === 0 && !definition.interrupt) {
    // Nothing can ever finish this job: do not leave the console without a prompt.
    return showOsPrompt(filer, state, ctx);
  }
}

function guarded(context: CommandContext, run: () => CommandOutcome): CommandOutcome {
  try {
    return run();
  } catch (error) {
    context.print(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    return 'done';
  }
}

export function commandContext(filer: FilerState, state: ConsoleState, ctx: ActorContext, definition: CommandDefinition | undefined): CommandContext {
  const write = (text: string): void => {
    if (state.outputBytes > COMMAND_OUTPUT_MAX_BYTES) return;
    state.outputBytes += text.length;
    if (state.outputBytes > COMMAND_OUTPUT_MAX_BYTES) {
      ctx.console(`*** output truncated ***${CRLF}`);
      return;
    }
    ctx.console(text);
  };
  const context: CommandContext = {
    filer,
    actor: ctx,
    now: ctx.now,
    hostname: hostnameOf(filer, state),
    localName: filer.config.name,
    privilege: state.privilege,
    table: COMMANDS,
    print: (line) => write(toTerminal(line) + CRLF),
    printLines: (lines) => lines.forEach((line) => write(toTerminal(line) + CRLF)),
    usage: () => {
      for (const line of definition?.usage ?? []) write(`usage: ${toTerminal(line)}${CRLF}`);
      return 'done';
    },
    ask: (question, resume) => {
      if (state.job) {
        state.job.state = 'asking';
        state.job.resume = resume;
      }
      state.mode = 'job';
      showPrompt(state, ctx, question);
      return 'asking';
    },
    setTimer: (delayUs, payload) => {
      const job = state.job;
      if (!job || !definition || job.timers >= COMMAND_TIMERS_MAX) return;
      job.timers += 1;
      ctx.setTimer(Math.max(0, delayUs), { kind: JOB_TIMER, generation: state.generation, command: definition.name, inner: payload });
    },
    finish: () => {
      if (state.mode === 'job') showOsPrompt(filer, state, ctx);
    },
    raise: (phase) => raiseLifecycle(filer, phase, ctx),
    ems: (source, severity, text) => logEms(filer, ctx, source, severity, text),
    shutdown: (how) => shutdownOs(filer, state, ctx, how),
  };
  return context;
}
