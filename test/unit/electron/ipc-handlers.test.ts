import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { EVENT_CHANNEL, REQUEST_CHANNEL, forwardHostEvents, registerIpcHandlers } from '../../../electron/ipc-handlers.ts';
import { isTrustedSender } from '../../../electron/sender.ts';
import { FakeLabHost } from '../host/server-fake-host.ts';
import { StubFrame, StubWebContents, stubIpcMain } from './electron-stub.ts';

vi.mock('electron', () => ({}));

const APP_URL = 'file:///opt/filerlab/dist/renderer/index.html';

function wire() {
  const host = new FakeLabHost();
  const ipcMain = stubIpcMain();
  const mainFrame = new StubFrame(APP_URL);
  const log: string[] = [];
  registerIpcHandlers({
    ipcMain,
    host,
    isTrusted: (event) => isTrustedSender(event.senderFrame, mainFrame as unknown as WebFrameMain, { appUrl: APP_URL }),
    log: (text) => log.push(text),
  });
  const handler = ipcMain.handlers.get(REQUEST_CHANNEL) as (event: IpcMainInvokeEvent, channel: unknown, args: unknown) => Promise<unknown>;
  const from = (frame: StubFrame | null) => ({ senderFrame: frame }) as unknown as IpcMainInvokeEvent;
  return { host, handler, mainFrame, log, from, ipcMain };
}

describe('electron IPC handlers', () => {
  it('answers a well-formed request from the main frame', async () => {
    const { handler, mainFrame, from } = wire();
    const outcome = await handler(from(mainFrame), 'lab.list', {});
    expect(outcome).toEqual({ ok: true, channel: 'lab.list', result: ['ha-pair', 'cluster-4'] });
  });

  it('rejects a message of the wrong shape, logs it, and never reaches the host', async () => {
    const { host, handler, mainFrame, from, log } = wire();
    const outcome = await handler(from(mainFrame), 'lab.input', { input: { kind: 'actor', actor: 'filerA', input: { kind: 'power', on: 'yes' } } });
    expect(outcome).toMatchObject({ ok: false });
    expect((outcome as { error: string }).error).toMatch(/^rejected: lab.input: input.input.on/);
    expect(await handler(from(mainFrame), 'lab.pace', { mode: 'running', speed: 1e9 })).toMatchObject({ ok: false });
    expect(await handler(from(mainFrame), 'shell.exec', { command: 'rm -rf /' })).toMatchObject({ ok: false, error: 'rejected: unknown channel "shell.exec"' });
    expect(host.inputs).toEqual([]);
    expect(log).toHaveLength(3);
  });

  it('rejects a sender that is not our main frame at our URL', async () => {
    const { host, handler, from, log } = wire();
    const input = { input: { kind: 'actor', actor: 'filerA', input: { kind: 'power', on: false } } };
    expect(await handler(from(new StubFrame(APP_URL)), 'lab.input', input)).toEqual({ ok: false, error: 'rejected: untrusted sender' });
    expect(await handler(from(null), 'lab.input', input)).toEqual({ ok: false, error: 'rejected: untrusted sender' });
    expect(host.inputs).toEqual([]);
    expect(log[0]).toMatch(/untrusted sender/);
  });

  it('rejects the main frame once it shows another page', async () => {
    const { host, handler, mainFrame, from } = wire();
    mainFrame.url = 'https://example.com/index.html';
    expect(await handler(from(mainFrame), 'lab.input', { input: { kind: 'mark', text: 'x' } })).toMatchObject({ ok: false });
    mainFrame.url = `${APP_URL}#inspector`;
    expect(await handler(from(mainFrame), 'lab.input', { input: { kind: 'mark', text: 'x' } })).toMatchObject({ ok: true });
    expect(host.inputs).toEqual([{ kind: 'mark', text: 'x' }]);
  });

  it('trusts any page of a loopback dev server, nothing else', () => {
    const frame = new StubFrame('http://127.0.0.1:5173/');
    const trusted = { appUrl: 'http://127.0.0.1:5173/' };
    expect(isTrustedSender(frame as unknown as WebFrameMain, frame as unknown as WebFrameMain, trusted)).toBe(true);
    frame.url = 'http://127.0.0.1:5174/';
    expect(isTrustedSender(frame as unknown as WebFrameMain, frame as unknown as WebFrameMain, trusted)).toBe(false);
  });

  it('pushes host events to the window until it is gone', () => {
    const host = new FakeLabHost();
    const contents = new StubWebContents();
    const subscription = forwardHostEvents(host, contents);
    const delta = { atUs: 5, pace: { mode: 'running' as const, speed: 1 }, patches: [], ems: [], console: {} };
    host.emit({ type: 'lab.delta', delta });
    contents.destroyed = true;
    host.emit({ type: 'lab.delta', delta });
    expect(contents.sent).toEqual([[EVENT_CHANNEL, { type: 'lab.delta', delta }]]);
    subscription.dispose();
    expect(host.listenerCount()).toBe(0);
  });
});
