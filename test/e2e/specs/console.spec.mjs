// Consoles end to end: the xterm.js pane in Chromium on a host PTY running `filerlab console filerA`,
// and the same command in tmux against the runner's `filerlab serve`.
import assert from 'node:assert/strict';
import { runTmuxConsoleTest } from '../console-tmux.mjs';
import { socketUrlOf } from '../shell-server.mjs';
import { openLive, waitFor } from './helpers.mjs';

async function paneText(page, filer) {
  return page.getByTestId(`console-terminal-${filer}`).locator('.xterm-rows').innerText();
}

export default [
  {
    name: 'types cf status in the PTY-backed filerA pane and reads the answer; reopening the pane keeps the scrollback',
    async run({ page, baseUrl, screenshot, problems }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-1x').click();
      await page.getByTestId('console-tab-filerA').click();
      const terminal = page.getByTestId('console-terminal-filerA');
      await terminal.locator('.xterm-rows').waitFor({ timeout: 30_000 });
      // The serve offers PTYs: the pane runs `filerlab console filerA` on one, whose banner it shows.
      await page.locator('[data-testid="console-link-filerA"][data-link="pty"]').waitFor({ timeout: 30_000 });
      // The banner is the first line the PTY prints; after earlier specs filerA's console has much to
      // replay, which can scroll it out of the visible rows before a poll sees it. The prompt then shows.
      await waitFor(async () => /attached to filerA in lab|filerA> /.test(await paneText(page, 'filerA')), { what: "the PTY's attach banner or the prompt after it", timeoutMs: 60_000 });
      await waitFor(async () => /filerA> /.test(await paneText(page, 'filerA')), { what: 'the filerA> prompt in the pane' });
      await terminal.click();
      await page.keyboard.type('cf status');
      await page.keyboard.press('Enter');
      await waitFor(async () => /Cluster enabled, filerB is up\./.test(await paneText(page, 'filerA')), { what: "cf status's answer in the pane" });
      await screenshot('console-pane-cf-status');
      // Another tab and back: the pane is rebuilt from the host's scrollback.
      await page.getByTestId('console-tab-filerB').click();
      await page.getByTestId('console-terminal-filerB').locator('.xterm-rows').waitFor({ timeout: 30_000 });
      await page.getByTestId('console-tab-filerA').click();
      await page.locator('[data-testid="console-link-filerA"][data-link="pty"]').waitFor({ timeout: 30_000 });
      await waitFor(async () => /Cluster enabled, filerB is up\./.test(await paneText(page, 'filerA')), { what: 'the scrollback after reopening' });
      // Side by side: filerA on the left, its partner on the right, each typing to its own filer.
      await page.getByTestId('console-split').click();
      await page.getByTestId('console-terminal-filerB').locator('.xterm-rows').waitFor({ timeout: 30_000 });
      const left = await page.getByTestId('console-filerA').boundingBox();
      const right = await page.getByTestId('console-filerB').boundingBox();
      assert.ok(left && right && left.x + left.width <= right.x + 1, `filerA's pane left of filerB's (${JSON.stringify({ left, right })})`);
      await waitFor(async () => /filerB> /.test(await paneText(page, 'filerB')), { what: 'the filerB> prompt in the right pane' });
      await page.getByTestId('console-terminal-filerB').click();
      await page.keyboard.type('cf status');
      await page.keyboard.press('Enter');
      await waitFor(async () => /Cluster enabled, filerA is up\./.test(await paneText(page, 'filerB')), { what: "cf status's answer in filerB's pane" });
      assert.match(await paneText(page, 'filerA'), /Cluster enabled, filerB is up\./, "filerA's pane still shows its own console");
      await screenshot('consoles-side-by-side');
      await page.getByTestId('console-split').click();
      // Script errors only: a stray resource 404 (favicon) is the window spec's business.
      assert.deepEqual(problems.filter((problem) => problem.startsWith('page error')), [], 'no page errors');
    },
  },
  {
    name: 'filerlab console filerA in tmux: cf status answers, Tab completes, Ctrl-] detaches',
    async run({ baseUrl }) {
      const skipped = await runTmuxConsoleTest({ wsUrl: socketUrlOf(baseUrl) });
      if (skipped) console.log(`       ${skipped}`);
    },
  },
];
