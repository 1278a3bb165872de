// A request to a lab session as a UI sends it: through the dispatcher, its answer checked against the
// channel's result schema (what a Transport would drop does not pass), a refusal thrown.
import { expect } from 'vitest';
import { dispatchRequest } from '../../../emulator/host/ipc-dispatch.ts';
import type { LabHost } from '../../../emulator/host/lab-host.ts';
import { requestSchemas } from '../../../emulator/protocol/channels.ts';
import type { RequestChannel } from '../../../emulator/protocol/channels.ts';

export async function askHost<C extends RequestChannel>(host: LabHost, channel: C, args: unknown): Promise<unknown> {
  const outcome = await dispatchRequest(host, channel, args, () => undefined);
  if (!outcome.ok) throw new Error(outcome.error);
  expect(requestSchemas[channel].result.safeParse(outcome.result).success).toBe(true);
  return outcome.result;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
