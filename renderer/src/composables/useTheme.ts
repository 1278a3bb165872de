// Light and dark themes: the system's preference until the trainee picks one, then their choice
// (kept in localStorage). The theme is a data attribute on <html>; the CSS variables do the rest.
import { ref, watchEffect } from 'vue';

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'filerlab.theme';

function initialTheme(): Theme {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return globalThis.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

const theme = ref<Theme>(initialTheme());

export function useTheme() {
  watchEffect(() => {
    document.documentElement.dataset.theme = theme.value;
  });
  function toggle(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
    globalThis.localStorage?.setItem(STORAGE_KEY, theme.value);
  }
  return { theme, toggle };
}
