// The browser shell's Transport: a WebSocket to the page's own host (/lab). Requests wait for the
// socket; when it drops, pending requests fail and it reconnects with backoff, then fetches the whole
// view and hands it to subscribers as a lab.reset, so the rest of the UI never sees the difference.
import type { HostEvent, RequestArgs, RequestChannel, RequestResult, Transport } from '../../../emulator/protocol/channels.ts';
import { encodeRequest, parseServerFrame } from './frames.ts';
import { HostRequestError, resultOf } from './results.ts';
import type { Outcome } from './results.ts';

const REQUEST_TIMEOUT_MS = 30_000;
const RECONNECT_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000];

interface Pending {
  readonly resolve: (outcome: Outcome) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class WebSocketTransport implements Transport {
  private opened: Promise<WebSocket> | undefined;
  private nextId = 1;
  private reconnects = 0;
  /** Set when a connection was lost or never made: the next one starts with a lab.reset. */
  private needsResync = false;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: HostEvent) => void>();

  constructor(private readonly url: string) {}

  async request<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResult<C>> {
    const socket = await this.connect();
    const id = this.nextId++;
    const outcome = await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: 'no answer from the lab host' });
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      socket.send(encodeRequest(id, channel, args));
    });
    return resultOf(channel, outcome);
  }

  subscribe(listener: (event: HostEvent) => void): () => void {
    this.listeners.add(listener);
    void this.connect().catch(() => undefined);
    return () => this.listeners.delete(listener);
  }

  private connect(): Promise<WebSocket> {
    this.opened ??= new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(this.url);
      socket.onopen = () => {
        this.reconnects = 0;
        if (this.needsResync) void this.resynchronize().catch(() => undefined);
        this.needsResync = false;
        resolve(socket);
      };
      socket.onmessage = (message) => this.receive(String(message.data));
      // A failed or broken connection is followed by close, which does the work.
      socket.onerror = () => undefined;
      socket.onclose = () => {
        this.dropped();
        reject(new HostRequestError('lab.hello', 'the lab host is not reachable'));
      };
    });
    return this.opened;
  }

  private receive(text: string): void {
    const frame = parseServerFrame(text);
    if (!frame) {
      console.warn('filerlab: dropped a frame from the host that does not fit');
      return;
    }
    if (frame.type === 'event') {
      for (const listener of this.listeners) listener(frame.event);
      return;
    }
    const pending = this.pending.get(frame.id);
    if (!pending) return;
    this.pending.delete(frame.id);
    clearTimeout(pending.timer);
    pending.resolve(frame.ok ? { ok: true, result: frame.result } : { ok: false, error: frame.error });
  }

  private dropped(): void {
    this.opened = undefined;
    this.needsResync = true;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, error: 'the connection to the lab host was lost' });
      this.pending.delete(id);
    }
    if (this.listeners.size === 0) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.reconnects++, RECONNECT_DELAYS_MS.length - 1)];
    setTimeout(() => void this.connect().catch(() => undefined), delay);
  }

  private async resynchronize(): Promise<void> {
    const view = await this.request('lab.hello', {});
    for (const listener of this.listeners) listener({ type: 'lab.reset', view });
  }
}
