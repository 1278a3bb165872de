// A store's subscription to the lab host's events on the lab store's Transport. The Transport is
// replaced when the window reconnects, so `follow()` subscribes again to a new one (and drops the old
// subscription); it says whether it did, so the store can read the host's current state then.
import { useLabStore } from '../stores/lab.ts';
import type { HostEvent, Transport } from '../stores/lab-types.ts';

export function hostEvents(listener: (event: HostEvent) => void): { follow(): boolean } {
  let attached: Transport | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    follow(): boolean {
      const transport = useLabStore().hostTransport();
      if (!transport || transport === attached) return false;
      unsubscribe?.();
      attached = transport;
      unsubscribe = transport.subscribe(listener);
      return true;
    },
  };
}
