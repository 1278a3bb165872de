// Issue 19, what misleads: the filer's front panel says what the filer knows (a fan fault from its
// menu: the monitor's words and class, the fault LED on; cleared: no faults, LED off), and a client
// card says what the client experiences (stopped from the clients panel, on the diagram too, then
// mounted again). Screenshot: test-results/screenshots/front-panel-fan.png.
import assert from 'node:assert/strict';
import { attr, label, menuItem } from './ha-helpers.mjs';
import { openLive, waitFor } from './helpers.mjs';

const health = (page, filer) => page.getByTestId(`front-health-${filer}`);
const healthText = async (page, filer) => (await health(page, filer).evaluate((node) => [...node.childNodes].filter((child) => child.nodeType === 3).map((child) => child.textContent).join('').trim()));

export default [
  {
    name: 'front panel: a fan fault shows in the monitor’s words with the LED on; a stopped client says stopped',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-max').click();
      await waitFor(async () => (await label(page, 'filerB')) === 'serving', { what: 'filerB serving' });
      await waitFor(async () => (await healthText(page, 'filerB')) === 'no faults', { what: 'filerB with no faults' });
      assert.equal(await attr(page.getByTestId('fault-led-filerB'), 'data-on'), 'false');
      try {
        await (await menuItem(page, 'filerB', 'fault-fan')).click();
        await waitFor(async () => (await healthText(page, 'filerB')) === 'fan failed (warning only)', { what: 'the monitor’s fan warning on filerB’s panel' });
        assert.equal(await attr(page.getByTestId('fault-led-filerB'), 'data-on'), 'true');
        await screenshot('front-panel-fan');
      } finally {
        await (await menuItem(page, 'filerB', 'fault-fan')).click();
      }
      await waitFor(async () => (await healthText(page, 'filerB')) === 'no faults', { what: 'filerB’s panel clear again' });
      assert.equal(await attr(page.getByTestId('fault-led-filerB'), 'data-on'), 'false');

      await page.getByTestId('tab-clients').click();
      const card = page.getByTestId('client-c1');
      try {
        await card.getByRole('button', { name: 'stop' }).click();
        await waitFor(async () => (await page.getByTestId('client-state-c1').textContent()) === 'stopped', { what: 'c1’s card to say stopped' });
        await waitFor(async () => (await page.getByTestId('node-state-c1').textContent()) === 'stopped', { what: 'c1 on the diagram to say stopped' });
      } finally {
        await card.getByRole('button', { name: 'start' }).click();
      }
      await waitFor(async () => (await page.getByTestId('client-state-c1').textContent()) === 'mounted', { what: 'c1 mounted again', timeoutMs: 30_000 });
      await page.getByTestId('pace-1x').click();
    },
  },
];
