// Issue 19, what misleads: one name for a disk, and a fault the filer notices. Bay 7 of shelf1 is
// `0a.23 (shelf1 bay 7)` on its tooltip, its menu and in the inspector, as on filerA's console. Failed
// from its right-click menu (a shelf fault), filerA notices within seconds: the bay turns failed, spare
// 0a.28 rebuilds it, filerA's panel says its RAID group is reconstructing, the inspector lists the disk
// as failed. The lab is saved first and restored after (Restore asks; "Save state, then replace" is the
// other answer), so the specs that follow find it healthy. Screenshot: disk-fault-reconstructing.png.
// The second spec replaces a disk as it is really done: pulled out of its bay from the menu (filerA finds
// it missing and rebuilds onto 0a.28), a new one inserted from the menu (a blank disk no filer owns), then
// `disk assign 0a.23` on filerA's console makes it a spare. Screenshot: disk-replaced-spare.png.
import assert from 'node:assert/strict';
import { attr, typeOnConsole } from './ha-helpers.mjs';
import { openLive, waitFor } from './helpers.mjs';

const bay = (page, shelf, number) => page.getByTestId(`bay-${shelf}-${number}`);
const ownText = (locator) => locator.evaluate((node) => [...node.childNodes].filter((child) => child.nodeType === 3).map((child) => child.textContent).join('').trim());

/** Saves the healthy lab, for restoreHealthy after the spec broke a disk. */
async function saveHealthy(page) {
  await page.getByTestId('save-state').click();
  await page.getByTestId('saved-note').waitFor({ timeout: 10_000 });
}

/** Bay 7 of shelf1's right-click menu, open. */
async function bayMenu(page) {
  await bay(page, 'shelf1', 7).click({ button: 'right' });
  const menu = page.getByTestId('menu-shelf1-bay-7');
  await menu.waitFor({ timeout: 10_000 });
  return menu;
}

/** Puts the healthy lab saved before back: Restore asks, since the lab ran on after the save. */
async function restoreHealthy(page) {
  await page.getByTestId('restore-state').click();
  await page.getByTestId('saved-states').getByRole('menuitem').first().click();
  await page.getByTestId('replace-dialog').waitFor({ timeout: 10_000 });
  await page.getByTestId('replace-discard').click();
  await waitFor(async () => (await attr(bay(page, 'shelf1', 7), 'data-role')) === 'data', { what: 'bay 7 a data disk again after the restore', timeoutMs: 30_000 });
}

export default [
  {
    name: 'disk fault: bay 7 of shelf1 is 0a.23 everywhere; failed from its menu, filerA reconstructs within seconds',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-1x').click();
      await waitFor(async () => (await attr(bay(page, 'shelf1', 7), 'data-role')) === 'data', { what: 'bay 7 of shelf1 a data disk' });
      assert.equal(await attr(bay(page, 'shelf1', 7), 'data-disk'), '0a.23 (shelf1 bay 7)');
      assert.match(await bay(page, 'shelf1', 7).locator('title').textContent(), /^0a\.23 \(shelf1 bay 7\): ok, data/);
      await saveHealthy(page);
      try {
        const menu = await bayMenu(page);
        assert.equal(await menu.getByTestId('menu-title').textContent(), '0a.23 (shelf1 bay 7)');
        const failedAt = Date.now();
        await menu.getByTestId('fault-fail').click();
        await waitFor(async () => (await attr(bay(page, 'shelf1', 7), 'data-role')) === 'failed', { what: 'filerA to hold 0a.23 failed', timeoutMs: 10_000 });
        await waitFor(async () => (await attr(bay(page, 'shelf1', 12), 'data-role')) === 'reconstructing', { what: 'spare 0a.28 rebuilding', timeoutMs: 10_000 });
        await waitFor(async () => /aggr0\/rg1 reconstructing/.test(await ownText(page.getByTestId('front-health-filerA'))), { what: 'filerA’s panel to say rg1 reconstructing' });
        assert.ok(Date.now() - failedAt < 10_000, 'noticed within seconds at 1x');

        await page.getByTestId('node-filerA').click();
        const disks = page.getByTestId('inspector-disks');
        await disks.waitFor({ timeout: 10_000 });
        const failed = disks.getByTestId('disk-shelf1-7');
        assert.equal(await attr(failed, 'data-role'), 'failed');
        assert.match(await failed.textContent(), /0a\.23 \(shelf1 bay 7\)/);
        assert.equal(await attr(disks.getByTestId('raid-aggr0/rg1'), 'data-status'), 'reconstructing');
        assert.doesNotMatch(await disks.textContent(), /disks\.shelf|\.role/);
        await screenshot('disk-fault-reconstructing');
      } finally {
        await restoreHealthy(page);
      }
      assert.equal(await page.getByTestId('saved-note').count(), 0, 'the saved note went with the replaced lab');
    },
  },
  {
    name: 'disk replaced: pulled out of bay 7 from its menu, a new disk inserted from the menu, assigned on the console: a spare',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-1x').click();
      await waitFor(async () => (await attr(bay(page, 'shelf1', 7), 'data-role')) === 'data', { what: 'bay 7 of shelf1 a data disk' });
      await saveHealthy(page);
      try {
        await (await bayMenu(page)).getByTestId('bay-pull').click();
        await waitFor(async () => (await attr(bay(page, 'shelf1', 7), 'data-state')) === 'empty', { what: 'bay 7 empty', timeoutMs: 10_000 });
        await waitFor(async () => (await attr(bay(page, 'shelf1', 12), 'data-role')) === 'reconstructing', { what: 'spare 0a.28 rebuilding the missing disk', timeoutMs: 10_000 });
        await waitFor(async () => /aggr0\/rg1 reconstructing/.test(await ownText(page.getByTestId('front-health-filerA'))), { what: 'filerA’s panel to say rg1 reconstructing' });

        // An empty bay offers no disk faults, only a new disk.
        const emptyMenu = await bayMenu(page);
        assert.equal(await emptyMenu.getByTestId('fault-fail').count(), 0);
        await emptyMenu.getByTestId('bay-insert').click();
        await waitFor(async () => (await attr(bay(page, 'shelf1', 7), 'data-state')) === 'ok', { what: 'a new disk in bay 7', timeoutMs: 10_000 });
        assert.match(await bay(page, 'shelf1', 7).locator('title').textContent(), /^0a\.23 \(shelf1 bay 7\): ok(?!.*owner)/);

        await typeOnConsole(page, 'filerA', 'disk assign 0a.23', /filerA>/);
        await waitFor(async () => (await attr(bay(page, 'shelf1', 7), 'data-role')) === 'spare', { what: 'the new disk filerA’s spare', timeoutMs: 10_000 });
        await screenshot('disk-replaced-spare');
      } finally {
        await restoreHealthy(page);
      }
    },
  },
];
