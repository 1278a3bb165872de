// The window shows live data from the real lab host: the ha-pair lab's parts, a virtual clock that
// advances, link lights from published port state, cable pulls that reach the lab and come back.
import assert from 'node:assert/strict';
import { clockMs, openLive, waitFor } from './helpers.mjs';

export default [
  {
    name: 'shows the ha-pair lab: filers, shelves with 14 bays, loops A and B, switches, clients',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      assert.equal(await page.getByTestId('lab-picker').inputValue(), 'ha-pair');
      for (const part of ['filerA', 'filerB', 'shelf1', 'shelf2', 'sw1', 'sw2', 'c1', 'c4']) {
        assert.ok(await page.getByTestId(`node-${part}`).isVisible(), `${part} is drawn`);
      }
      assert.equal(await page.locator('[data-testid^="bay-shelf1-"]').count(), 14);
      assert.ok((await page.locator('path[data-loop="A"]').count()) >= 3, 'loop A cables');
      assert.ok((await page.locator('path[data-loop="B"]').count()) >= 3, 'loop B cables');
      assert.equal(await page.locator('path[data-kind="interconnect"]').count(), 2);
    },
  },
  {
    name: 'the virtual clock advances while running and stops when paused',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-1x').click();
      const clock = page.getByTestId('virtual-clock');
      const first = clockMs(await clock.textContent());
      await waitFor(async () => clockMs(await clock.textContent()) > first + 200, { what: 'the clock to advance' });
      await page.getByTestId('pace-pause').click();
      await waitFor(async () => (await page.getByTestId('pace-pause').getAttribute('aria-pressed')) === 'true', { what: 'pause to show' });
      await new Promise((resolve) => setTimeout(resolve, 400));
      const paused = clockMs(await clock.textContent());
      await new Promise((resolve) => setTimeout(resolve, 800));
      assert.equal(clockMs(await clock.textContent()), paused, 'the clock holds while paused');
      await page.getByTestId('pace-1x').click();
      await waitFor(async () => clockMs(await clock.textContent()) > paused, { what: 'the clock to run again' });
    },
  },
  {
    name: 'link lights come from published state; pulling a cable end turns its light off and plugging restores it',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-1x').click();
      const end = page.getByTestId('link-filerA:0a');
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a link up' });
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'unplugged', { what: 'filerA:0a unplugged' });
      // The far end loses carrier too: its light is published by the shelf.
      await waitFor(async () => (await page.getByTestId('link-shelf1:A').getAttribute('data-light')) === 'down', { what: 'shelf1:A link down' });
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a up again' });
    },
  },
  {
    name: 'the inspector shows a part’s state in words; a fault from the right-click menu reaches the lab and the timeline',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      await page.getByTestId('node-shelf1').click();
      const inspector = page.getByTestId('inspector-shelf');
      await waitFor(async () => (await inspector.textContent()).includes('2 of 2 ok'), { what: 'shelf1 power supplies in the inspector' });
      await page.getByTestId('node-shelf1').click({ button: 'right' });
      await page.getByTestId('menu-shelf1').getByTestId('fault-psu').click();
      await page.getByTestId('tab-timeline').click();
      const row = page.getByTestId('timeline-row').filter({ hasText: 'shelf.psu.failed' });
      await waitFor(async () => (await row.count()) > 0, { what: 'the shelf.psu.failed EMS event' });
      assert.match(await row.first().textContent(), /\d\d:\d\d:\d\d\.\d{3}\s*shelf1/);
      await waitFor(async () => (await inspector.textContent()).includes('1 of 2 ok (#1 failed)'), { what: 'shelf1 power supply #1 failed' });
    },
  },
];
