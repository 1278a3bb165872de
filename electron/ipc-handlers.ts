// The Electron Transport, main side: one invoke channel for requests and one push channel for host
// events. Each request is checked for its sender, then validated and answered by the shared dispatcher
// (emulator/host/ipc-dispatch.ts), so IPC and the WebSocket behave alike.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { dispatchRequest } from '../emulator/host/ipc-dispatch.ts';
import type { DispatchOutcome } from '../emulator/host/ipc-dispatch.ts';
import type { Disposable, LabHost } from '../emulator/host/lab-host.ts';
import type { PtyConnection } from '../emulator/host/pty-connection.ts';

export const REQUEST_CHANNEL = 'filerlab:request';
export const EVENT_CHANNEL = 'filerlab:event';

export interface IpcWiring {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly host: LabHost;
  /** Whether the event's sender frame is our window's main frame at our own URL. */
  readonly isTrusted: (event: IpcMainInvokeEvent) => boolean;
  readonly log: (text: string) => void;
  /** The window's console PTYs (its output goes to that window alone); none: panes fall back. */
  readonly ptys?: PtyConnection;
}

/** The invoke handler, on its own so tests call it as Electron would. */
export function requestHandler(wiring: IpcWiring) {
  return async (event: IpcMainInvokeEvent, channel: unknown, args: unknown): Promise<DispatchOutcome> => {
    if (!wiring.isTrusted(event)) {
      wiring.log(`dropped request from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
      return { ok: false, error: 'rejected: untrusted sender' };
    }
    return dispatchRequest(wiring.host, channel, args, wiring.log, wiring.ptys);
  };
}

export function registerIpcHandlers(wiring: IpcWiring): Disposable {
  wiring.ipcMain.handle(REQUEST_CHANNEL, requestHandler(wiring));
  return { dispose: () => wiring.ipcMain.removeHandler(REQUEST_CHANNEL) };
}

/** Pushes host events to the window while it lives. */
export function forwardHostEvents(host: LabHost, contents: Pick<WebContents, 'send' | 'isDestroyed'>): Disposable {
  return host.onDidEmit((event) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
}
