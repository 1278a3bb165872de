// The filer's serial console as a FilerSubsystem (DESIGN.md §7): it takes the raw bytes typed on the
// console (ActorInput 'console'), runs them through the line discipline, and hands complete lines to
// the loader or to the OS command executor. It drives the boot (it is the filer's boot driver) and
// keeps /etc/messages. Deterministic: everything it knows is in its state slot.
import type { ActorContext, Payload } from '../../engine/actor.ts';
import type { BootDriver } from '../../hardware/filer/filer-actor.ts';
import type { FilerLifecycle, FilerState, FilerSubsystem } from '../../hardware/filer/subsystem.ts';
import { BOOT_TIMER, bootTimerFired, powerOnConsole, showLoader, startBoot, startFirmware } from './boot.ts';
import { completeLine } from './complete.ts';
import { recordEms } from './ems-log.ts';
import { answerJob, interruptJob, JOB_TIMER, jobTimer, runLine } from './executor.ts';
import { feedKey, resetLine } from './line-editor.ts';
import type { KeyAction } from './line-editor.ts';
import { runLoaderLine } from './loader.ts';
import { CRLF, showPrompt } from './output.ts';
import { showOsPrompt } from './prompt.ts';
import { CONSOLE_SUBSYSTEM, createConsoleState } from './state.ts';
import type { ConsoleState } from './state.ts';

/** Characters taken from one console input; the protocol caps an input at 64 KiB anyway. */
const INPUT_CHARS_MAX = 65_536;

export const consoleSubsystem: FilerSubsystem<ConsoleState> & BootDriver = {
  name: CONSOLE_SUBSYSTEM,
  drivesBoot: true,
  create: () => createConsoleState(),
  handle(state, filer, event, ctx) {
    switch (event.type) {
      case 'input':
        if (event.input.kind === 'console') {
          typeOnConsole(filer, state, ctx, event.input.data);
          return true;
        }
        return false;
      case 'timer':
        return timerFired(filer, state, ctx, event.payload);
      default:
        return false;
    }
  },
  lifecycle(state, filer, phase, ctx) {
    lifecycleOfConsole(filer, state, phase, ctx);
    return state;
  },
  // The hardware's messages go to /etc/messages like any EMS event, and on the console as ONTAP prints them.
  systemLog: (_state, filer, message, ctx) => recordEms(filer, ctx, message.source, message.severity, message.text),
  summarize(state, filer) {
    return {
      filers: {
        [filer.self]: {
          console: { mode: state.mode, privilege: state.privilege, prompt: state.promptText.trimEnd() },
        },
      },
    };
  },
};

function timerFired(filer: FilerState, state: ConsoleState, ctx: ActorContext, payload: Payload): boolean {
  if (payload.kind === BOOT_TIMER) {
    bootTimerFired(filer, state, ctx, payload);
    return true;
  }
  if (payload.kind === JOB_TIMER) {
    if (payload['generation'] === state.generation && state.mode === 'job') jobTimer(filer, state, ctx, payload);
    return true;
  }
  return false;
}

function lifecycleOfConsole(filer: FilerState, state: ConsoleState, phase: FilerLifecycle, ctx: ActorContext): void {
  switch (phase) {
    case 'power-on':
      powerOnConsole(filer, state, ctx);
      return;
    case 'power-off':
    case 'panic':
    case 'hang':
      state.mode = phase === 'power-off' ? 'dark' : 'frozen';
      state.promptText = '';
      state.job = null;
      state.partnerMode = false;
      state.privilege = 'admin';
      state.generation += 1;
      if (state.bootedAtUs !== null) state.downSinceUs = ctx.now;
      state.bootedAtUs = null;
      resetLine(state.editor);
      return;
    case 'reset':
      // Reset pressed (or the panic's core dump done): the firmware runs again and boots by itself.
      state.generation += 1;
      startFirmware(filer, state, ctx, 'autoboot');
      return;
    case 'resume':
      // The hang is over; the machine picks up where it stopped: the OS prompt, the loader prompt (a
      // filer hung at LOADER takes boot_ontap again), or the boot under way.
      if (filer.chassis.boot === 'running') {
        state.bootedAtUs = state.bootedAtUs ?? ctx.now;
        showOsPrompt(filer, state, ctx);
      } else if (filer.chassis.boot === 'loader' || filer.chassis.boot === 'halted') {
        showLoader(filer, state, ctx);
      } else if (filer.chassis.boot === 'firmware') {
        // The hang swallowed the self test's timer: it runs again.
        startFirmware(filer, state, ctx, state.afterFirmware);
      } else {
        // Hung while the OS was loading: the boot starts over from the kernel load.
        state.generation += 1;
        startBoot(filer, state, ctx);
      }
      return;
    case 'os-boot':
    case 'os-halt':
      return;
  }
}

/** Feeds typed bytes through the line discipline, one character at a time. */
export function typeOnConsole(filer: FilerState, state: ConsoleState, ctx: ActorContext, data: string): void {
  let count = 0;
  for (const key of data) {
    if (++count > INPUT_CHARS_MAX) break;
    feedOne(filer, state, ctx, key);
  }
}

function feedOne(filer: FilerState, state: ConsoleState, ctx: ActorContext, key: string): void {
  switch (state.mode) {
    case 'dark':
    case 'frozen':
      return;
    case 'booting':
      if (key === '\x03') ctx.console('^C');
      return;
    case 'job':
      if (state.job?.state !== 'asking') {
        if (key === '\x03') {
          ctx.console(`^C${CRLF}`);
          interruptJob(filer, state, ctx);
        }
        return;
      }
      break;
    case 'loader':
    case 'prompt':
      break;
  }
  const result = feedKey(state.editor, key, { history: state.mode !== 'job' });
  if (result.echo) ctx.console(result.echo);
  act(filer, state, ctx, result.action);
}

function act(filer: FilerState, state: ConsoleState, ctx: ActorContext, action: KeyAction): void {
  switch (action.kind) {
    case 'none':
      return;
    case 'redraw':
      ctx.console(CRLF);
      showPrompt(state, ctx, state.promptText);
      return;
    case 'complete':
      if (state.mode === 'prompt') completeLine(state, ctx);
      return;
    case 'interrupt':
      if (state.mode === 'job') return interruptJob(filer, state, ctx);
      showPrompt(state, ctx, state.promptText);
      return;
    case 'submit':
      // The prompt line is finished: output from now on starts on fresh lines.
      state.promptText = '';
      if (state.mode === 'loader') return runLoaderLine(filer, state, ctx, action.line);
      if (state.mode === 'job') return answerJob(filer, state, ctx, action.line);
      return runLine(filer, state, ctx, action.line);
  }
}
