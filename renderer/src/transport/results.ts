// Both Transports answer a request with the host's outcome; this turns it into the channel's typed
// result, validating it so that a host bug shows as an error here and not as a broken view later.
import { requestSchemas } from '../../../emulator/protocol/channels.ts';
import type { RequestChannel, RequestResult } from '../../../emulator/protocol/channels.ts';

export class HostRequestError extends Error {
  constructor(readonly channel: RequestChannel, message: string) {
    super(`${channel}: ${message}`);
    this.name = 'HostRequestError';
  }
}

export type Outcome = { ok: true; result: unknown } | { ok: false; error: string };

export function resultOf<C extends RequestChannel>(channel: C, outcome: Outcome): RequestResult<C> {
  if (!outcome.ok) throw new HostRequestError(channel, outcome.error);
  const parsed = requestSchemas[channel].result.safeParse(outcome.result);
  if (!parsed.success) throw new HostRequestError(channel, `result does not fit: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data as RequestResult<C>;
}

export function isOutcome(value: unknown): value is Outcome {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; error?: unknown };
  return candidate.ok === true || (candidate.ok === false && typeof candidate.error === 'string');
}
