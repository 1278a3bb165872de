import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { guardWebContents, refusePermissions } from '../../../electron/guards.ts';
import { installContentSecurityPolicy } from '../../../electron/csp.ts';
import { mainWindowOptions } from '../../../electron/window-options.ts';
import { CONTENT_SECURITY_POLICY } from '../../../emulator/host/server/csp.ts';
import { StubSession, StubWebContents, stubEvent } from './electron-stub.ts';

vi.mock('electron', () => ({}));

describe('electron window hardening', () => {
  it('builds a sandboxed, isolated window without Node', () => {
    const options = mainWindowOptions('/app/dist/electron/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('refuses navigation, redirects, webviews and new windows', () => {
    const contents = new StubWebContents();
    const log: string[] = [];
    guardWebContents(contents as unknown as WebContents, (text) => log.push(text));
    const navigation = stubEvent();
    contents.emit('will-navigate', navigation, 'https://example.com/');
    expect(navigation.defaultPrevented).toBe(true);
    const redirect = stubEvent();
    contents.emit('will-redirect', redirect, 'https://example.com/');
    expect(redirect.defaultPrevented).toBe(true);
    const webview = stubEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(log).toContain('refused navigation to https://example.com/');
    expect(log).toContain('refused a new window for https://example.com/');
  });

  it('refuses every permission', () => {
    const session = new StubSession();
    refusePermissions(session as unknown as Session, () => {});
    const answer = vi.fn();
    session.permissionHandler?.({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(session.permissionCheck?.()).toBe(false);
  });

  it('puts the one CSP on every response, replacing any other', () => {
    const session = new StubSession();
    installContentSecurityPolicy(session as unknown as Session);
    const callback = vi.fn();
    session.headersListener?.({ responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Other': ['1'] } });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
