// The lab window's done-criteria on the real ha-pair lab: pull filerA:0a by clicking (drawn unplugged,
// an event in the timeline), fail a disk from its menu (drawn failed, reconstruction progress), panic
// filerA (filerB takes over, filerA reboots and waits, a giveback from filerB's menu brings it back), type in a console, change
// speed. Each step leaves test-results/screenshots/lab-<step>.png for review.
import assert from 'node:assert/strict';
import { openLive, waitFor } from './helpers.mjs';

const attr = (locator, name) => locator.getAttribute(name);
const emsCount = (page) => page.evaluate(() => document.querySelector('[data-testid="event-timeline"] .timeline__count')?.textContent ?? '');

export default [
  {
    name: 'pulling filerA:0a by clicking draws it unplugged and puts an event on the timeline',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-10x').click();
      const end = page.getByTestId('link-filerA:0a');
      await waitFor(async () => (await attr(end, 'data-light')) === 'up', { what: 'filerA:0a up' });
      await screenshot('lab-01-open');
      await page.getByTestId('tab-timeline').click();
      const total = async () => Number((await emsCount(page)).split(' of ')[1] ?? 0);
      const before = await total();
      await end.click();
      await waitFor(async () => (await attr(end, 'data-light')) === 'unplugged', { what: 'filerA:0a unplugged' });
      const cable = page.locator('path.cable[stroke-dasharray]');
      assert.ok((await cable.count()) >= 1, 'the pulled cable is drawn dashed');
      await waitFor(async () => (await total()) > before, { what: 'a new timeline event after the pull' });
      await screenshot('lab-02-cable-pulled');
      // Click the newest row: its part is selected on the diagram.
      await page.getByTestId('timeline-row').first().click();
      await waitFor(async () => (await page.locator('.node--selected').count()) === 1, { what: 'the row’s part selected' });
      await end.click();
      await waitFor(async () => (await attr(end, 'data-light')) === 'up', { what: 'filerA:0a plugged back' });
    },
  },
  {
    name: 'failing a disk from its menu draws it failed and shows the reconstruction progress',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-10x').click();
      const dataBay = page.locator('[data-testid^="bay-shelf1-"][data-role="data"]').first();
      await dataBay.waitFor({ timeout: 20_000 });
      const id = await attr(dataBay, 'data-testid');
      const bay = Number(id.split('-').at(-1));
      await dataBay.click({ button: 'right' });
      await page.getByTestId(`menu-shelf1-bay-${bay}`).getByTestId('fault-fail').click();
      const failed = page.getByTestId(id);
      await waitFor(async () => (await attr(failed, 'data-state')) === 'failed', { what: `${id} drawn failed` });
      const rebuilding = page.locator('[data-testid^="bay-shelf1-"][data-role="reconstructing"]');
      await waitFor(async () => (await rebuilding.count()) > 0 && (await attr(rebuilding.first(), 'data-reconstruct')) !== '', { what: 'a spare reconstructing with progress', timeoutMs: 40_000 });
      await page.getByTestId('node-filerA').click();
      await screenshot('lab-03-disk-failed-reconstructing');
      await page.getByTestId('pace-max').click();
      await waitFor(async () => (await rebuilding.count()) === 0, { what: 'the reconstruction to finish', timeoutMs: 40_000 });
      await page.getByTestId('pace-10x').click();
      await screenshot('lab-04-reconstruction-done');
    },
  },
  {
    name: 'a panic on filerA: filerB takes over at once, filerA reboots and waits, a giveback from the menu brings it back',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-10x').click();
      const banner = page.getByTestId('banner-filerA');
      await waitFor(async () => (await attr(banner, 'data-label')) === 'serving', { what: 'filerA serving' });
      await page.getByTestId('tab-clients').click();
      await waitFor(async () => Number(await attr(page.getByTestId('chart-c1'), 'data-points')) > 4, { what: 'c1 chart points' });
      await page.getByTestId('node-filerA').click({ button: 'right' });
      await page.getByTestId('menu-filerA').getByTestId('fault-panic').click();
      await waitFor(async () => (await attr(banner, 'data-tone')) === 'bad', { what: 'the panic banner' });
      await screenshot('lab-05-panic');
      // cf.takeover.on_panic: the panic routine tells filerB, which takes over without waiting.
      await waitFor(async () => (await attr(page.getByTestId('banner-filerB'), 'data-label')) === 'in takeover', { what: 'filerB in takeover', timeoutMs: 30_000 });
      await waitFor(async () => (await attr(banner, 'data-label')) === 'waiting for giveback', { what: 'filerA rebooted and waiting for giveback', timeoutMs: 60_000 });
      await screenshot('lab-06-waiting-for-giveback');
      await page.getByTestId('node-filerB').click({ button: 'right' });
      const giveback = page.getByTestId('menu-filerB').getByTestId('ha-giveback');
      await waitFor(async () => (await attr(giveback, 'aria-disabled')) === 'false', { what: 'Give back offered on filerB' });
      await giveback.click();
      await waitFor(async () => (await attr(banner, 'data-label')) === 'serving', { what: 'filerA serving again', timeoutMs: 60_000 });
      await waitFor(async () => (await attr(page.getByTestId('banner-filerB'), 'data-label')) === 'serving', { what: 'filerB serving its own only', timeoutMs: 30_000 });
      await screenshot('lab-07-served-again');
    },
  },
  {
    name: 'types in a console and changes speed with buttons and keys',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-1x').click();
      await page.getByTestId('console-tab-filerB').click();
      const terminal = page.getByTestId('console-terminal-filerB');
      const plain = page.getByTestId('console-input-filerB');
      await Promise.race([terminal.locator('.xterm-rows').waitFor({ timeout: 30_000 }), plain.waitFor({ timeout: 30_000 })]);
      const text = async () => ((await terminal.count()) > 0 ? terminal.locator('.xterm-rows').innerText() : page.getByTestId('console-filerB').innerText());
      if (await terminal.count()) {
        await waitFor(async () => /filerB(\(takeover\))?> /.test(await text()), { what: 'the filerB prompt' });
        await terminal.click();
        await page.keyboard.type('version');
        await page.keyboard.press('Enter');
      } else {
        await plain.fill('version');
        await plain.press('Enter');
      }
      // version answers `NetApp Release 7.3.7: <date>` (the warm-start banner says `Data ONTAP Release`).
      await waitFor(async () => /NetApp Release \d+\.\d+(\.\d+)?: /.test(await text()), { what: 'the version answer' });
      await screenshot('lab-08-console');
      await page.getByTestId('pace-max').click();
      await waitFor(async () => (await attr(page.getByTestId('pace-max'), 'aria-pressed')) === 'true', { what: 'max pressed' });
      await page.getByTestId('virtual-clock').click();
      await page.keyboard.press('2');
      await waitFor(async () => (await attr(page.getByTestId('pace-10x'), 'aria-pressed')) === 'true', { what: '10x by key 2' });
      await page.keyboard.press(' ');
      await waitFor(async () => (await attr(page.getByTestId('pace-pause'), 'aria-pressed')) === 'true', { what: 'paused by Space' });
      await screenshot('lab-09-paused-by-key');
      await page.keyboard.press('1');
      await waitFor(async () => (await attr(page.getByTestId('pace-1x'), 'aria-pressed')) === 'true', { what: '1x by key 1' });
    },
  },
];
