// The end-to-end runner (`npm run test:e2e`): serves the built renderer and a real lab with
// `filerlab serve`, opens it in headless Chromium through playwright-core, and runs each spec in
// test/e2e/specs/. It builds nothing (`npm test` runs `vite build` first). Last line: `N passed, N failed`.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { INSTALL_HINT, findChromium, launchChromium } from './chromium.mjs';
import { startShellServer } from './shell-server.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SPECS = path.join(import.meta.dirname, 'specs');
const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
const TEST_TIMEOUT_MS = 90_000;
const RUN_TIMEOUT_MS = 10 * 60_000;

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function loadTests(filter) {
  const files = readdirSync(SPECS).filter((file) => file.endsWith('.spec.mjs')).sort();
  const tests = [];
  for (const file of files) {
    const module = await import(pathToFileURL(path.join(SPECS, file)).href);
    for (const test of module.default) {
      const name = `${file.replace(/\.spec\.mjs$/, '')} › ${test.name}`;
      if (!filter || name.includes(filter)) tests.push({ ...test, name });
    }
  }
  return tests;
}

async function runOne(browser, baseUrl, test) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  try {
    const screenshot = async (name) => {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    };
    // A spec that drives a long exercise, or records, indexes and seeks a recording, names its own bound (`timeoutMs`).
    await withTimeout(test.run({ page, baseUrl, screenshot, problems }), test.timeoutMs ?? TEST_TIMEOUT_MS, test.name);
  } finally {
    await context.close().catch(() => undefined);
  }
}

async function main() {
  const executablePath = findChromium();
  if (!executablePath) {
    console.error(`e2e: no Chromium found (CHROMIUM_PATH, /usr/bin/chromium, playwright's own); ${INSTALL_HINT}`);
    return 1;
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const tests = await loadTests(process.argv[2]);
  const server = startShellServer();
  activeServer = server;
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    const baseUrl = await server.ready;
    console.log(`e2e: ${tests.length} tests against ${baseUrl} in ${executablePath}`);
    browser = await launchChromium(executablePath);
    for (const test of tests) {
      const started = Date.now();
      try {
        await runOne(browser, baseUrl, test);
        passed++;
        console.log(`  ok   ${test.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        console.log(`  FAIL ${test.name} (${Date.now() - started} ms)\n       ${String(error?.stack ?? error).split('\n').join('\n       ')}`);
      }
    }
  } catch (error) {
    failed++;
    console.log(`e2e: could not run: ${error?.message ?? error}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
  if (failed > 0) console.log(`e2e: server output:\n${server.output().split('\n').slice(-30).join('\n')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

let activeServer;
const watchdog = setTimeout(() => {
  activeServer?.kill();
  console.log(`e2e: the run took longer than ${RUN_TIMEOUT_MS} ms; giving up\n0 passed, 1 failed`);
  process.exit(1);
}, RUN_TIMEOUT_MS);
watchdog.unref();
process.exitCode = await main();
