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
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: { url: string; method?: string }) => Promise<Response>>(),
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
      getAppPath: () => '/app',
      isPackaged: true,
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => { stub.calls.push('registerSchemes'); stub.schemes.push(...schemes); },
      handle: (scheme: string, handler: (request: { url: string; method?: string }) => Promise<Response>) => stub.protocolHandlers.set(scheme, handler),
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
    expect(stub.calls.slice(0, 2)).toEqual(['enableSandbox', 'registerSchemes']);
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
    // The UI comes from app://, a privileged scheme of its own, never file:// (checklist point 18).
    expect(window.loaded[0]).toBe('app://filerlab/index.html');
    expect(stub.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(stub.protocolHandlers.has('app')).toBe(true);
    expect((await stub.protocolHandlers.get('app')!({ url: 'app://filerlab/../../etc/passwd' })).status).not.toBe(200);

    const electron = await import('electron');
    const ipcMain = electron.ipcMain as unknown as ReturnType<typeof stubIpcMain>;
    const handler = ipcMain.handlers.get('filerlab:request');
    expect(handler).toBeDefined();
    const webContents = window.webContents as StubWebContents;
    expect(await handler?.({ senderFrame: webContents.mainFrame }, 'lab.hello', {})).toMatchObject({ ok: true, result: { lab: 'ha-pair' } });
    // Another app:// page (or host) is not the UI.
    expect(await handler?.({ senderFrame: { url: 'app://evil/index.html' } }, 'lab.hello', {})).toMatchObject({ ok: false });
    expect(await handler?.({ senderFrame: webContents.mainFrame }, 'lab.hello', { extra: 1 })).toMatchObject({ ok: false });
    const session = (electron.session as unknown as { defaultSession: StubSession }).defaultSession;
    expect(session.headersListener).toBeDefined();
  });
});
