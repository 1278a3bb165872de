// One WebSocket client of the lab host: its requests are validated and dispatched, host events are
// pushed to it. A client that falls behind (a background tab) is not fed an ever-growing queue: its
// deltas are skipped and, once it has drained, it gets one lab.reset with the whole view instead.
import type { WebSocket } from 'ws';
import type { HostEvent } from '../../protocol/channels.ts';
import { dispatchRequest } from '../ipc-dispatch.ts';
import type { DispatchLog } from '../ipc-dispatch.ts';
import type { Disposable, LabHost } from '../lab-host.ts';
import { PtyConnection } from '../pty-connection.ts';
import type { PtySessions } from '../pty-sessions.ts';
import { parseClientFrame } from './frames.ts';
import type { ServerFrame } from './frames.ts';

/** Above this many unsent bytes a client counts as behind. */
export const BEHIND_BYTES = 4 * 1_048_576;

export class SocketSession implements Disposable {
  private readonly subscription: Disposable;
  /** This client's console PTYs, closed with it; undefined when the server offers none. */
  private readonly ptys: PtyConnection | undefined;
  private behind = false;
  private disposed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly host: LabHost,
    private readonly log: DispatchLog,
    ptySessions?: PtySessions,
  ) {
    this.subscription = host.onDidEmit((event) => this.forward(event));
    // PTY output is never skipped like a delta: a terminal cannot be resynchronized by a reset.
    this.ptys = ptySessions && new PtyConnection(ptySessions, (event) => this.send({ type: 'event', event }));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.log('dropped frame: binary frames are not part of the protocol');
        return;
      }
      void this.receive(data.toString());
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (error) => this.log(`socket error: ${error.message}`));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.ptys?.dispose();
  }

  private async receive(text: string): Promise<void> {
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      this.log(`dropped frame: ${parsed.reason}`);
      return;
    }
    const { id, channel, args } = parsed.frame;
    const outcome = await dispatchRequest(this.host, channel, args, this.log, this.ptys);
    this.send(outcome.ok ? { type: 'response', id, ok: true, result: outcome.result } : { type: 'response', id, ok: false, error: outcome.error });
  }

  private forward(event: HostEvent): void {
    if (this.disposed) return;
    if (this.socket.bufferedAmount > BEHIND_BYTES) {
      this.behind = true;
      return;
    }
    if (this.behind && event.type === 'lab.delta') {
      this.behind = false;
      this.send({ type: 'event', event: { type: 'lab.reset', view: this.host.view() } });
      return;
    }
    this.behind = false;
    this.send({ type: 'event', event });
  }

  private send(frame: ServerFrame): void {
    if (this.disposed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify(frame));
  }
}
