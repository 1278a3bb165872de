// An xterm.js terminal bound to one filer's console. It runs on a real PTY on the host when the host
// offers one (`filerlab console <filer>`, DESIGN.md §7), else on the lab protocol directly; either
// way the scrollback comes first, then live bytes, and the line discipline stays in the emulator.
// Copy with Ctrl+Shift+C (or selection + right button), paste with Ctrl+Shift+V or the browser's paste.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { onBeforeUnmount, onMounted, ref } from 'vue';
import type { Ref } from 'vue';
import { useLabStore } from '../../stores/lab.ts';
import { attachDirect } from './direct-feed.ts';
import { attachPty } from './pty-feed.ts';
import type { ConsoleFeed } from './pty-feed.ts';

export const SCROLLBACK_LINES = 10_000;

/** How the pane reaches the console: a host PTY, the lab protocol, or a PTY whose process ended. */
export type ConsoleLink = 'connecting' | 'pty' | 'direct' | 'ended';

export function useConsoleTerminal(filer: string, element: Ref<HTMLElement | null>): { terminal: () => Terminal | undefined; link: Ref<ConsoleLink> } {
  const lab = useLabStore();
  const link = ref<ConsoleLink>('connecting');
  let terminal: Terminal | undefined;
  let feed: ConsoleFeed | undefined;
  let unmounted = false;
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
    term.attachCustomKeyEventHandler((event) => clipboardKey(term, event));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host);
    disposers.push(() => observer.disconnect());
    const transport = lab.hostTransport();
    const ptyFeed = transport && await attachPty(transport, filer, term, {
      exited: (code) => {
        link.value = 'ended';
        term.write(`\r\n\x1b[2m[filerlab: the console process ended (code ${code}); reopen the tab to attach again]\x1b[0m\r\n`);
      },
    });
    feed = ptyFeed ?? await attachDirect(lab, filer, term);
    if (unmounted) {
      feed.dispose();
      return;
    }
    link.value = ptyFeed ? 'pty' : 'direct';
    term.focus();
  });

  onBeforeUnmount(() => {
    unmounted = true;
    feed?.dispose();
    feed = undefined;
    for (const dispose of disposers.splice(0)) dispose();
    terminal?.dispose();
    terminal = undefined;
  });

  return { terminal: () => terminal, link };
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
