// Ctrl-Z (⌘Z) is Undo in the lab window, except where it means something else: in a console it is the
// terminal's key (the filer gets it), in a field the field's own undo.
import { isTypingTarget } from './shortcuts.ts';
import type { KeyTarget } from './shortcuts.ts';

export function isUndoKey(event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }, target: KeyTarget): boolean {
  if (event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return false;
  return !isTypingTarget(target);
}
