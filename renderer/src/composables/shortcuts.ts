// Keyboard shortcuts of the lab window, as a pure table from key to intention (tested without a DOM);
// keys typed into a field or a console are not shortcuts.
import type { Pace } from '../stores/lab-types.ts';

export type Shortcut =
  | { readonly kind: 'pace'; readonly pace: Pace['speed'] | 'pause' | 'step' }
  | { readonly kind: 'theme' }
  | { readonly kind: 'help' }
  | { readonly kind: 'fit' };

const KEYS: Record<string, Shortcut> = {
  ' ': { kind: 'pace', pace: 'pause' },
  '.': { kind: 'pace', pace: 'step' },
  '1': { kind: 'pace', pace: 1 },
  '2': { kind: 'pace', pace: 10 },
  '0': { kind: 'pace', pace: 'max' },
  t: { kind: 'theme' },
  '?': { kind: 'help' },
};

/** The keys and mouse actions as the `?` overlay lists them (and the pace buttons' tooltip). */
export const SHORTCUT_LIST: ReadonlyArray<{ readonly keys: string; readonly what: string }> = [
  { keys: 'Space', what: 'pause, or resume at the last speed' },
  { keys: '.', what: 'step one event' },
  { keys: '1', what: 'run at 1x (real time)' },
  { keys: '2', what: 'run at 10x' },
  { keys: '0', what: 'run as fast as possible' },
  { keys: 't', what: 'dark or light theme' },
  { keys: '?', what: 'this list (Esc closes it)' },
  { keys: 'Ctrl-Z', what: 'undo the last cable, fault, repair or power action (not in a console)' },
  { keys: 'click a part', what: 'inspect it; click a shelf bay to inspect its disk' },
  { keys: 'right-click a part', what: 'faults, power, HA actions' },
  { keys: 'click a cable end', what: 'pull or plug that cable' },
  { keys: 'wheel / drag / double-click', what: 'zoom / pan / fit the diagram' },
  { keys: 'hover a timeline row', what: 'what the event means; its part lights up' },
];

export const SHORTCUT_HELP = 'Space pause/resume · . step · 1 1x · 2 10x · 0 max · t theme · ? all keys';

export type KeyTarget = { tagName?: string; isContentEditable?: boolean; closest?: (selector: string) => unknown } | null;

export function shortcutFor(key: string, target: KeyTarget, modifiers = false): Shortcut | undefined {
  if (modifiers || isTypingTarget(target)) return undefined;
  return KEYS[key];
}

/** A field or a console: keys typed there are theirs, not the window's. */
export function isTypingTarget(target: KeyTarget): boolean {
  const tag = target?.tagName?.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select' || target?.isContentEditable) return true;
  return Boolean(target?.closest?.('.xterm, [data-console]'));
}
