// Which Chromium the end-to-end tests drive: $CHROMIUM_PATH, Debian's /usr/bin/chromium, or the one
// Playwright downloads for itself. None → a message saying how to get one (the tests never pass blind).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const INSTALL_HINT = 'install one: apt-get install -y chromium (Debian) or set CHROMIUM_PATH';

export function findChromium(env = process.env) {
  const candidates = [];
  if (env.CHROMIUM_PATH) candidates.push(env.CHROMIUM_PATH);
  candidates.push('/usr/bin/chromium');
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // playwright-core has no browser of its own here
  }
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function launchChromium(executablePath) {
  return chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS, timeout: 60_000 });
}
