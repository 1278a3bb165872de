// The negotiated takeover in the window on the real ha-pair lab, at 1x so the arrow and verdict can be
// read: with cf disabled on filerB, `fault filerA nvram-battery` from filerA's menu draws the request
// arrow labelled with the fault type and filerB's refusal with its reason, and the inspector lists the
// fault as needing takeover with the refusal as the answer; cleared, cf enabled and faulted again,
// filerB answers "please shut down" (its countdown ring shows while filerA drains, a fraction of a
// second), takes over, and sends stay-down pulses on the interconnect. Screenshots:
// test-results/screenshots/negotiation-<step>.png. The last step puts the pair back up and serving.
import assert from 'node:assert/strict';
import { attr, label, menuItem, restorePair, typeOnConsole } from './ha-helpers.mjs';
import { openLive, waitFor } from './helpers.mjs';

const negotiation = (page) => page.getByTestId('negotiation-filerA-filerB');
const text = async (locator) => ((await locator.count()) > 0 ? (await locator.first().textContent()).trim() : '');

/** filerA's fault from its right-click menu: injected, or cleared when it is active. */
async function toggleFault(page, fault) {
  await (await menuItem(page, 'filerA', `fault-${fault}`)).click();
}

async function inspectorOf(page, filer) {
  await page.getByTestId(`node-${filer}`).click();
  await page.getByTestId('inspector-monitor').waitFor({ timeout: 10_000 });
}

export default [
  {
    name: 'fault filerA nvram-battery: request arrow with the fault type, refusal then please shut down, stay-down pulses, inspector fault list',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      try {
        await page.getByTestId('pace-max').click();
        await waitFor(async () => (await label(page, 'filerA')) === 'serving' && (await label(page, 'filerB')) === 'serving', { what: 'both filers serving' });
        await page.getByTestId('pace-1x').click();

        // Refused: cluster failover disabled on filerB.
        await typeOnConsole(page, 'filerB', 'cf disable', /filerB>/);
        await inspectorOf(page, 'filerB');
        await waitFor(async () => (await page.getByTestId('ha-enabled').textContent()) === 'disabled', { what: 'cf disabled on filerB' });
        await toggleFault(page, 'nvram-battery');
        await waitFor(async () => (await attr(negotiation(page), 'data-verdict').catch(() => null)) === 'refused', { what: 'filerB’s refusal beside the arrow', timeoutMs: 15_000 });
        assert.match(await text(page.getByTestId('negotiation-request')), /takeover request: nvram-battery/);
        assert.match(await text(page.getByTestId('negotiation-verdict')), /filerB: refused: cluster failover is disabled/);
        await inspectorOf(page, 'filerA');
        const fault = page.getByTestId('monitor-fault');
        await waitFor(async () => (await fault.count()) === 1, { what: 'filerA’s monitored fault in the inspector' });
        assert.equal(await attr(fault, 'data-type'), 'nvram-battery');
        assert.equal(await attr(fault, 'data-class'), 'takeover');
        assert.match(await fault.textContent(), /NVRAM battery low.*needs takeover/);
        assert.equal(await text(page.getByTestId('monitor-diagnosis')), 'needs takeover');
        await waitFor(async () => /refused: cluster failover is disabled/.test(await text(page.getByTestId('monitor-answer'))), { what: 'the refusal as filerA’s answer' });
        assert.equal(await label(page, 'filerA'), 'serving', 'refused: filerA stays up');
        await screenshot('negotiation-01-refused');

        // Cured, cf enabled, faulted again: accepted.
        await toggleFault(page, 'nvram-battery');
        await waitFor(async () => (await page.getByTestId('monitor-fault').count()) === 0, { what: 'the cured fault gone from the monitor', timeoutMs: 15_000 });
        await typeOnConsole(page, 'filerB', 'cf enable', /filerB>/);
        await inspectorOf(page, 'filerB');
        await waitFor(async () => (await page.getByTestId('ha-enabled').textContent()) === 'enabled', { what: 'cf enabled on filerB' });
        await toggleFault(page, 'nvram-battery');
        let ringSeen = false;
        await waitFor(async () => {
          ringSeen ||= (await page.getByTestId('countdown-ring').count()) > 0;
          return (await attr(negotiation(page), 'data-verdict').catch(() => null)) === 'accepted';
        }, { what: 'please shut down beside the arrow', timeoutMs: 15_000, intervalMs: 20 });
        assert.match(await text(page.getByTestId('negotiation-request')), /takeover request: nvram-battery/);
        assert.match(await text(page.getByTestId('negotiation-verdict')), /filerB: please shut down/);
        await waitFor(async () => {
          ringSeen ||= (await page.getByTestId('countdown-ring').count()) > 0;
          return /shut down in time: taken over/.test(await text(page.getByTestId('countdown-outcome')));
        }, { what: 'the countdown’s outcome', timeoutMs: 15_000, intervalMs: 20 });
        await waitFor(async () => (await label(page, 'filerB')) === 'in takeover', { what: 'filerB in takeover', timeoutMs: 15_000 });
        await waitFor(async () => (await page.getByTestId('stay-down-filerB-filerA').count()) === 1, { what: 'stay-down pulses from filerB to filerA' });
        assert.equal(await page.getByTestId('stay-down-filerB-filerA').locator('circle').count(), 6, 'three pulses on each of the two interconnect cables');
        assert.equal(await page.getByTestId('stay-down-filerA-filerB').count(), 0);
        await inspectorOf(page, 'filerB');
        assert.equal(await text(page.getByTestId('negotiation-partner-fault')), 'nvram-battery');
        assert.match(await text(page.getByTestId('negotiation-countdown')), /idle · started 2×|idle · started 1×/);
        await screenshot('negotiation-02-taken-over');
        console.log(`       countdown ring ${ringSeen ? 'seen' : 'not caught'} while filerA drained`);

        await inspectorOf(page, 'filerA');
        await waitFor(async () => (await attr(page.getByTestId('monitor-request'), 'data-pending')) === 'false', { what: 'filerA’s request over once it halted' });
        assert.equal(await text(page.getByTestId('monitor-answer')), 'please shut down');
        assert.equal(await text(page.getByTestId('monitor-no-faults')), 'not watching (OS down)');
      } catch (error) {
        await screenshot('negotiation-failed').catch(() => undefined);
        await putBack(page).catch((restoreError) => console.log(`       could not restore the pair: ${restoreError.message}`));
        throw error;
      }
      await putBack(page);
      await page.getByTestId('pace-1x').click();
    },
  },
];

/** The fault cleared (else filerA asks again once it boots), cf enabled, then the pair as it was. */
async function putBack(page) {
  const clear = await menuItem(page, 'filerA', 'fault-nvram-battery');
  if (/Clear/.test(await clear.textContent())) await clear.click();
  else await page.keyboard.press('Escape');
  await page.getByTestId('wiring-diagram').click({ position: { x: 5, y: 5 } });
  if ((await attr(page.getByTestId('banner-filerB'), 'data-ha')) !== 'takeover' && (await label(page, 'filerB')) === 'serving') {
    await typeOnConsole(page, 'filerB', 'cf enable', /filerB>/);
  }
  await restorePair(page);
}
