// The toolbar's Record, Save and Open file on the real lab: record while pulling a cable and get a
// recording with its header and the pull; save the lab's YAML; a broken lab file is refused with its
// line and the running lab stays; Save state and Restore. Screenshots: test-results/screenshots/files-<step>.png.
import assert from 'node:assert/strict';
import { clockMs, downloaded, openLive, waitFor } from './helpers.mjs';

const fileTests = [
  {
    name: 'Record shows a red dot and the virtual time recorded; Stop downloads the recording with the pull in it',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-10x').click();
      const end = page.getByTestId('link-filerA:0a');
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a up' });
      const lab = await page.getByTestId('lab-picker').inputValue();
      await page.getByTestId('record').click();
      const elapsed = page.getByTestId('record-elapsed');
      await elapsed.waitFor({ timeout: 10_000 });
      assert.equal(await page.getByTestId('record').getAttribute('aria-pressed'), 'true');
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'unplugged', { what: 'filerA:0a unplugged' });
      await waitFor(async () => (await elapsed.textContent()) !== '00:00:00.000', { what: 'recorded virtual time to grow' });
      await screenshot('files-01-recording');
      const { name, text } = await downloaded(page, () => page.getByTestId('record').click());
      assert.match(name, new RegExp(`^${lab}-\\d+\\.filerlab\\.jsonl$`));
      const lines = text.trim().split('\n').map((line) => JSON.parse(line));
      assert.equal(lines[0].type, 'header');
      assert.equal(lines[0].format, 'filerlab-recording');
      assert.equal(lines[0].spec.name, lab);
      const pull = lines.find((line) => line.type === 'input' && line.input.kind === 'cable');
      assert.deepEqual(pull?.input, { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false });
      assert.ok(pull.atUs >= lines[0].fromUs, 'the pull is after the Record press');
      assert.equal(lines.at(-1).type, 'end');
      assert.match(lines.at(-1).traceHash, /^[0-9a-f]{16}$/);
      assert.equal(await page.getByTestId('record').getAttribute('aria-pressed'), 'false');
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a plugged back' });
    },
  },
  {
    name: 'Save downloads the running lab as <lab>.lab.yaml',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      const lab = await page.getByTestId('lab-picker').inputValue();
      const { name, text } = await downloaded(page, () => page.getByTestId('save-lab').click());
      assert.equal(name, `${lab}.lab.yaml`);
      assert.match(text, new RegExp(`^name: ${lab}$`, 'm'));
      assert.match(text, /^filers:$/m);
    },
  },
  {
    name: 'Open file refuses a broken lab file with its line, and the running lab goes on',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      const lab = await page.getByTestId('lab-picker').inputValue();
      const yaml = 'name: broken\nfilers:\n  filerA:\n    nvramMb: lots\n';
      const file = { name: 'broken.lab.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) };
      // The running lab has run: Open file asks first (issue 19); Cancel keeps it, nothing is read.
      const dialog = page.getByTestId('replace-dialog');
      await page.getByTestId('open-file-input').setInputFiles(file);
      await dialog.waitFor({ timeout: 10_000 });
      assert.match(await page.getByTestId('replace-question').textContent(), new RegExp(`^Replace ${lab} \\(at \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\) with broken\\.lab\\.yaml\\?`));
      await screenshot('files-02a-open-asks');
      await page.getByTestId('replace-cancel').click();
      assert.equal(await dialog.count(), 0);
      const errors = page.getByTestId('lab-file-errors');
      assert.equal(await errors.count(), 0);
      await page.getByTestId('open-file-input').setInputFiles(file);
      await page.getByTestId('replace-discard').click();
      await errors.waitFor({ timeout: 10_000 });
      const shown = await errors.textContent();
      assert.match(shown, /broken\.lab\.yaml:\d+: /, `errors name the file and line: ${shown}`);
      await screenshot('files-02-open-refused');
      assert.equal(await page.getByTestId('lab-picker').inputValue(), lab);
      await page.getByTestId('lab-file-errors-close').click();
      assert.equal(await errors.count(), 0);
    },
  },
];

// Save state and Restore: a lab saved with filerA:0a pulled, then run on and plugged back, comes back
// at the saved virtual time with the cable drawn unplugged again. Screenshots: files-03, files-04.
export const savedStateTests = [
  {
    name: 'Save state keeps the lab as it stands; Restore puts it back there, cable pulled and clock and all',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      const end = page.getByTestId('link-filerA:0a');
      await page.getByTestId('pace-10x').click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a up' });
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'unplugged', { what: 'filerA:0a unplugged' });
      await page.getByTestId('pace-pause').click();
      const clock = page.getByTestId('virtual-clock');
      await page.waitForTimeout(300);
      const savedClock = await clock.textContent();
      await page.getByTestId('save-state').click();
      const note = page.getByTestId('saved-note');
      await note.waitFor({ timeout: 10_000 });
      assert.equal(await note.textContent(), `saved ${savedClock}`);

      // Run on and plug the cable back: the lab moves away from the saved moment.
      await page.getByTestId('pace-max').click();
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a plugged back' });
      await waitFor(async () => clockMs(await clock.textContent()) > clockMs(savedClock) + 5_000, { what: 'the clock to run on' });
      await page.getByTestId('pace-pause').click();

      await page.getByTestId('restore-state').click();
      const menu = page.getByTestId('saved-states');
      await menu.waitFor({ timeout: 10_000 });
      const item = menu.getByRole('menuitem').first();
      assert.match(await item.textContent(), new RegExp(`at ${savedClock.replace(/\./g, '\\.')}`));
      await screenshot('files-03-restore-menu');
      await item.click();
      // The running lab has run on since: Restore asks first (issue 19).
      await page.getByTestId('replace-discard').click();
      await waitFor(async () => (await clock.textContent()) === savedClock, { what: `the clock back at ${savedClock}` });
      // The "saved …" note spoke of the lab just replaced: it goes with it.
      await waitFor(async () => (await note.count()) === 0, { what: 'the saved note to go with the replaced lab' });
      await waitFor(async () => (await end.getAttribute('data-light')) === 'unplugged', { what: 'filerA:0a unplugged again' });
      // filerA's console starts over from the saved transcript: its last loop event is the break again,
      // not the link up that came after the save (earlier tests may have put other breaks above it).
      const rows = page.getByTestId('console-terminal-filerA').locator('.xterm-rows');
      const lastLoopEvent = async () => (await rows.innerText()).split('\n').filter((line) => /fci\.link\.(break|up)/.test(line)).at(-1) ?? '';
      await waitFor(async () => (await lastLoopEvent()).includes('link break detected'), { what: "filerA's console to show the saved transcript" });
      await screenshot('files-04-restored');
      // And it goes on from there; the cable goes back in for the tests that follow (they share the lab).
      await page.getByTestId('pace-10x').click();
      await waitFor(async () => clockMs(await clock.textContent()) > clockMs(savedClock), { what: 'the restored lab to run' });
      await end.click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerA:0a plugged back after the restore' });
    },
  },
];

export default [...fileTests, ...savedStateTests];
