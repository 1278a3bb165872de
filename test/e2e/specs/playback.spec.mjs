// Playing a recording in the window (issue 22), end to end: record in the window (the instructor's
// markers typed in the toolbar, a command typed on filerA's console, a loop cable pulled), open the
// recording from the recent list, seek forward and backward with the markers — the consoles and the
// diagram show the lab as it was at that time — play it, and take over live (a branch). Screenshots:
// test-results/screenshots/playback-*.png (the bar itself: playback-bar.png).
import assert from 'node:assert/strict';
import path from 'node:path';
import { clockMs, openLive, waitFor } from './helpers.mjs';

const TOKEN = 'playbacktest42';

async function paneText(page, filer) {
  return page.getByTestId(`console-terminal-${filer}`).locator('.xterm-rows').innerText();
}

/** Answers the replace question (a lab that has run is always asked about) without saving. */
async function replaceWithoutSaving(page) {
  await page.getByTestId('replace-dialog').waitFor({ timeout: 10_000 });
  await page.getByTestId('replace-discard').click();
}

/** Jumps to the marker named `text` with the markers menu and waits for the seek to land there. */
async function jumpToMarker(page, text) {
  const menu = page.getByTestId('playback-markers');
  const option = menu.locator('option', { hasText: text });
  const value = await option.getAttribute('value');
  await menu.selectOption(value);
  const targetMs = Number(value) / 1000;
  await waitFor(async () => Math.abs(clockMs(await page.getByTestId('virtual-clock').textContent()) - targetMs) < 1, { what: `the clock at marker '${text}' (${targetMs} ms)`, timeoutMs: 60_000 });
  await waitFor(async () => !/seeking/.test(await page.getByTestId('playback-status').textContent()), { what: 'the seek to end' });
  return targetMs;
}

async function filerAPane(page) {
  await page.getByTestId('console-tab-filerA').click();
  await page.getByTestId('console-terminal-filerA').locator('.xterm-rows').waitFor({ timeout: 30_000 });
  await waitFor(async () => /filerA> /.test(await paneText(page, 'filerA')), { what: 'the filerA> prompt in the pane', timeoutMs: 60_000 });
}

export default [
  {
    name: 'records in the window with markers, plays the recording back, seeks both ways to the lab as it was, and takes over live',
    timeoutMs: 300_000,
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      // A fresh lab, so that the recording is short to index whatever earlier specs did.
      await page.getByTestId('pace-pause').click();
      await page.getByTestId('reset-lab').click();
      await replaceWithoutSaving(page);
      await waitFor(async () => clockMs(await page.getByTestId('virtual-clock').textContent()) < 2000, { what: 'the lab reset', timeoutMs: 60_000 });
      await page.getByTestId('pace-1x').click();
      const end = page.getByTestId('link-filerA:0a');
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a up' });

      await page.getByTestId('record').click();
      await page.getByTestId('record-elapsed').waitFor({ timeout: 10_000 });
      await page.getByTestId('record-marker-text').fill('before the pull');
      await page.getByTestId('record-marker-text').press('Enter');
      await waitFor(async () => (await page.getByTestId('record-marker-text').inputValue()) === '', { what: 'the marker taken' });
      await filerAPane(page);
      await page.getByTestId('console-terminal-filerA').click();
      await page.keyboard.type(TOKEN);
      await page.keyboard.press('Enter');
      await waitFor(async () => new RegExp(`${TOKEN} not found`).test(await paneText(page, 'filerA')), { what: "the filer's answer to the typed command" });
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'unplugged', { what: 'filerA:0a unplugged' });
      await page.getByTestId('record-marker-text').fill('after the pull');
      await page.getByTestId('record-marker-text').press('Enter');
      await waitFor(async () => (await page.getByTestId('record-marker-text').inputValue()) === '', { what: 'the second marker taken' });
      await screenshot('playback-01-recording-with-markers');
      const markedMs = clockMs(await page.getByTestId('virtual-clock').textContent());
      await waitFor(async () => clockMs(await page.getByTestId('virtual-clock').textContent()) > markedMs + 500, { what: 'the lab past the second marker', timeoutMs: 60_000 });
      // Stop (it also downloads the recording; lab-files.spec checks that).
      await page.getByTestId('record').click();
      await waitFor(async () => (await page.getByTestId('record').getAttribute('aria-pressed')) === 'false', { what: 'the recording stopped', timeoutMs: 90_000 });

      // The recent list holds what the Record button wrote as it went.
      await page.getByTestId('recordings-open').click();
      const entry = page.getByTestId('recordings-list').locator('button').first();
      await entry.waitFor({ timeout: 10_000 });
      assert.match(await entry.textContent(), /^ha-pair-\d+-.*\.filerlab\.jsonl/);
      await entry.click();
      await replaceWithoutSaving(page);
      const bar = page.getByTestId('playback-bar');
      await bar.waitFor({ timeout: 60_000 });
      assert.deepEqual(await page.getByTestId('playback-markers').locator('option').allTextContents().then((texts) => texts.slice(1).map((text) => text.replace(/^\S+ /, ''))),
        ['recording started', 'before the pull', 'after the pull', 'recording stopped']);

      // Forward to after the pull: the cable shows pulled, filerA's console shows the typed command.
      await jumpToMarker(page, 'after the pull');
      await waitFor(async () => (await end.getAttribute('data-light')) === 'unplugged', { what: 'filerA:0a unplugged after the pull' });
      await filerAPane(page);
      await waitFor(async () => new RegExp(`${TOKEN} not found`).test(await paneText(page, 'filerA')), { what: 'the typed command in the played console' });
      await screenshot('playback-02-after-the-pull');

      // Backward to before the pull: the cable is in, and the command was not typed yet.
      await jumpToMarker(page, 'before the pull');
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a up before the pull' });
      await filerAPane(page);
      assert.doesNotMatch(await paneText(page, 'filerA'), new RegExp(TOKEN), 'the console before the command was typed');
      await screenshot('playback-03-before-the-pull');

      // Play: the recording's own inputs happen again (the pull), and the clock moves.
      const beforePlayMs = clockMs(await page.getByTestId('virtual-clock').textContent());
      await page.getByTestId('playback-speed').selectOption('2');
      await page.getByTestId('playback-play').click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'unplugged', { what: 'the recorded pull played again', timeoutMs: 60_000 });
      assert.ok(clockMs(await page.getByTestId('virtual-clock').textContent()) > beforePlayMs);
      await page.getByTestId('playback-play').click();
      await bar.screenshot({ path: path.join('test-results', 'screenshots', 'playback-bar.png') });
      await screenshot('playback-04-playing');

      // Typing on a played console is refused until Take over; then the lab goes on live (a branch).
      await page.getByTestId('playback-take-over').click();
      await waitFor(async () => (await bar.count()) === 0, { what: 'the playback bar gone after Take over' });
      await page.getByTestId('pace-1x').click();
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a plugged back in the live branch', timeoutMs: 60_000 });
      await screenshot('playback-05-taken-over');
    },
  },
];
