// The scenario panel and Undo in the window (issue 22) on the real lab: planned-takeover started from
// the panel, its goals turning green as commands typed on the consoles meet them (graded by the host's
// grader), a hint read at its cost, then Finish and the result card. Screenshots of the panel
// mid-exercise and at its result go to test-results/screenshots (and docs/images/ with
// FILERLAB_DOC_SCREENSHOTS=1). Then the instructor's fault seed: pulled-loop-cable started with a
// fixed seed, finished at once (its goals not met, and the card says why), its result exported as JSON
// and CSV. Then a pulled cable undone with Ctrl-Z and with the Undo button.
import assert from 'node:assert/strict';
import path from 'node:path';
import { clockMs, downloaded, openLive, waitFor } from './helpers.mjs';
import { attr, typeOnConsole } from './ha-helpers.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const DOC_IMAGES = process.env.FILERLAB_DOC_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'images') : undefined;

async function shoot(page, screenshot, name) {
  await screenshot(name);
  if (DOC_IMAGES) await page.screenshot({ path: path.join(DOC_IMAGES, `${name}.png`) });
}

const goalState = (page, id) => attr(page.getByTestId(`goal-${id}`), 'data-state');

async function waitGoal(page, id, state, timeoutMs = 40_000) {
  await waitFor(async () => (await goalState(page, id)) === state, { what: `goal ${id} ${state}`, timeoutMs });
}

export default [
  {
    name: 'a scenario started from the panel: goals turn green as typed commands meet them, a hint, a result card',
    // The exercise runs about a hundred virtual seconds at 10x on a shared machine.
    timeoutMs: 180_000,
    async run({ page, baseUrl, screenshot, problems }) {
      await openLive(page, baseUrl);
      // The help card links to the panel; its own handle beside the diagram hides and shows it.
      await page.getByTestId('shortcuts-open').click();
      await page.getByTestId('help-open-scenarios').click();
      const panel = page.getByTestId('scenario-panel');
      await panel.waitFor({ timeout: 10_000 });
      assert.equal(await page.getByTestId('shortcuts-overlay').count(), 0, 'the help card closed');
      await panel.getByTestId('scenario-close').click();
      await page.getByTestId('scenario-toggle').click();
      await panel.getByTestId('scenario-start-planned-takeover').waitFor({ timeout: 10_000 });
      assert.ok((await panel.getByTestId('scenario-list').locator('li').count()) >= 8, 'the eight shipped scenarios are listed');
      await panel.getByTestId('scenario-start-planned-takeover').click();
      const dialog = page.getByTestId('replace-dialog');
      await waitFor(async () => (await panel.getByTestId('scenario-title').count()) > 0 || (await dialog.count()) > 0, { what: 'the scenario or the replace question' });
      if ((await dialog.count()) > 0) await page.getByTestId('replace-discard').click();
      await waitFor(async () => (await panel.getByTestId('scenario-title').innerText().catch(() => '')).includes('maintenance'), { what: 'the scenario title' });
      // Markdown read as text: strong words and code, no stray asterisks or backticks.
      const instructions = panel.getByTestId('scenario-instructions');
      assert.ok((await instructions.locator('strong').count()) >= 1 && (await instructions.locator('code').count()) >= 1, 'the instructions show strong and code');
      assert.ok(!(await instructions.innerText()).includes('**'), 'no raw Markdown in the instructions');
      assert.equal(await goalState(page, 'taken-over'), 'pending');
      assert.match(await panel.getByTestId('scenario-timer').innerText(), /^0:0\d \/ 4:00/);

      await page.getByTestId('pace-10x').click();
      await typeOnConsole(page, 'filerB', 'cf takeover', /filerB>/);
      await waitGoal(page, 'taken-over', 'met');
      assert.equal(await goalState(page, 'no-lost-writes'), 'holding');
      await panel.getByTestId('hint-2').click();
      await panel.getByTestId('hint-text-2').waitFor({ timeout: 10_000 });
      assert.match(await panel.getByTestId('scenario-hints').innerText(), /−5 points so far/);
      await page.getByTestId('pace-pause').click();
      await shoot(page, screenshot, 'scenario-panel-mid-exercise');
      await page.getByTestId('pace-10x').click();

      await waitFor(async () => (await attr(page.getByTestId('banner-filerA'), 'data-label')) === 'at LOADER', { what: 'filerA halted at its loader', timeoutMs: 40_000 });
      await typeOnConsole(page, 'filerA', 'boot_ontap', /LOADER-A>/);
      await waitGoal(page, 'waiting', 'met', 60_000);
      await typeOnConsole(page, 'filerB', 'cf giveback', /filerB\(takeover\)>/);
      await waitGoal(page, 'given-back', 'met', 60_000);
      const timer = clockMs(await page.getByTestId('virtual-clock').innerText());
      assert.ok(timer < 240_000, `done within the time limit (${timer} ms)`);

      await panel.getByTestId('scenario-finish').click();
      const result = panel.getByTestId('scenario-result');
      await result.waitFor({ timeout: 20_000 });
      assert.equal(await panel.getByTestId('scenario-verdict').innerText(), 'PASS');
      assert.equal(await panel.getByTestId('scenario-score').innerText(), '95 / 100');
      for (const goal of ['taken-over', 'waiting', 'given-back', 'no-lost-writes', 'no-split-brain']) {
        assert.ok(['met', 'holding'].includes(await goalState(page, goal)), `${goal} met in the result`);
      }
      assert.match(await result.innerText(), /Hints read: 2 \(−5/);
      assert.match(await result.innerText(), /attempts\/.*planned-takeover-.*\.filerlab\.jsonl/);
      assert.equal(await attr(page.getByTestId('pace-pause'), 'aria-pressed'), 'true', 'the lab pauses on the result');
      await shoot(page, screenshot, 'scenario-panel-result');
      assert.deepEqual(problems, []);
    },
  },
  {
    name: 'a fixed fault seed, Finish now on what happened so far, and the result exported as JSON and CSV',
    async run({ page, baseUrl, screenshot, problems }) {
      await openLive(page, baseUrl);
      await page.getByTestId('scenario-toggle').click();
      const panel = page.getByTestId('scenario-panel');
      // The lab session outlives the page: an earlier test's result card may still be up.
      await waitFor(async () => (await panel.getByTestId('fault-seed').count()) > 0 || (await panel.getByTestId('scenario-other').count()) > 0, { what: 'the scenario list or a result' });
      if ((await panel.getByTestId('scenario-other').count()) > 0) await panel.getByTestId('scenario-other').click();
      await panel.getByTestId('fault-seed').waitFor({ timeout: 10_000 });
      await panel.getByTestId('fault-seed-fixed').check();
      await panel.getByTestId('fault-seed-value').fill('3');
      await panel.getByTestId('scenario-start-pulled-loop-cable').click();
      const dialog = page.getByTestId('replace-dialog');
      await waitFor(async () => (await panel.getByTestId('scenario-title').count()) > 0 || (await dialog.count()) > 0, { what: 'the scenario or the replace question' });
      if ((await dialog.count()) > 0) await page.getByTestId('replace-discard').click();
      await waitFor(async () => (await panel.getByTestId('scenario-seed').innerText().catch(() => '')).includes('fault seed 3'), { what: 'the fixed seed shown' });

      await page.getByTestId('pace-10x').click();
      await waitFor(async () => clockMs(await page.getByTestId('virtual-clock').innerText()) >= 2_000, { what: 'two virtual seconds' });
      await panel.getByTestId('scenario-finish').click();
      const result = panel.getByTestId('scenario-result');
      await result.waitFor({ timeout: 20_000 });
      assert.equal(await panel.getByTestId('scenario-verdict').innerText(), 'FAIL');
      assert.equal(await goalState(page, 'loops-whole'), 'unmet');
      assert.match(await panel.getByTestId('scenario-finished-early').innerText(), /before the 120 s limit: graded on what had happened by then; \d goals? not met by then counts? as not met/);
      assert.match(await panel.getByTestId('scenario-fault').innerText(), /filer[AB]-0[ab] \(fault seed 3\)/);
      await shoot(page, screenshot, 'scenario-panel-finished-early');

      const json = await downloaded(page, () => panel.getByTestId('scenario-export-json').click());
      assert.match(json.name, /^pulled-loop-cable-\d+s-result\.json$/);
      const document = JSON.parse(json.text);
      assert.equal(document.faultSeed, 3);
      assert.equal(document.passed, false);
      const csv = await downloaded(page, () => panel.getByTestId('scenario-export-csv').click());
      assert.match(csv.name, /\.csv$/);
      const [header, row] = csv.text.trimEnd().split('\n');
      assert.match(header, /^scenario,trainee,lab,seed,fault,faultSeed,score,.*,goal:loops-whole/);
      assert.match(row, /^pulled-loop-cable,,ha-pair,\d+,filer[AB]-0[ab],3,/);
      assert.deepEqual(problems, []);
    },
  },
  {
    name: 'Undo: a pulled cable is plugged back exactly, by Ctrl-Z and by the toolbar button',
    async run({ page, baseUrl, problems }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-10x').click();
      const end = page.getByTestId('link-filerA:0a');
      await waitFor(async () => (await attr(end, 'data-light')) === 'up', { what: 'filerA:0a up' });
      for (const how of ['Ctrl-Z', 'button']) {
        await end.click();
        await waitFor(async () => (await attr(end, 'data-light')) === 'unplugged', { what: 'filerA:0a unplugged' });
        const before = clockMs(await page.getByTestId('virtual-clock').innerText());
        if (how === 'button') await page.getByTestId('undo').click();
        else {
          await page.getByTestId('inspector').click({ position: { x: 5, y: 5 } });
          await page.keyboard.press('Control+z');
        }
        await waitFor(async () => (await attr(end, 'data-light')) === 'up', { what: `filerA:0a back up after Undo (${how})` });
        assert.equal(await page.getByTestId('undo-note').innerText(), 'undone: pull filerA:0a');
        // Undo does not turn the clock back: the lab goes on from where it was.
        assert.ok(clockMs(await page.getByTestId('virtual-clock').innerText()) >= before, `the clock goes on (${how})`);
      }
      await page.getByTestId('undo').click();
      await waitFor(async () => (await page.getByTestId('undo-note').innerText()).startsWith('nothing to undo'), { what: 'nothing left to undo' });
      assert.deepEqual(problems, []);
    },
  },
];
