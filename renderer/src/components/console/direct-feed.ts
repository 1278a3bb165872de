// A console pane fed over the lab protocol itself, for a host that offers no PTY: the host's
// scrollback first, then the console bytes of each delta; keys go to the lab as console input.
import type { Terminal } from '@xterm/xterm';
import type { useLabStore } from '../../stores/lab.ts';
import { withoutOverlap } from './overlap.ts';
import type { ConsoleFeed } from './pty-feed.ts';

export async function attachDirect(lab: ReturnType<typeof useLabStore>, filer: string, term: Terminal): Promise<ConsoleFeed> {
  // Live bytes wait until the scrollback is drawn, so nothing is shown twice or out of order.
  const early: string[] = [];
  let scrollback: string | undefined;
  let first = true;
  const unsubscribe = lab.subscribeConsole(filer, (data) => {
    if (scrollback === undefined) {
      early.push(data);
      return;
    }
    term.write(first ? withoutOverlap(scrollback, data) : data);
    first = false;
  });
  const typed = term.onData((data) => void lab.typeOnConsole(filer, data));
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
  return {
    dispose() {
      unsubscribe();
      typed.dispose();
    },
  };
}
