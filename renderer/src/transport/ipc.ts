// The Electron Transport, renderer side: the preload's `window.filerlab` bridge (electron/preload.ts).
// Events are validated here as the main process validates requests there.
import { hostEventSchema } from '../../../emulator/protocol/channels.ts';
import type { HostEvent, RequestArgs, RequestChannel, RequestResult, Transport } from '../../../emulator/protocol/channels.ts';
import { HostRequestError, isOutcome, resultOf } from './results.ts';

/** What the preload exposes; nothing else crosses. */
export interface FilerlabBridge {
  request(channel: string, args: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
}

export class IpcTransport implements Transport {
  constructor(private readonly bridge: FilerlabBridge) {}

  async request<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResult<C>> {
    const outcome = await this.bridge.request(channel, args);
    if (!isOutcome(outcome)) throw new HostRequestError(channel, 'the host answered with something that is not an outcome');
    return resultOf(channel, outcome);
  }

  subscribe(listener: (event: HostEvent) => void): () => void {
    return this.bridge.subscribe((event) => {
      const parsed = hostEventSchema.safeParse(event);
      if (parsed.success) listener(parsed.data);
      else console.warn('filerlab: dropped a host event that does not fit', parsed.error.issues[0]);
    });
  }
}
