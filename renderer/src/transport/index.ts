// Picks the Transport: Electron's preload bridge when present, else the browser shell's WebSocket to
// the page's own host. Nothing else in the renderer knows which one it got.
import type { Transport } from '../../../emulator/protocol/channels.ts';
import { IpcTransport } from './ipc.ts';
import type { FilerlabBridge } from './ipc.ts';
import { WebSocketTransport } from './websocket.ts';

declare global {
  interface Window {
    filerlab?: FilerlabBridge;
  }
}

export function pickTransport(target: Pick<Window, 'filerlab' | 'location'> = window): Transport {
  const bridge = target.filerlab;
  if (bridge && typeof bridge.request === 'function' && typeof bridge.subscribe === 'function') {
    return new IpcTransport(bridge);
  }
  const scheme = target.location.protocol === 'https:' ? 'wss' : 'ws';
  // The host's per-launch secret rides in the page's fragment (never sent with a request); the socket needs it.
  const token = new URLSearchParams((target.location.hash ?? '').replace(/^#/, '')).get('token');
  return new WebSocketTransport(`${scheme}://${target.location.host}/lab${token ? `?token=${encodeURIComponent(token)}` : ''}`);
}
