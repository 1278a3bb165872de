// Opens the browser shell as an app window: Chromium (or Chrome) with --app=URL when one is on the
// PATH and there is a display to show it on; otherwise the caller prints the URL for the user to open.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  for (const name of BROWSERS) {
    const found = spawnSync('which', [name], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return undefined;
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export interface AppWindow {
  readonly process: ChildProcess;
  /** Resolves when the window (the browser process) has gone. */
  readonly closed: Promise<void>;
}

/** Starts a Chromium app window on url with a throwaway profile, or undefined when none can be shown. */
export function openAppWindow(url: string): AppWindow | undefined {
  const browser = findChromium();
  if (!browser || !hasDisplay()) return undefined;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'filerlab-window-'));
  const args = [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--window-size=1440,900'];
  // Chromium refuses to start as root with its sandbox on; the page itself is still under our CSP.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const child = spawn(browser, args, { stdio: 'ignore' });
  const closed = new Promise<void>((resolve) => {
    const done = () => {
      rmSync(profile, { recursive: true, force: true });
      resolve();
    };
    child.once('exit', done);
    child.once('error', done);
  });
  return { process: child, closed };
}
