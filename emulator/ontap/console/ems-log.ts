// The EMS log of a filer: every event goes to the host's timeline (ctx.ems), to the console (as Data
// ONTAP prints it, above the line being typed) and to the bounded /etc/messages kept by the console.
// Any subsystem logs through `logEms`, so that `rdfile /etc/messages` shows what the timeline shows.
import type { ActorContext, EmsSeverity } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { emsStamp } from './clock.ts';
import { printAbovePrompt } from './output.ts';
import { consoleStateOf, MESSAGES_MAX } from './state.ts';

const EMS_SOURCE_PATTERN = /^[A-Za-z0-9_.]{1,64}$/;

/** `Mon Jun  3 09:00:05 GMT [filerA: cf.fsm.stateTransit:warning]: text` */
export function emsLine(filer: FilerState, nowUs: number, source: string, severity: EmsSeverity, text: string): string {
  return `${emsStamp(nowUs)} [${filer.config.name}: ${source}:${severity}]: ${text}`;
}

/**
 * Puts an event already on the timeline into /etc/messages and, unless it is debug, on the console
 * above the line being typed (the hardware's messages come this way: the chassis logs them itself).
 * Returns whether it was printed: a console that is dark or frozen prints nothing.
 */
export function recordEms(filer: FilerState, ctx: ActorContext, source: string, severity: EmsSeverity, text: string): boolean {
  const state = consoleStateOf(filer);
  if (!state) return false;
  const safeSource = EMS_SOURCE_PATTERN.test(source) ? source : 'ems.badSource';
  const line = emsLine(filer, ctx.now, safeSource, severity, text.replace(/[\r\n]+/g, ' ').slice(0, 512));
  state.messages.push(line);
  if (state.messages.length > MESSAGES_MAX) state.messages.splice(0, state.messages.length - MESSAGES_MAX);
  if (severity === 'debug' || state.mode === 'dark' || state.mode === 'frozen') return false;
  printAbovePrompt(filer, state, ctx, line);
  return true;
}
