// The OS prompt: `filerA> `, `filerA*> ` at advanced privilege, `filerA(takeover)> ` after a takeover,
// `filerB/filerA> ` while speaking as the partner.
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { CONSOLE_HOOKS } from './hooks.ts';
import { showPrompt } from './output.ts';
import type { ConsoleState } from './state.ts';

export function inTakeover(filer: FilerState): boolean {
  return CONSOLE_HOOKS.some((hooks) => hooks.inTakeover?.(filer) ?? false);
}

/** The host name commands speak as. */
export function hostnameOf(filer: FilerState, state: ConsoleState): string {
  const partner = filer.config.partner;
  return state.partnerMode && partner !== undefined ? partner : filer.config.name;
}

export function promptFor(filer: FilerState, state: ConsoleState): string {
  const star = state.privilege === 'admin' ? '' : '*';
  const partner = filer.config.partner;
  if (state.partnerMode && partner !== undefined) return `${partner}/${filer.config.name}${star}> `;
  const takeover = inTakeover(filer) ? '(takeover)' : '';
  return `${filer.config.name}${takeover}${star}> `;
}

/** The prompt at rest changed its form (a takeover began or ended): redraw it with the line typed so far. */
export function refreshOsPrompt(filer: FilerState, state: ConsoleState, ctx: ActorContext): void {
  if (state.mode !== 'prompt') return;
  const prompt = promptFor(filer, state);
  if (prompt === state.promptText) return;
  ctx.console('\r\x1b[K');
  showPrompt(state, ctx, prompt);
}

/** Back to the OS prompt: no job, a fresh line. */
export function showOsPrompt(filer: FilerState, state: ConsoleState, ctx: ActorContext): void {
  state.mode = 'prompt';
  state.job = null;
  showPrompt(state, ctx, promptFor(filer, state));
}
