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

/** Parses one text frame from a client; returns the frame or why it was dropped. */
export function parseClientFrame(text: string): { ok: true; frame: ClientFrame } | { ok: false; reason: string } {
  if (text.length > MAX_FRAME_BYTES) return { ok: false, reason: `frame of ${text.length} bytes is over the limit` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: `bad frame: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}` };
  }
  return { ok: true, frame: parsed.data };
}
