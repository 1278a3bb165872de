// The browser shell's WebSocket frames, renderer side. The host's copy is
// emulator/host/server/frames.ts (the renderer may not import the host); a unit test keeps them in step.
import { z } from 'zod';
import { hostEventSchema } from '../../../emulator/protocol/channels.ts';
import type { RequestChannel } from '../../../emulator/protocol/channels.ts';

export interface RequestFrame {
  readonly type: 'request';
  readonly id: number;
  readonly channel: RequestChannel;
  readonly args: unknown;
}

export const serverFrameSchema = z.union([
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }).strict(),
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(false), error: z.string() }).strict(),
  z.object({ type: z.literal('event'), event: hostEventSchema }).strict(),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

export function encodeRequest(id: number, channel: RequestChannel, args: unknown): string {
  const frame: RequestFrame = { type: 'request', id, channel, args };
  return JSON.stringify(frame);
}

/** Parses a frame from the host, or undefined (and the caller logs) when it does not fit. */
export function parseServerFrame(text: string): ServerFrame | undefined {
  try {
    const parsed = serverFrameSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
