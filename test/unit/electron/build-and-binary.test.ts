import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDiscovery } from '../../../emulator/host/server/discovery.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function electronBinary(): string | undefined {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const canShowWindow = Boolean(process.env.DISPLAY) || spawnSync('which', ['xvfb-run']).status === 0;

describe('electron build', () => {
  it('bundles the preload as one CommonJS file that exposes only window.filerlab', () => {
    const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-electron.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const preload = readFileSync(path.join(ROOT, 'dist', 'electron', 'preload.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toContain('exposeInMainWorld("filerlab"');
    expect(preload).not.toMatch(/require\("(fs|child_process|node:)/);
    expect(readFileSync(path.join(ROOT, 'dist', 'electron', 'main.js'), 'utf8')).toContain("import('../../electron/main.ts')");
  });

  // Needs the real Electron binary (its download is blocked on the build machines) and a display.
  it.skipIf(!binary || !canShowWindow)('starts the desktop app: the lab host comes up and answers', async () => {
    const hostFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'filerlab-electron-')), 'host.json');
    const command = process.env.DISPLAY ? binary! : 'xvfb-run';
    const args = process.env.DISPLAY ? ['--no-sandbox', ROOT] : ['-a', binary!, '--no-sandbox', ROOT];
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, FILERLAB_HOST_FILE: hostFile }, stdio: 'ignore', detached: true });
    try {
      await expect.poll(() => readDiscovery(hostFile), { timeout: 60_000, interval: 250 }).toBeDefined();
      const discovery = readDiscovery(hostFile)!;
      const page = await fetch(discovery.url);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  }, 90_000);
});
