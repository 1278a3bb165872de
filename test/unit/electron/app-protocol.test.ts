// Electron checklist points 18 (custom protocol) and the fuses, without the Electron binary (it cannot
// be downloaded here): the app:// handler, the console flag that replaces ELECTRON_RUN_AS_NODE, the
// console PTY's command and environment, and the afterPack hook that flips the fuses.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_URL, appProtocolResponse } from '../../../electron/app-protocol.ts';
import { CONSOLE_FLAG, consoleModeArgs, consolePtyCommand } from '../../../electron/console-mode.ts';
import { isOurUrl } from '../../../electron/sender.ts';
import { PtySessions } from '../../../emulator/host/pty-sessions.ts';
import { CONTENT_SECURITY_POLICY } from '../../../emulator/host/server/csp.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const root = mkdtempSync(path.join(os.tmpdir(), 'filerlab-app-protocol-'));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>FilerLab</title>');
writeFileSync(path.join(root, 'assets', 'main.js'), 'console.log(1)');
writeFileSync(path.join(os.tmpdir(), 'filerlab-outside.txt'), 'outside');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the app:// protocol', () => {
  it('serves the built renderer with MIME types and the CSP', async () => {
    const page = await appProtocolResponse({ url: APP_URL }, root);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>FilerLab</title>');
    const script = await appProtocolResponse({ url: 'app://filerlab/assets/main.js' }, root);
    expect(script.headers.get('content-type')).toContain('javascript');
  });

  it('refuses paths out of the renderer, other hosts, other methods and missing files', async () => {
    for (const url of ['app://filerlab/../filerlab-outside.txt', 'app://filerlab/%2e%2e/filerlab-outside.txt', 'app://filerlab/assets/%00.js', 'app://other/index.html', 'app://filerlab/missing.js', 'app://filerlab/assets', 'not a url']) {
      const response = await appProtocolResponse({ url }, root);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('outside');
    }
    expect((await appProtocolResponse({ url: APP_URL, method: 'POST' }, root)).status).toBe(405);
  });

  it('trusts the one app page, not any app:// URL (they all have the origin null)', () => {
    expect(isOurUrl('app://filerlab/index.html', { appUrl: APP_URL })).toBe(true);
    expect(isOurUrl('app://filerlab/index.html#x', { appUrl: APP_URL })).toBe(true);
    expect(isOurUrl('app://evil/index.html', { appUrl: APP_URL })).toBe(false);
    expect(isOurUrl('app://filerlab/other.html', { appUrl: APP_URL })).toBe(false);
    expect(isOurUrl('file:///etc/index.html', { appUrl: APP_URL })).toBe(false);
  });
});

describe('console PTYs without ELECTRON_RUN_AS_NODE', () => {
  it('the app binary takes a console flag: what follows it is the CLI', () => {
    expect(consoleModeArgs(['/opt/FilerLab/filerlab', CONSOLE_FLAG, 'console', 'filerA', '--url', 'ws://x'])).toEqual(['console', 'filerA', '--url', 'ws://x']);
    expect(consoleModeArgs(['/opt/FilerLab/filerlab'])).toBeUndefined();
    expect(consolePtyCommand('/opt/FilerLab/filerlab', '/opt/FilerLab/resources/app.asar', true)).toEqual(['/opt/FilerLab/filerlab', CONSOLE_FLAG]);
    expect(consolePtyCommand('/usr/lib/electron', '/src/filerlab', false)).toEqual(['/usr/lib/electron', '/src/filerlab', CONSOLE_FLAG]);
  });

  it('a console PTY gets the token in its environment, not its arguments, and never ELECTRON_RUN_AS_NODE', async () => {
    const previous = process.env.ELECTRON_RUN_AS_NODE;
    process.env.ELECTRON_RUN_AS_NODE = '1';
    const script = 'printf "RUN=%s TOKEN=%s ARGS=%s\\n" "${ELECTRON_RUN_AS_NODE-unset}" "$FILERLAB_HOST_TOKEN" "$*"; sleep 1';
    const sessions = new PtySessions('ws://127.0.0.1:9/lab?token=s3cret-token', ['/bin/sh', '-c', script, 'sh']);
    try {
      let output = '';
      sessions.onDidEvent((event) => { output += event.data ?? ''; });
      expect(sessions.open('filerA', 80, 24).ok).toBe(true);
      await expect.poll(() => output, { timeout: 10_000 }).toContain('ARGS=');
      expect(output).toContain('RUN=unset');
      expect(output).toContain('TOKEN=s3cret-token');
      expect(output).toMatch(/ARGS=console filerA --url ws:\/\/127\.0\.0\.1:9\/lab\s/);
      expect(output.split('ARGS=')[1]).not.toContain('s3cret');
    } finally {
      sessions.dispose();
      if (previous === undefined) delete process.env.ELECTRON_RUN_AS_NODE;
      else process.env.ELECTRON_RUN_AS_NODE = previous;
    }
  });
});

describe('the fuses', () => {
  const hook = createRequire(import.meta.url)(path.join(ROOT, 'scripts', 'electron-fuses.cjs')) as {
    (context: unknown): Promise<void>;
    flipFuses(binary: Buffer, fuses: Record<string, boolean>): number;
    FILERLAB_FUSES: Record<string, boolean>;
  };
  const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const fakeBinary = (wire: string) => Buffer.concat([Buffer.from('\x7fELF....'), Buffer.from(sentinel), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.from('....')]);

  it('electron-builder runs the hook after packing, and the hook sets the checklist\'s fuses', () => {
    const config = parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as { afterPack?: string; asar?: boolean };
    expect(config.asar).toBe(true);
    expect(config.afterPack).toBe('scripts/electron-fuses.cjs');
    expect(existsSync(path.join(ROOT, config.afterPack!))).toBe(true);
    expect(hook.FILERLAB_FUSES).toMatchObject({
      runAsNode: false, enableCookieEncryption: true, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false,
    });
  });

  it('flips the fuse wire in place, and refuses a binary without one or with a removed fuse', async () => {
    const binary = fakeBinary('11100001');
    expect(hook.flipFuses(binary, hook.FILERLAB_FUSES)).toBe(1);
    const at = binary.indexOf(sentinel) + sentinel.length + 2;
    expect(binary.subarray(at, at + 8).toString()).toBe('01001100');
    expect(() => hook.flipFuses(Buffer.from('no electron here'), hook.FILERLAB_FUSES)).toThrow(/no fuse wire/);
    expect(() => hook.flipFuses(fakeBinary('r1111111'), hook.FILERLAB_FUSES)).toThrow(/removed/);
    expect(() => hook.flipFuses(fakeBinary('111'), hook.FILERLAB_FUSES)).toThrow(/has no fuse/);

    const out = mkdtempSync(path.join(os.tmpdir(), 'filerlab-fuses-'));
    writeFileSync(path.join(out, 'filerlab'), fakeBinary('11100001'));
    await hook({ appOutDir: out, electronPlatformName: 'linux', packager: { appInfo: { productFilename: 'FilerLab' }, executableName: 'filerlab' } });
    expect(readFileSync(path.join(out, 'filerlab')).subarray(at, at + 8).toString()).toBe('01001100');
    rmSync(out, { recursive: true, force: true });
  });
});
