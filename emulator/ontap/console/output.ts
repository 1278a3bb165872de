// Writing to the serial console: lines, prompts, and messages that arrive while a line is being typed
// (printed above it, then the prompt and the typed text drawn again, as a readline would).
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { ConsoleState } from './state.ts';

export const CRLF = '\r\n';

/** Converts bare LF to CR LF for the terminal. */
export function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, CRLF);
}

/** Shows a prompt (or question) and the line typed so far; the prompt is remembered for redraws. */
export function showPrompt(state: ConsoleState, ctx: ActorContext, promptText: string): void {
  state.promptText = promptText;
  ctx.console(promptText + state.editor.line + cursorBack(state.editor.line.length - state.editor.cursor));
}

/** Prints a line of asynchronous output (an EMS message) without tearing the line being typed. */
export function printAbovePrompt(_filer: FilerState, state: ConsoleState, ctx: ActorContext, line: string): void {
  if (state.mode === 'dark' || state.mode === 'frozen') return;
  if (state.promptText === '') {
    ctx.console(toTerminal(line) + CRLF);
    return;
  }
  ctx.console(`\r\x1b[K${toTerminal(line)}${CRLF}`);
  showPrompt(state, ctx, state.promptText);
}

function cursorBack(count: number): string {
  return count > 0 ? `\x1b[${count}D` : '';
}
