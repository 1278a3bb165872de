// A test client of the host's WebSocket that sends raw text frames and waits, with a bound, for the
// answer to each: the hostile-* tests send what no real UI would. Loopback only.
import { WebSocket } from 'ws';

export interface Answer {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

export interface RawClient {
  readonly socket: WebSocket;
  /** Sends one text frame and waits (up to `timeoutMs`) for the response carrying `id`. */
  send(text: string, id: number, timeoutMs?: number): Promise<Answer>;
  /** A well-formed request with a fresh id. */
  request(channel: string, args: unknown, timeoutMs?: number): Promise<Answer>;
  /** Resolves with the close code and reason once the server closes the socket (bounded). */
  closed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Polls `check` every few milliseconds until it returns a value, or fails after `timeoutMs`. */
export async function pollUntil<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function connectRaw(url: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { maxPayload: 64 * 1_048_576 });
    const waiting = new Map<number, (answer: Answer) => void>();
    let closeInfo: { code: number; reason: string } | undefined;
    let nextId = 1_000_000;
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; id: number; ok: boolean; result?: unknown; error?: string };
      if (frame.type !== 'response') return;
      waiting.get(frame.id)?.(frame);
      waiting.delete(frame.id);
    });
    socket.on('close', (code, reason) => { closeInfo = { code, reason: reason.toString() }; });
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    const client: RawClient = {
      socket,
      send: (text, id, timeoutMs = 10_000) => new Promise<Answer>((resolveAnswer, rejectAnswer) => {
        const timer = setTimeout(() => { waiting.delete(id); rejectAnswer(new Error(`no answer to frame ${id} within ${timeoutMs} ms: ${text.slice(0, 80)}`)); }, timeoutMs);
        waiting.set(id, (answer) => { clearTimeout(timer); resolveAnswer(answer); });
        socket.send(text);
      }),
      request: (channel, args, timeoutMs) => {
        const id = nextId++;
        return client.send(JSON.stringify({ type: 'request', id, channel, args }), id, timeoutMs);
      },
      closed: (timeoutMs = 10_000) => pollUntil(() => closeInfo, timeoutMs, 'the socket to close'),
      close: () => socket.terminate(),
    };
    socket.once('open', () => resolve(client));
  });
}

/** A deterministic pseudo-random generator (the corpus is the same on every run). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}
