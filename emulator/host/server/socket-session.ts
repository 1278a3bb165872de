// One WebSocket client of the lab host: its requests are validated and dispatched, host events are
// pushed to it. A client that falls behind (a background tab) is not fed an ever-growing queue: its
// deltas are skipped and, once it has drained, it gets one lab.reset with the whole view instead.
// Whatever a client sends, the host stays up: every frame is answered (a refusal says why), the
// frames and bytes a connection may send are bounded by a rate, and so are its unanswered requests.
import type { WebSocket } from 'ws';
import type { HostEvent } from '../../protocol/channels.ts';
import { dispatchRequest, errorText } from '../ipc-dispatch.ts';
import type { DispatchLog } from '../ipc-dispatch.ts';
import type { Disposable, LabHost } from '../lab-host.ts';
import { PtyConnection } from '../pty-connection.ts';
import type { PtySessions } from '../pty-sessions.ts';
import { parseClientFrame, UNREADABLE_FRAME_ID } from './frames.ts';
import type { ServerFrame } from './frames.ts';

/** Above this many unsent bytes a client counts as behind. */
export const BEHIND_BYTES = 4 * 1_048_576;
/** Above this many unsent bytes a client that still sends requests is not reading: it is closed. */
export const STALLED_BYTES = 32 * 1_048_576;
/**
 * Requests of one connection being answered at once; more are refused until answers go out. Above
 * FRAME_BURST: a burst of quick requests arrives in one read and is all in flight for a moment.
 */
export const REQUESTS_IN_FLIGHT_MAX = 4_096;
/** A connection's frame rate: this many a second, in bursts of up to FRAME_BURST. */
export const FRAMES_PER_SECOND = 1_000;
export const FRAME_BURST = 2_000;
/** A connection's byte rate: this many a second, in bursts of up to BYTE_BURST. */
export const BYTES_PER_SECOND = 4 * 1_048_576;
export const BYTE_BURST = 8 * 1_048_576;
/** Logged refusals per connection, so that a flood does not flood the log too. */
const REFUSALS_LOGGED = 20;

/** Events go to every client alike: each is serialized once, not once per client. */
const serialized = new WeakMap<HostEvent, string>();

export class SocketSession implements Disposable {
  private readonly subscription: Disposable;
  /** This client's console PTYs, closed with it; undefined when the server offers none. */
  private readonly ptys: PtyConnection | undefined;
  private behind = false;
  private disposed = false;
  private inFlight = 0;
  private readonly frames = new TokenBucket(FRAMES_PER_SECOND, FRAME_BURST);
  private readonly bytes = new TokenBucket(BYTES_PER_SECOND, BYTE_BURST);
  private refusals = 0;

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
      // Nothing a frame holds may escape as an exception or a rejection: the host serves other clients.
      this.receive(data, isBinary).catch((error: unknown) => this.log(`frame failed: ${errorText(error)}`));
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (error) => this.log(`socket error: ${error.message}`));
  }

  /** Requests of this connection not answered yet. */
  get pending(): number {
    return this.inFlight;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.ptys?.dispose();
  }

  private async receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Promise<void> {
    const size = Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
    const overRate = !this.frames.take(1) ? `more than ${FRAMES_PER_SECOND} frames a second (bursts of ${FRAME_BURST})`
      : !this.bytes.take(size) ? `more than ${BYTES_PER_SECOND} bytes a second (bursts of ${BYTE_BURST})` : undefined;
    if (isBinary) {
      this.refuse(UNREADABLE_FRAME_ID, 'binary frames are not part of the protocol');
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data as ArrayBuffer).toString();
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      this.refuse(parsed.id, parsed.reason);
      return;
    }
    const { id, channel, args } = parsed.frame;
    if (overRate) {
      this.refuse(id, `rate limit: this connection sent ${overRate}; slow down and retry`);
      return;
    }
    if (this.inFlight >= REQUESTS_IN_FLIGHT_MAX) {
      this.refuse(id, `busy: ${REQUESTS_IN_FLIGHT_MAX} requests of this connection are still being answered; wait for their answers`);
      return;
    }
    this.inFlight++;
    try {
      const outcome = await dispatchRequest(this.host, channel, args, (text) => this.logRefusal(text), this.ptys);
      this.send(outcome.ok ? { type: 'response', id, ok: true, result: outcome.result } : { type: 'response', id, ok: false, error: outcome.error });
    } finally {
      this.inFlight--;
    }
  }

  /** Answers a frame that does not fit with why; the connection stays open. */
  private refuse(id: number, reason: string): void {
    this.logRefusal(`dropped frame: ${reason}`);
    this.send({ type: 'response', id, ok: false, error: `refused: ${reason}` });
  }

  private logRefusal(text: string): void {
    this.refusals++;
    if (this.refusals <= REFUSALS_LOGGED) this.log(text);
    else if (this.refusals === REFUSALS_LOGGED + 1) this.log('more refusals on this connection are not logged');
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
    // PTY events belong to one connection; lab events are the same for all: serialize those once.
    if (event.type === 'lab.delta' || event.type === 'lab.reset') {
      let text = serialized.get(event);
      if (text === undefined) {
        text = JSON.stringify({ type: 'event', event } satisfies ServerFrame);
        serialized.set(event, text);
      }
      this.sendText(text);
      return;
    }
    this.send({ type: 'event', event });
  }

  private send(frame: ServerFrame): void {
    if (this.disposed || this.socket.readyState !== this.socket.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (error) {
      // A result that cannot be serialized is still an answer.
      if (frame.type !== 'response') return;
      text = JSON.stringify({ type: 'response', id: frame.id, ok: false, error: `the answer cannot be sent: ${errorText(error)}` });
    }
    this.sendText(text);
  }

  private sendText(text: string): void {
    if (this.disposed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > STALLED_BYTES) {
      this.log(`closing a connection that reads nothing (${this.socket.bufferedAmount} bytes unsent)`);
      this.socket.close(1008, 'not reading its answers');
      return;
    }
    this.socket.send(text);
  }
}

/** A token bucket: `rate` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number;
  private lastMs = performance.now();

  constructor(private readonly rate: number, private readonly burst: number) {
    this.tokens = burst;
  }

  /** Takes `count` tokens if there are enough; false (and nothing taken) otherwise. */
  take(count: number): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) / 1000) * this.rate);
    this.lastMs = now;
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }
}
