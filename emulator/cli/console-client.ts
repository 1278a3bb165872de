// A small client of the lab host's WebSocket protocol (emulator/host/server/frames.ts) for one filer's
// console: it fetches the scrollback, then streams the live bytes, and sends keystrokes as console
// input. Used by `filerlab console` and by the tests.
import WebSocket from 'ws';
import { hostEventSchema } from '../protocol/channels.ts';
import type { HostEvent, LabView, RequestArgs, RequestChannel, RequestResult } from '../protocol/channels.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class LabSocketClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: HostEvent) => void>();
  private closeListeners: ((reason: string) => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(data.toString()));
    socket.on('close', () => this.closed('the lab host closed the connection'));
    socket.on('error', (error) => this.closed(error.message));
  }

  static connect(url: string, timeoutMs = 5_000): Promise<LabSocketClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
      socket.once('open', () => resolve(new LabSocketClient(socket)));
      socket.once('error', (error) => reject(error));
    });
  }

  request<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResult<C>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ type: 'request', id, channel, args }));
    });
  }

  onEvent(listener: (event: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  close(): void {
    this.closeListeners = [];
    this.socket.close();
  }

  private receive(text: string): void {
    let frame: { type?: string; id?: number; ok?: boolean; result?: unknown; error?: string; event?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    if (frame.type === 'response' && typeof frame.id === 'number') {
      const pending = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      if (!pending) return;
      if (frame.ok) pending.resolve(frame.result);
      else pending.reject(new Error(frame.error ?? 'request failed'));
      return;
    }
    if (frame.type === 'event') {
      const parsed = hostEventSchema.safeParse(frame.event);
      if (parsed.success) for (const listener of this.listeners) listener(parsed.data);
    }
  }

  private closed(reason: string): void {
    for (const pending of this.pending.values()) pending.reject(new Error(reason));
    this.pending.clear();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener(reason);
  }
}

export function filersOf(view: LabView): string[] {
  return view.topology.actors.filter((actor) => actor.kind === 'filer').map((actor) => actor.id);
}

/**
 * The scrollback may already hold bytes the next delta will carry again (the host keeps the transcript
 * ahead of its throttled deltas): drop from the first delta the longest start that ends the scrollback.
 */
export function withoutOverlap(scrollback: string, delta: string): string {
  const max = Math.min(scrollback.length, delta.length);
  if (max === 0) return delta;
  // Linear (Knuth–Morris–Pratt): trying every length with endsWith was quadratic, minutes for a
  // 256 KiB delta after a big paste. `border[i]`: the longest proper border of delta[0..i].
  const pattern = delta.slice(0, max);
  const border = new Int32Array(max);
  for (let i = 1, k = 0; i < max; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = border[k - 1];
    if (pattern[i] === pattern[k]) k++;
    border[i] = k;
  }
  // Run the scrollback's last `max` characters through it: the match length at the end is the overlap.
  let matched = 0;
  for (let i = scrollback.length - max; i < scrollback.length; i++) {
    while (matched > 0 && (matched === max || scrollback[i] !== pattern[matched])) matched = border[matched - 1];
    if (scrollback[i] === pattern[matched]) matched++;
  }
  return delta.slice(matched);
}
