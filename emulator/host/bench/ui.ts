// `filerlab bench ui`: the lab window under load, in headless Chromium against `filerlab serve` on
// 127.0.0.1 (the built renderer in dist/renderer: run `npx vite build` first). Prints the wall time
// from a cable pull clicked on the diagram to the diagram showing it (median of N, a round trip through
// the host and a throttled delta), and frames per second while a fault storm runs on cluster-4 (cable
// pulls and plugs, disk faults, at max speed); then the pull again once the lab has run 10 virtual
// minutes (a lab's state grows as its clients write, and whatever the host does per action with it
// shows there). Figures only, no assertions.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const SAMPLES = 9;
const STORM_MS = 5_000;
const STORM_EVERY_MS = 20;
/** Virtual time the lab has run before the second round of pulls. */
const AGED_US = 600_000_000;
/** The most wall time given to reach AGED_US at max speed. */
const AGE_WALL_MS = 180_000;

export interface UiBenchResult {
  readonly lab: string;
  readonly faultToDiagramMs: number[];
  /** The same pulls once the lab has run AGED_US (at max speed, then back to 1x). */
  readonly agedFaultToDiagramMs: number[];
  readonly agedAtUs: number;
  readonly stormActions: number;
  readonly stormFps: number;
  readonly idleFps: number;
}

function findChromium(): string | undefined {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium'];
  try { candidates.push(chromium.executablePath()); } catch { /* no browser of its own */ }
  return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate));
}

async function serve(lab: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'filerlab.mjs'), 'serve', '--port', '0', '--no-open', '--lab', lab], {
    cwd: ROOT, env: { ...process.env, FILERLAB_HOST_FILE: path.join(ROOT, 'test-results', 'bench-ui-host.json') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The page URL with its per-launch token: without it the page's socket is refused.
      const match = /served at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('exit', (code) => reject(new Error(`filerlab serve exited (${code}): ${output}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

// Run inside the page (the host has no DOM types): sources evaluated there.
/** In the page: click a cable end and count wall ms until its light shows the change. */
const PULL_AND_WATCH = `(testid) => {
  const end = document.querySelector('[data-testid="' + testid + '"]');
  if (!end) return Promise.resolve(-1);
  const before = end.getAttribute('data-light');
  const started = performance.now();
  end.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  return new Promise((resolve) => {
    const check = () => (end.getAttribute('data-light') !== before ? resolve(performance.now() - started) : requestAnimationFrame(check));
    requestAnimationFrame(check);
  });
}`;

/** In the page: frames counted for `ms`, while clicking random cable ends every `everyMs` (0: no storm). */
const FRAMES_DURING = `(ms, everyMs) => {
  const ends = [...document.querySelectorAll('[data-testid^="link-"]')];
  let frames = 0;
  let actions = 0;
  let index = 0;
  const storm = everyMs > 0 ? setInterval(() => {
    const end = ends[(index = (index * 7 + 3) % ends.length)];
    end?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    actions++;
  }, everyMs) : undefined;
  const started = performance.now();
  return new Promise((resolve) => {
    const frame = () => {
      frames++;
      if (performance.now() - started < ms) { requestAnimationFrame(frame); return; }
      if (storm) clearInterval(storm);
      resolve({ fps: (frames * 1000) / (performance.now() - started), actions });
    };
    requestAnimationFrame(frame);
  });
}`;

export async function runUiBench(lab = 'cluster-4'): Promise<UiBenchResult> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('bench ui: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)');
  const server = await serve(lab);
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('pace-1x').click();
    const faultToDiagramMs = await pulls(page);
    const idle = await page.evaluate(`(${FRAMES_DURING})(2000, 0)`) as { fps: number; actions: number };
    await page.getByTestId('pace-max').click();
    const storm = await page.evaluate(`(${FRAMES_DURING})(${STORM_MS}, ${STORM_EVERY_MS})`) as { fps: number; actions: number };
    // Every cable back in, at max speed until the lab is AGED_US old, then the pulls again at 1x.
    await page.evaluate(`document.querySelectorAll('[data-testid^="link-"][data-light="unplugged"]').forEach((end) => end.dispatchEvent(new MouseEvent('click', { bubbles: true })))`);
    const agedAtUs = await runUntilAged(page);
    await page.getByTestId('pace-1x').click();
    const agedFaultToDiagramMs = await pulls(page);
    return { lab, faultToDiagramMs, agedFaultToDiagramMs, agedAtUs, stormActions: storm.actions, stormFps: storm.fps, idleFps: idle.fps };
  } finally {
    await browser.close();
    server.stop();
  }
}

/** SAMPLES pulls of one cable that is up, a plug after each (not counted): wall ms from click to light. */
async function pulls(page: Page): Promise<number[]> {
  await page.locator('[data-light="up"]').first().waitFor({ timeout: 30_000 });
  const target = await page.locator('[data-testid^="link-"][data-light="up"]').first().getAttribute('data-testid');
  const samples: number[] = [];
  for (let sample = 0; sample < SAMPLES * 2; sample++) {
    const ms = Number(await page.evaluate(`(${PULL_AND_WATCH})(${JSON.stringify(target ?? '')})`));
    if (sample % 2 === 0) samples.push(ms);
    await page.waitForTimeout(100);
  }
  return samples;
}

/** The lab's virtual time as the toolbar's clock says it (its title holds the µs). */
async function virtualUs(page: Page): Promise<number> {
  const title = await page.getByTestId('virtual-clock').getAttribute('title') ?? '';
  return Number(/\((\d+) µs\)/.exec(title)?.[1] ?? 0);
}

/** Runs at max speed until the lab is AGED_US old or AGE_WALL_MS have passed; the virtual time reached. */
async function runUntilAged(page: Page): Promise<number> {
  await page.getByTestId('pace-max').click();
  const started = Date.now();
  while ((await virtualUs(page)) < AGED_US && Date.now() - started < AGE_WALL_MS) await page.waitForTimeout(250);
  return virtualUs(page);
}

function pullLine(what: string, samples: readonly number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  return `  ${what}: median ${median.toFixed(0)} ms over ${sorted.length} (min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)})`;
}

export function formatUiBench(result: UiBenchResult): string {
  return [
    `ui bench on ${result.lab} (headless Chromium, filerlab serve on 127.0.0.1)`,
    pullLine('cable pull clicked -> diagram shows it', result.faultToDiagramMs),
    pullLine(`the same after ${(result.agedAtUs / 60e6).toFixed(1)} virtual min`, result.agedFaultToDiagramMs),
    `  frames per second: idle ${result.idleFps.toFixed(1)}, fault storm ${result.stormFps.toFixed(1)} (${result.stormActions} pulls/plugs in ${STORM_MS / 1000} s at max speed)`,
  ].join('\n') + '\n';
}
