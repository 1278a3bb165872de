// One UI connection's share of the host's console PTYs (PtySessions): the PTYs it opened, their
// output sent to it alone, and all of them closed when the connection goes away. The WebSocket
// session and Electron's IPC wiring each hold one per connection; the dispatcher answers `pty.*`
// requests through it, so a connection can neither see nor drive another's PTYs.
import { PTY_DATA_MAX } from '../protocol/channels.ts';
import type { HostEvent } from '../protocol/channels.ts';
import type { Disposable } from './lab-host.ts';
import type { PtySessions } from './pty-sessions.ts';

/**
 * PTYs one connection may hold at once: half the host's PTY_SESSIONS_MAX (16, pty-sessions.ts, not
 * imported here so that this file does not load node-pty), so that one client cannot take them all.
 */
export const PTYS_PER_CONNECTION_MAX = 8;

export class PtyConnection implements Disposable {
  private readonly owned = new Set<number>();
  private readonly subscription: Disposable;
  private disposed = false;

  /** `send` pushes one host event to this connection only. */
  constructor(private readonly sessions: PtySessions, private readonly send: (event: HostEvent) => void) {
    this.subscription = sessions.onDidEvent((event) => {
      if (!this.owned.has(event.id)) return;
      if (event.type === 'data') {
        const data = event.data ?? '';
        // A burst (the scrollback on attach) is cut to the protocol's chunk size, never dropped.
        for (let start = 0; start < data.length; start += PTY_DATA_MAX) {
          this.send({ type: 'pty.data', id: event.id, data: data.slice(start, start + PTY_DATA_MAX) });
        }
        return;
      }
      this.owned.delete(event.id);
      this.send({ type: 'pty.exit', id: event.id, code: event.exitCode ?? 0 });
    });
  }

  /** Opens a PTY for this connection; throws the reason (the dispatcher answers it as an error). */
  open(filer: string, cols: number, rows: number): { id: number } {
    if (this.disposed) throw new Error('the connection is closed');
    if (this.owned.size >= PTYS_PER_CONNECTION_MAX) throw new Error(`at most ${PTYS_PER_CONNECTION_MAX} console sessions per connection; close one first`);
    const opened = this.sessions.open(filer, cols, rows);
    if (!opened.ok) throw new Error(opened.error);
    this.owned.add(opened.id);
    return { id: opened.id };
  }

  input(id: number, data: string): { ok: boolean } {
    return { ok: this.owned.has(id) && this.sessions.write(id, data) };
  }

  resize(id: number, cols: number, rows: number): { ok: boolean } {
    return { ok: this.owned.has(id) && this.sessions.resize(id, cols, rows) };
  }

  close(id: number): { ok: boolean } {
    if (!this.owned.delete(id)) return { ok: false };
    return { ok: this.sessions.close(id) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    for (const id of this.owned) this.sessions.close(id);
    this.owned.clear();
  }
}
