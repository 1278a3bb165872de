// An xterm.js terminal bound to one filer's console: the scrollback first, then live bytes; keys go to
// the filer's line discipline (which lives in the emulator, so the terminal only draws and forwards).
// Copy with Ctrl+Shift+C (or selection + right button), paste with Ctrl+Shift+V or the browser's paste.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { onBeforeUnmount, onMounted } from 'vue';
import type { Ref } from 'vue';
import { useLabStore } from '../../stores/lab.ts';
import { withoutOverlap } from './overlap.ts';

export const SCROLLBACK_LINES = 10_000;

export function useConsoleTerminal(filer: string, element: Ref<HTMLElement | null>): { terminal: () => Terminal | undefined } {
  const lab = useLabStore();
  let terminal: Terminal | undefined;
  const disposers: (() => void)[] = [];

  onMounted(async () => {
    const host = element.value;
    if (!host) return;
    const term = new Terminal({
      scrollback: SCROLLBACK_LINES,
      fontSize: 13,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace',
      cursorBlink: true,
      theme: { background: '#0d0f12', foreground: '#d6dde6' },
    });
    terminal = term;
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    fit.fit();
    // Live bytes wait until the scrollback is drawn, so nothing is shown twice or out of order.
    const early: string[] = [];
    let scrollback: string | undefined;
    let first = true;
    disposers.push(lab.subscribeConsole(filer, (data) => {
      if (scrollback === undefined) {
        early.push(data);
        return;
      }
      term.write(first ? withoutOverlap(scrollback, data) : data);
      first = false;
    }));
    const typed = term.onData((data) => void lab.typeOnConsole(filer, data));
    disposers.push(() => typed.dispose());
    term.attachCustomKeyEventHandler((event) => clipboardKey(term, event));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host);
    disposers.push(() => observer.disconnect());
    try {
      scrollback = await lab.scrollback(filer);
    } catch {
      scrollback = '';
    }
    term.write(scrollback);
    // Deltas that came while the scrollback was on its way are in it, except what followed it.
    const pending = early.join('');
    if (pending) {
      term.write(withoutOverlap(scrollback, pending));
      first = false;
    }
    term.focus();
  });

  onBeforeUnmount(() => {
    for (const dispose of disposers.splice(0)) dispose();
    terminal?.dispose();
    terminal = undefined;
  });

  return { terminal: () => terminal };
}

function clipboardKey(term: Terminal, event: KeyboardEvent): boolean {
  if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
  if (event.code === 'KeyC') {
    const selection = term.getSelection();
    if (selection) void navigator.clipboard?.writeText(selection).catch(() => undefined);
    return false;
  }
  if (event.code === 'KeyV') {
    void navigator.clipboard?.readText().then((text) => term.paste(text)).catch(() => undefined);
    return false;
  }
  return true;
}
