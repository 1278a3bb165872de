import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FakeLabHost } from '../host/server-fake-host.ts';
import { StubSession, StubWebContents, stubIpcMain } from './electron-stub.ts';

// electron/main.ts wires everything at import time; run it against a stubbed `electron` and a fake
// lab host, and check what it asked of Electron.
const stub = vi.hoisted(() => ({
  calls: [] as string[],
  readyResolve: undefined as undefined | (() => void),
  windows: [] as Array<{ options: unknown; webContents: unknown; loaded: string[] }>,
  appListeners: new Map<string, (...args: unknown[]) => void>(),
}));

const host = new FakeLabHost();
const directory = mkdtempSync(path.join(os.tmpdir(), 'filerlab-electron-'));
process.env.FILERLAB_HOST_FILE = path.join(directory, 'host.json');

vi.mock('../../../emulator/host/server/create-lab-host.ts', () => ({
  DEFAULT_LAB: 'ha-pair',
  createLabHost: async () => host,
}));

vi.mock('electron', async () => {
  const { StubSession: Session, StubWebContents: Contents, stubIpcMain: ipc } = await import('./electron-stub.ts');
  const ready = new Promise<void>((resolve) => {
    stub.readyResolve = resolve;
  });
  class BrowserWindow {
    readonly webContents = new Contents();
    readonly loaded: string[] = [];
    constructor(readonly options: unknown) {
      stub.windows.push(this);
    }
    once() {}
    isDestroyed() {
      return false;
    }
    async loadURL(url: string) {
      this.loaded.push(url);
      this.webContents.mainFrame.url = url;
    }
  }
  return {
    app: {
      enableSandbox: () => stub.calls.push('enableSandbox'),
      requestSingleInstanceLock: () => true,
      on: (name: string, listener: (...args: unknown[]) => void) => stub.appListeners.set(name, listener),
      whenReady: () => ready,
      quit: () => stub.calls.push('quit'),
      exit: (code: number) => stub.calls.push(`exit ${code}`),
    },
    BrowserWindow,
    ipcMain: ipc(),
    session: { defaultSession: new Session() },
  };
});

describe('electron main', () => {
  afterAll(async () => {
    const quit = stub.appListeners.get('will-quit');
    quit?.({ preventDefault: () => {} });
    await vi.waitFor(() => expect(stub.calls).toContain('exit 0'));
  });

  it('enables the sandbox before anything else and guards every web contents', async () => {
    await import('../../../electron/main.ts');
    expect(stub.calls[0]).toBe('enableSandbox');
    const contents = new StubWebContents();
    stub.appListeners.get('web-contents-created')?.({}, contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('opens one sandboxed window on the built renderer and serves its requests', async () => {
    stub.readyResolve?.();
    await vi.waitFor(() => expect(stub.windows[0]?.loaded).toHaveLength(1));
    const [window] = stub.windows;
    expect(window.options).toMatchObject({ webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect((window.options as { webPreferences: { preload: string } }).webPreferences.preload).toMatch(/electron[/\\]preload\.cjs$/);
    expect(window.loaded[0]).toMatch(/^file:\/\/.*\/renderer\/index\.html$/);

    const electron = await import('electron');
    const ipcMain = electron.ipcMain as unknown as ReturnType<typeof stubIpcMain>;
    const handler = ipcMain.handlers.get('filerlab:request');
    expect(handler).toBeDefined();
    const webContents = window.webContents as StubWebContents;
    expect(await handler?.({ senderFrame: webContents.mainFrame }, 'lab.hello', {})).toMatchObject({ ok: true, result: { lab: 'ha-pair' } });
    expect(await handler?.({ senderFrame: webContents.mainFrame }, 'lab.hello', { extra: 1 })).toMatchObject({ ok: false });
    const session = (electron.session as unknown as { defaultSession: StubSession }).defaultSession;
    expect(session.headersListener).toBeDefined();
  });
});
