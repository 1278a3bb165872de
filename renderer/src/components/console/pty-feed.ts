// A console pane fed by a real PTY on the host (DESIGN.md §7): the host runs `filerlab console
// <filer>` on a pseudo-terminal, which prints the scrollback on attach and then the live console; the
// pane only draws the PTY's bytes, sends it keys, pastes and its size. Undefined when the host
// offers no PTY (the pane then talks to the lab directly: direct-feed.ts).
import type { Terminal } from '@xterm/xterm';
import { PTY_DATA_MAX } from '../../../../emulator/protocol/channels.ts';
import type { HostEvent, Transport } from '../../../../emulator/protocol/channels.ts';

export interface ConsoleFeed {
  dispose(): void;
}

export interface PtyFeedEvents {
  /** The PTY's process ended: `filerlab console` detached (Ctrl-]) or lost the lab. */
  exited(code: number): void;
}

export async function attachPty(transport: Transport, filer: string, term: Terminal, events: PtyFeedEvents): Promise<ConsoleFeed | undefined> {
  // Output may come before the open's answer (IPC events and replies travel apart): hold it till then.
  const early: HostEvent[] = [];
  let id: number | undefined;
  const handle = (event: HostEvent): void => {
    if (event.type === 'pty.data' && event.id === id) term.write(event.data);
    if (event.type === 'pty.exit' && event.id === id) {
      id = undefined;
      events.exited(event.code);
    }
  };
  const unsubscribe = transport.subscribe((event) => {
    if (event.type !== 'pty.data' && event.type !== 'pty.exit') return;
    if (id === undefined) early.push(event);
    else handle(event);
  });
  try {
    ({ id } = await transport.request('pty.open', { filer, cols: term.cols, rows: term.rows }));
  } catch {
    unsubscribe();
    return undefined;
  }
  for (const event of early.splice(0)) handle(event);
  const typed = term.onData((data) => {
    if (id === undefined) return;
    for (let start = 0; start < data.length; start += PTY_DATA_MAX) {
      void transport.request('pty.input', { id, data: data.slice(start, start + PTY_DATA_MAX) }).catch(() => undefined);
    }
  });
  const resized = term.onResize(({ cols, rows }) => {
    if (id !== undefined) void transport.request('pty.resize', { id, cols, rows }).catch(() => undefined);
  });
  return {
    dispose() {
      typed.dispose();
      resized.dispose();
      unsubscribe();
      if (id !== undefined) void transport.request('pty.close', { id }).catch(() => undefined);
      id = undefined;
    },
  };
}
