// Seed 003 in the window on the real ha-pair lab: with `options cifs.persistent_state on`, filerA's
// NVRAM card shows its CIFS record (armed flag, c2's session) and filerB's card the mirror; at
// `cf takeover` c2's session badge moves from filerA to filerB with the same session id, marked as
// restored from filerA, filerA's own half holds the elective-takeover record, and c2's card counts a
// resumed session and no drop. Then, with the option off, the same takeover leaves c2's session behind
// as "dropped" and c2 counts a drop. A hang with the option on shows the long pause on c2's chart
// (amber) and its card counting a resumed session. Screenshots: test-results/screenshots/cifs-<step>.png.
import assert from 'node:assert/strict';
import { attr, label, restorePair, typeOnConsole } from './ha-helpers.mjs';
import { openLive, waitFor } from './helpers.mjs';

const badge = (page, key) => page.getByTestId(`session-${key}`);
const badgeOf = async (page, key) => ((await badge(page, key).count()) === 0 ? null : {
  filer: await attr(badge(page, key), 'data-filer'), uid: await attr(badge(page, key), 'data-uid'), status: await attr(badge(page, key), 'data-status'),
});

async function inspect(page, filer) {
  await page.getByTestId(`node-${filer}`).click();
  await page.getByTestId('inspector-nvram').waitFor({ timeout: 10_000 });
}

async function bothServing(page) {
  await waitFor(async () => (await label(page, 'filerA')) === 'serving' && (await label(page, 'filerB')) === 'serving', { what: 'both filers serving', timeoutMs: 60_000 });
}

/** Both filers serving (at max pace), the option set on filerA, and filerA's inspector open. */
async function withPersistentState(page, value) {
  await page.getByTestId('pace-max').click();
  await bothServing(page);
  await typeOnConsole(page, 'filerA', `options cifs.persistent_state ${value}`, /filerA>/);
  await inspect(page, 'filerA');
}

export default [
  {
    name: 'cifs.persistent_state on: NVRAM card with the saved state, c2’s session badge moves to filerB intact, c2 resumed not dropped',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      try {
        await withPersistentState(page, 'on');
        const local = page.getByTestId('nvram-cifs-local');
        await waitFor(async () => (await attr(local, 'data-flag')) === 'non-elective-takeover' && Number(await attr(local, 'data-sessions')) >= 1, { what: 'filerA’s armed record with c2’s session' });
        assert.equal(await attr(page.getByTestId('inspector-nvram'), 'data-persistent'), 'on');
        await waitFor(async () => (await badgeOf(page, 'c2'))?.filer === 'filerA', { what: 'c2’s session badge by filerA' });
        const before = await badgeOf(page, 'c2');
        assert.equal(before.status, 'live');
        assert.ok(await page.getByTestId('nvram-cifs-session').filter({ hasText: `session ${before.uid} · C2` }).count() >= 1, 'c2’s session in filerA’s own half');
        await inspect(page, 'filerB');
        const mirror = page.getByTestId('nvram-cifs-partner');
        await waitFor(async () => (await attr(mirror, 'data-flag')) === 'non-elective-takeover', { what: 'filerA’s record mirrored in filerB’s card' });
        await screenshot('cifs-01-nvram-armed');

        await page.getByTestId('pace-1x').click();
        await typeOnConsole(page, 'filerB', 'cf takeover', /filerB>/);
        const seen = new Set();
        await waitFor(async () => {
          const now = await badgeOf(page, 'c2');
          if (now) seen.add(`${now.filer}:${now.status}`);
          return now?.filer === 'filerB' && now.status === 'restored';
        }, { what: 'c2’s session badge restored on filerB', timeoutMs: 60_000, intervalMs: 50 });
        const after = await badgeOf(page, 'c2');
        assert.equal(after.uid, before.uid, 'the same session id on filerB');
        assert.match(await badge(page, 'c2').textContent(), /from filerA/);
        assert.equal(await badge(page, 'c2-dropped').count(), 0, 'nothing dropped');
        console.log(`       badge states seen: ${[...seen].join(', ')}`);
        await inspect(page, 'filerA');
        await waitFor(async () => (await attr(page.getByTestId('nvram-cifs-local'), 'data-flag')) === 'elective-takeover', { what: 'filerA’s elective-takeover record' });
        await inspect(page, 'filerB');
        await waitFor(async () => /takeover from the partner’s half \(flag elective-takeover\): 1 session/.test(await page.getByTestId('nvram-last-restore').textContent()), { what: 'filerB’s last restore' });
        await page.getByTestId('tab-clients').click();
        // A pause shorter than the client's retransmission timeout is not counted as one: c2 may or
        // may not count a resume here (the hang test below makes a long one); it never counts a drop.
        const card = page.getByTestId('client-cifs-c2');
        assert.equal(await attr(card, 'data-dropped'), '0');
        console.log(`       c2 resumed ${await attr(card, 'data-resumed')} session(s) after cf takeover`);
        await screenshot('cifs-02-takeover-restored');
      } finally {
        await restorePair(page);
      }
    },
  },
  {
    name: 'cifs.persistent_state on, filerA hangs: c2 waits out the detection and resumes, an amber pause on its chart, no drop',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      try {
        await withPersistentState(page, 'on');
        await waitFor(async () => (await attr(page.getByTestId('nvram-cifs-local'), 'data-flag')) === 'non-elective-takeover', { what: 'the armed flag' });
        await page.getByTestId('tab-clients').click();
        const card = page.getByTestId('client-cifs-c2');
        const resumedBefore = Number(await attr(card, 'data-resumed'));
        const droppedBefore = Number(await attr(card, 'data-dropped'));
        await page.getByTestId('node-filerA').click({ button: 'right' });
        await page.getByTestId('menu-filerA').getByTestId('fault-hang').click();
        await waitFor(async () => Number(await attr(card, 'data-resumed')) > resumedBefore, { what: 'c2 resuming its session on filerB', timeoutMs: 60_000 });
        assert.equal(Number(await attr(card, 'data-dropped')), droppedBefore, 'no session dropped');
        assert.ok(Number(await attr(page.getByTestId('chart-c2'), 'data-paused')) >= 1, 'the pause shaded amber on c2’s chart');
        assert.equal((await badgeOf(page, 'c2'))?.filer, 'filerB');
        await screenshot('cifs-03-hang-resumed');
      } finally {
        // Cleared, the hung filerA finds itself taken over and goes down; then the pair is put back.
        if ((await attr(page.getByTestId('banner-filerA'), 'data-label')) === 'hung') {
          await page.getByTestId('node-filerA').click({ button: 'right' });
          await page.getByTestId('menu-filerA').getByTestId('fault-hang').click();
        }
        await restorePair(page);
      }
    },
  },
  {
    name: 'cifs.persistent_state off: the same takeover leaves c2’s session dropped on filerA, a new one on filerB',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      try {
        await withPersistentState(page, 'off');
        await waitFor(async () => (await attr(page.getByTestId('inspector-nvram'), 'data-persistent')) === 'off', { what: 'persistent state off on filerA' });
        await waitFor(async () => (await badgeOf(page, 'c2'))?.filer === 'filerA', { what: 'c2’s session badge by filerA', timeoutMs: 30_000 });
        const before = await badgeOf(page, 'c2');
        await page.getByTestId('tab-clients').click();
        const droppedBefore = Number(await attr(page.getByTestId('client-cifs-c2'), 'data-dropped'));
        await page.getByTestId('pace-1x').click();
        await typeOnConsole(page, 'filerB', 'cf takeover', /filerB>/);
        await waitFor(async () => (await badgeOf(page, 'c2-dropped'))?.filer === 'filerA', { what: 'c2’s session left behind as dropped', timeoutMs: 60_000, intervalMs: 50 });
        assert.equal((await badgeOf(page, 'c2-dropped')).uid, before.uid);
        await waitFor(async () => (await badgeOf(page, 'c2'))?.filer === 'filerB', { what: 'c2’s new session on filerB', timeoutMs: 30_000 });
        // A new session, set up afresh on filerB (not restored): its id is filerB's to give and may
        // happen to equal the old one, so the status says it, and c2's drop count below.
        assert.equal((await badgeOf(page, 'c2')).status, 'live');
        await page.getByTestId('tab-clients').click();
        await waitFor(async () => Number(await attr(page.getByTestId('client-cifs-c2'), 'data-dropped')) > droppedBefore, { what: 'c2 counting a drop' });
        await screenshot('cifs-04-classic-dropped');
      } finally {
        await restorePair(page);
      }
    },
  },
];
