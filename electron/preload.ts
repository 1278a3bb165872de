// The only door between the sandboxed renderer and the main process: `window.filerlab` with request
// and subscribe, nothing else. It carries messages; the main process validates them.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';

const REQUEST_CHANNEL = 'filerlab:request';
const EVENT_CHANNEL = 'filerlab:event';

contextBridge.exposeInMainWorld('filerlab', {
  request: (channel: string, args: unknown): Promise<unknown> => ipcRenderer.invoke(REQUEST_CHANNEL, channel, args),
  subscribe: (listener: (event: unknown) => void): (() => void) => {
    const relay = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, relay);
    };
  },
});
