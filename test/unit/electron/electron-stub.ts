// Stand-ins for the parts of the `electron` module the main-process code touches. The code under
// test (guards, CSP, sender checks, IPC handlers, main's wiring) is real; only Electron is not.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export interface StubEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function stubEvent(): StubEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export class StubFrame {
  constructor(public url: string) {}
}

export class StubWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly mainFrame = new StubFrame('about:blank');
  readonly sent: Array<[string, unknown]> = [];
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class StubSession {
  headersListener: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
  permissionHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheck: (() => boolean) | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: StubSession['headersListener']) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: StubSession['permissionHandler']) {
    this.permissionHandler = handler;
  }
  setPermissionCheckHandler(handler: () => boolean) {
    this.permissionCheck = handler;
  }
}

export function stubIpcMain() {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: (...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => {
      handlers.delete(channel);
    }),
  };
}
