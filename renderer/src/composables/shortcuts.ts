// Keyboard shortcuts of the lab window, as a pure table from key to intention (tested without a DOM);
// keys typed into a field or a console are not shortcuts.
import type { Pace } from '../stores/lab-types.ts';

export type Shortcut =
  | { readonly kind: 'pace'; readonly pace: Pace['speed'] | 'pause' | 'step' }
  | { readonly kind: 'theme' }
  | { readonly kind: 'fit' };

const KEYS: Record<string, Shortcut> = {
  ' ': { kind: 'pace', pace: 'pause' },
  '.': { kind: 'pace', pace: 'step' },
  '1': { kind: 'pace', pace: 1 },
  '2': { kind: 'pace', pace: 10 },
  '0': { kind: 'pace', pace: 'max' },
  t: { kind: 'theme' },
};

export const SHORTCUT_HELP = 'Space pause/resume · . step · 1 1x · 2 10x · 0 max · t theme';

export function shortcutFor(key: string, target: { tagName?: string; isContentEditable?: boolean; closest?: (selector: string) => unknown } | null, modifiers = false): Shortcut | undefined {
  if (modifiers) return undefined;
  const tag = target?.tagName?.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select' || target?.isContentEditable) return undefined;
  if (target?.closest?.('.xterm, [data-console]')) return undefined;
  return KEYS[key];
}
