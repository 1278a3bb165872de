// Tab completion of command words at the OS prompt: a single candidate is completed (with a space), a
// common prefix is extended, and several candidates are listed under the line, which is drawn again.
import type { ActorContext } from '../../engine/actor.ts';
import { splitWords } from './command.ts';
import { COMMANDS } from './commands.ts';
import { columns } from './help.ts';
import { insertText } from './line-editor.ts';
import { CRLF, showPrompt } from './output.ts';
import { nextWords } from './registry.ts';
import type { ConsoleState } from './state.ts';

const CANDIDATES_SHOWN_MAX = 200;

export function completeLine(state: ConsoleState, ctx: ActorContext): void {
  const editor = state.editor;
  const head = editor.line.slice(0, editor.cursor);
  const endsInBlank = head.length === 0 || head.endsWith(' ');
  const words = splitWords(head);
  const partial = endsInBlank ? '' : (words.pop() ?? '');
  const candidates = nextWords(COMMANDS, words, state.privilege).filter((word) => word.startsWith(partial.toLowerCase()));
  if (candidates.length === 0) {
    ctx.console('\x07');
    return;
  }
  if (candidates.length === 1) {
    ctx.console(insertText(editor, `${candidates[0].slice(partial.length)} `));
    return;
  }
  const common = commonPrefix(candidates);
  if (common.length > partial.length) {
    ctx.console(insertText(editor, common.slice(partial.length)));
    return;
  }
  ctx.console(CRLF + columns(candidates.slice(0, CANDIDATES_SHOWN_MAX)).join(CRLF) + CRLF);
  showPrompt(state, ctx, state.promptText);
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0];
  for (const word of words) {
    while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}
