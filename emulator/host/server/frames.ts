// The WebSocket wire format of the browser shell (path /lab). Requests carry an id that the response
// repeats; host events are pushed unasked. Payloads are the channel map's own (emulator/protocol).
// renderer/src/transport/frames.ts holds the renderer's copy (the renderer may not import the host);
// test/unit/host/server-frames.test.ts keeps the two in step. `filerlab console` speaks this too.
import { z } from 'zod';
import { hostEventSchema } from '../../protocol/channels.ts';

export const MAX_FRAME_BYTES = 1_048_576;

export const clientFrameSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  args: z.unknown(),
}).strict();
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export const serverFrameSchema = z.union([
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }).strict(),
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(false), error: z.string() }).strict(),
  z.object({ type: z.literal('event'), event: hostEventSchema }).strict(),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/**
 * The id a reply to a refused frame carries when the frame's own id cannot be read (not JSON, no
 * integer id). Clients number their requests from 1 and ignore a response to an id they never sent.
 */
export const UNREADABLE_FRAME_ID = -1;

export type ParsedClientFrame = { ok: true; frame: ClientFrame } | { ok: false; reason: string; id: number };

/** Parses one text frame from a client; returns the frame, or why it was dropped and the id to answer. */
export function parseClientFrame(text: string): ParsedClientFrame {
  if (text.length > MAX_FRAME_BYTES) return { ok: false, reason: `frame of ${text.length} bytes is over the limit of ${MAX_FRAME_BYTES}`, id: UNREADABLE_FRAME_ID };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'frame is not JSON', id: UNREADABLE_FRAME_ID };
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.').slice(0, 64) || '(root)'}: ${issue.message}`);
    return { ok: false, reason: `bad frame: ${issues.join('; ')}`, id: frameIdOf(json) };
  }
  return { ok: true, frame: parsed.data };
}

/** A frame's own id when it has a usable one (an object's own `id`, a safe non-negative integer). */
export function frameIdOf(json: unknown): number {
  if (json === null || typeof json !== 'object' || Array.isArray(json) || !Object.hasOwn(json, 'id')) return UNREADABLE_FRAME_ID;
  const id = (json as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : UNREADABLE_FRAME_ID;
}
