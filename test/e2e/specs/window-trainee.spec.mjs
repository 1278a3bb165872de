// The lab window for a trainee (issues 17, 19): the inspector of every part kind speaks in words (no raw
// published paths, `[]` or `true,false`); cluster-4's vservers are boxes on their node that move with
// `vserver migrate`; at 1280×800 the toolbar, diagram legend and inspector do not overlap or get cut
// off, and no address tag lies across a cable. Screenshots of both labs at 1600×1000 and 1280×800 (docs/images/ with FILERLAB_DOC_SCREENSHOTS=1).
import assert from 'node:assert/strict';
import path from 'node:path';
import { clockMs, openLab, openLive, waitFor } from './helpers.mjs';

/** The README's screenshots are remade with FILERLAB_DOC_SCREENSHOTS=1; otherwise they go with the run's. */
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const IMAGES = process.env.FILERLAB_DOC_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'images') : path.join(ROOT, 'test-results', 'screenshots');
/** A published path (`disks.shelf1.0.role`; an address like 10.1.1.10 is not one), an empty list or a list of booleans shown raw. */
const RAW = [/\b[A-Za-z]\w*\.\w+\.\d+\./, /\[\]/, /true,\s*false|false,\s*true|\[true|\[false/];

async function inspectorText(page) {
  return page.getByTestId('inspector').innerText();
}

async function assertNoRaw(page, part) {
  const text = await inspectorText(page);
  for (const pattern of RAW) {
    const found = pattern.exec(text);
    assert.equal(found, null, `${part}'s inspector shows raw state: …${found ? text.slice(Math.max(0, found.index - 60), found.index + 60) : ''}…`);
  }
}

/** Whether two boxes overlap by more than a pixel. */
function overlaps(a, b) {
  return a.x + a.width > b.x + 1 && b.x + b.width > a.x + 1 && a.y + a.height > b.y + 1 && b.y + b.height > a.y + 1;
}

async function assertLayoutHolds(page, lab) {
  const box = async (testid) => {
    const found = await page.getByTestId(testid).boundingBox();
    assert.ok(found, `${testid} is on screen (${lab})`);
    return found;
  };
  const viewport = page.viewportSize();
  const toolbar = await box('toolbar');
  const legend = await box('diagram-legend');
  const inspector = await box('inspector-pane');
  const diagram = await box('wiring-diagram');
  for (const [name, part] of [['toolbar', toolbar], ['legend', legend], ['inspector', inspector]]) {
    assert.ok(part.x >= 0 && part.y >= 0 && part.x + part.width <= viewport.width + 1 && part.y + part.height <= viewport.height + 1, `${name} inside the ${viewport.width}×${viewport.height} window (${lab}): ${JSON.stringify(part)}`);
  }
  assert.ok(toolbar.height <= 48, `the toolbar keeps one row (${lab}, ${toolbar.height} px)`);
  assert.ok(!overlaps(toolbar, legend) && !overlaps(toolbar, inspector) && !overlaps(legend, inspector), `toolbar, legend and inspector apart (${lab})`);
  assert.ok(legend.x >= diagram.x - 1 && legend.x + legend.width <= diagram.x + diagram.width + 1, `the legend fits across the diagram (${lab})`);
  // Every toolbar control is whole: none cut off by the window's edge or wrapped under another.
  const controls = await page.getByTestId('toolbar').locator('button, select, [data-testid="virtual-clock"], [data-testid="connection"]').evaluateAll((nodes) => nodes.map((node) => {
    const rect = node.getBoundingClientRect();
    return { name: node.getAttribute('data-testid') ?? node.textContent, x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  }));
  for (const control of controls) assert.ok(control.x + control.width <= viewport.width + 1 && control.width > 0, `toolbar control ${control.name} on screen (${lab})`);
  for (let i = 0; i < controls.length; i++) for (let j = i + 1; j < controls.length; j++) assert.ok(!overlaps(controls[i], controls[j]), `toolbar controls ${controls[i].name} and ${controls[j].name} apart (${lab})`);
  // Address tags are legible: none on top of another.
  const tags = await page.locator('[data-testid^="address-"] rect').evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().toJSON()));
  for (let i = 0; i < tags.length; i++) for (let j = i + 1; j < tags.length; j++) assert.ok(!overlaps(tags[i], tags[j]), `address tags ${i} and ${j} apart (${lab})`);
  // …and kept off the cables: no cable line, as the browser draws it, passes through a tag's pill.
  const crossings = await page.evaluate(() => {
    const pills = [...document.querySelectorAll('[data-testid^="address-"]')].map((tag) => ({ name: tag.getAttribute('data-testid'), box: tag.querySelector('rect').getBoundingClientRect() }));
    const found = [];
    for (const cable of document.querySelectorAll('path[data-testid^="cable-"]')) {
      const matrix = cable.getScreenCTM();
      const length = cable.getTotalLength();
      const points = Array.from({ length: 201 }, (_, step) => cable.getPointAtLength((length * step) / 200).matrixTransform(matrix));
      for (const { name, box } of pills) {
        // Inside the pill shrunk by half a pixel (antialiasing at its edge is not a crossing).
        if (points.some((point) => point.x > box.left + 0.5 && point.x < box.right - 0.5 && point.y > box.top + 0.5 && point.y < box.bottom - 0.5)) found.push(`${name} × ${cable.getAttribute('data-testid')}`);
      }
    }
    return found;
  });
  assert.deepEqual(crossings, [], `address tags off the cables (${lab})`);
}

export default [
  {
    name: 'explained: every toolbar control has a tooltip, ? opens the shortcuts, a timeline row says what its event means and lights its part',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      const untitled = await page.getByTestId('toolbar').locator('button, select, [data-testid="virtual-clock"], [data-testid="connection"]').evaluateAll((nodes) => nodes
        .filter((node) => !(node.getAttribute('title') || node.closest('[title]')?.getAttribute('title')))
        .map((node) => node.getAttribute('data-testid') ?? node.textContent));
      assert.deepEqual(untitled, [], 'toolbar controls without a tooltip');
      // Keys typed in a console are the filer's: focus leaves it for the window first.
      await page.getByTestId('inspector').click({ position: { x: 5, y: 5 } });
      // Whatever the click landed on (a card's control, a field) must not keep the key either.
      await page.evaluate(() => document.activeElement?.blur?.());
      await page.keyboard.press('?');
      await page.getByTestId('shortcuts-overlay').waitFor({ timeout: 5_000 });
      assert.match(await page.getByTestId('shortcuts-overlay').innerText(), /Space\s+pause/);
      // The same card says what the lab is, its parts and how to work it.
      const help = await page.getByTestId('help-lab').innerText();
      for (const words of [/interconnect/, /Pull or plug a cable/, /right-click a part/, /scenario/]) assert.match(help, words);
      await page.keyboard.press('Escape');
      await waitFor(async () => (await page.getByTestId('shortcuts-overlay').count()) === 0, { what: 'the overlay closed by Esc' });
      await page.getByTestId('tab-timeline').click();
      const row = page.locator('[data-testid="timeline-row"][data-source="raid.vol.created"]').first();
      await row.waitFor({ timeout: 10_000 });
      assert.match(await row.getAttribute('title'), /An aggregate was created/);
      const part = (await row.locator('td').nth(1).innerText()).trim();
      await row.hover();
      await waitFor(async () => (await page.getByTestId(`node-${part}`).getAttribute('data-highlighted')) === 'true', { what: `${part} lit on the diagram` });
    },
  },
  {
    name: 'forgiving: a paused lab says so above the console, and what was typed reaches the filer when time runs',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-1x').click();
      await page.getByTestId('tab-consoles').click();
      await page.getByTestId('console-tab-filerB').click();
      const rows = page.getByTestId('console-terminal-filerB').locator('.xterm-rows');
      await rows.waitFor({ timeout: 30_000 });
      await waitFor(async () => /filerB> /.test(await rows.innerText()), { what: 'the filerB> prompt', timeoutMs: 30_000 });
      await page.getByTestId('pace-pause').click();
      await page.getByTestId('console-paused').waitFor({ timeout: 5_000 });
      assert.match(await page.getByTestId('console-paused').innerText(), /paused.*reaches filerB/);
      const answers = async () => ((await rows.innerText()).match(/is up\./g) ?? []).length;
      const before = await answers();
      await page.getByTestId('console-terminal-filerB').click();
      await page.keyboard.type('cf status');
      await page.keyboard.press('Enter');
      await page.getByTestId('pace-1x').click();
      await waitFor(async () => (await page.getByTestId('console-paused').count()) === 0, { what: 'the notice gone when time runs' });
      await waitFor(async () => (await answers()) > before, { what: 'cf status answered after resuming' });
    },
  },
  {
    name: 'the inspector of each part kind shows cards in words, no raw published state',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      await openLab(page, 'ha-pair');
      await page.getByTestId('pace-10x').click();
      await waitFor(async () => (await page.getByTestId('banner-filerA').getAttribute('data-label')) === 'serving', { what: 'filerA serving' });
      await page.getByTestId('node-filerA').click();
      for (const card of ['inspector-filer', 'inspector-ha', 'inspector-nvram', 'inspector-ports', 'inspector-disks', 'inspector-environment']) {
        await page.getByTestId(card).waitFor({ timeout: 10_000 });
      }
      assert.match(await page.getByTestId('inspector-environment').innerText(), /fans\s+4 of 4 ok/);
      await waitFor(async () => /mirror\s+mirrored/.test(await page.getByTestId('inspector-nvram').innerText()), { what: 'the NVRAM mirror from the summary' });
      await assertNoRaw(page, 'filerA');
      await page.getByTestId('node-shelf1').click();
      await page.getByTestId('inspector-shelf').waitFor();
      assert.match(await page.getByTestId('inspector-shelf').innerText(), /module A\s+in up · out up/);
      await assertNoRaw(page, 'shelf1');
      await page.getByTestId('bay-shelf1-7').click();
      const disk = page.getByTestId('inspector-disk');
      await disk.waitFor();
      const diskText = await disk.innerText();
      assert.match(diskText, /name\s+0a\.23/);
      assert.match(diskText, /place\s+shelf1 bay 7/);
      assert.match(diskText, /loop A\s+0a\.23 from filerA/);
      assert.match(diskText, /loop B\s+\S+ from filer/);
      assert.match(diskText, /reservation\s+held by filerA/);
      await assertNoRaw(page, 'shelf1 bay 7');
      for (const client of ['c1', 'c2']) {
        await page.getByTestId(`node-${client}`).click();
        await page.getByTestId('inspector-client').waitFor();
        const text = await page.getByTestId('inspector-client').innerText();
        assert.match(text, /protocol\s+(NFS|CIFS)/);
        assert.match(text, /latency\s+/);
        assert.match(text, /outage\s+/);
        await assertNoRaw(page, client);
      }
      await page.getByTestId('node-sw1').click();
      await page.getByTestId('inspector-switch').waitFor();
      await assertNoRaw(page, 'sw1');
    },
  },
  {
    name: 'forgiving: a part’s Repair, Clear faults for the whole lab, and Reset back to the start',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-10x').click();
      const end = page.getByTestId('link-filerB:e0a');
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up', { what: 'filerB:e0a up' });
      // A shelf power supply failed, repaired from the shelf's own menu.
      await page.getByTestId('node-shelf2').click({ button: 'right' });
      await page.getByTestId('menu-shelf2').getByTestId('fault-psu').click();
      await page.getByTestId('node-shelf2').click();
      const shelf = page.getByTestId('inspector-shelf');
      await waitFor(async () => /1 of 2 ok/.test(await shelf.innerText()), { what: 'shelf2 with a failed supply' });
      await page.getByTestId('node-shelf2').click({ button: 'right' });
      await page.getByTestId('menu-shelf2').getByTestId('menu-repair').click();
      await waitFor(async () => /2 of 2 ok/.test(await shelf.innerText()), { what: 'shelf2 repaired' });
      // A pulled cable and a fan fault, put right by Clear faults.
      await end.click();
      await page.getByTestId('node-filerB').click({ button: 'right' });
      await page.getByTestId('menu-filerB').getByTestId('fault-fan').click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'unplugged', { what: 'filerB:e0a pulled' });
      await page.getByTestId('node-filerB').click();
      const environment = page.getByTestId('inspector-environment');
      await waitFor(async () => /fans\s+3 of 4 ok/.test(await environment.innerText()), { what: 'a fan failed on filerB' });
      await page.getByTestId('clear-faults').click();
      await waitFor(async () => (await end.getAttribute('data-light')) === 'up' && /fans\s+4 of 4 ok/.test(await environment.innerText()), { what: 'the cable plugged and the fan back' });
      // Reset: the lab from its start (the changed lab asks first; the trainee says replace).
      const before = clockMs(await page.getByTestId('virtual-clock').innerText());
      await page.getByTestId('reset-lab').click();
      const dialog = page.getByTestId('replace-dialog');
      await waitFor(async () => (await dialog.count()) > 0 || clockMs(await page.getByTestId('virtual-clock').innerText()) < before, { what: 'the reset question or the reset' });
      if ((await dialog.count()) > 0) await page.getByTestId('replace-discard').click();
      await waitFor(async () => clockMs(await page.getByTestId('virtual-clock').innerText()) < before, { what: 'the virtual clock back near the start' });
    },
  },
  {
    name: 'client charts have an op/s and a latency axis, a virtual time scale and a key for outages',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      await page.getByTestId('pace-10x').click();
      await page.getByTestId('tab-clients').click();
      await waitFor(async () => Number(await page.getByTestId('chart-time-c1').getAttribute('data-ticks')) >= 2, { what: 'two time ticks under c1’s chart' });
      assert.match(await page.getByTestId('chart-axis-ops-c1').innerText(), /^\d+\s+op\/s\s+0$/);
      assert.match(await page.getByTestId('chart-axis-latency-c1').innerText(), /^\d+(\.\d+)?\s+ms\s+0$/);
      assert.match(await page.getByTestId('chart-time-c1').innerText(), /\d+:\d\d/);
      assert.match(await page.getByTestId('chart-c1').innerText(), /outage/);
      await screenshot('window-client-charts');

      // The whole run is kept: past a minute in, "whole run" shows more than the live minute. At 10x, not
      // max: a window keeps a path's latest sample per delta, so at max speed a faster lab leaves fewer
      // points per virtual second, and the zoomed stretch below would hold a machine-dependent few.
      await waitFor(async () => clockMs(await page.getByTestId('virtual-clock').innerText()) >= 80_000, { what: '80 virtual seconds in', timeoutMs: 60_000 });
      await page.getByTestId('pace-1x').click();
      const chart = page.getByTestId('chart-c1');
      const pointsShown = async () => Number(await chart.getAttribute('data-points'));
      const live = await pointsShown();
      assert.equal(await page.getByTestId('chart-range').getAttribute('data-range'), 'live');
      await page.getByTestId('chart-range-whole').click();
      await waitFor(async () => (await pointsShown()) > live + 20, { what: `the whole run (more than the live minute's ${live} points)` });
      const whole = await pointsShown();
      // Drag across the middle of c1's chart: every chart zooms to that stretch, and Back returns to live.
      const plot = await page.getByTestId('chart-plot-c1').boundingBox();
      await page.mouse.move(plot.x + plot.width * 0.3, plot.y + plot.height / 2);
      await page.mouse.down();
      await page.mouse.move(plot.x + plot.width * 0.5, plot.y + plot.height / 2, { steps: 4 });
      await page.mouse.move(plot.x + plot.width * 0.7, plot.y + plot.height / 2, { steps: 4 });
      await page.mouse.up();
      await waitFor(async () => (await page.getByTestId('chart-range').getAttribute('data-range')) === 'window', { what: 'a window dragged out' });
      const [from, to] = (await page.getByTestId('chart-range-label').innerText()).split(' – ').map((label) => label.split(':').reduce((total, part) => total * 60 + Number(part), 0));
      assert.ok(to - from >= 10 && from > 0, `a window of the run, ${from}–${to} s`);
      const windowed = await pointsShown();
      assert.ok(windowed >= 10 && windowed < whole, `c1 shows the window's points (${windowed} of ${whole})`);
      assert.match(await page.getByTestId('chart-time-c1').innerText(), /\d+:\d\d/);
      await screenshot('window-client-charts-zoomed');
      await page.getByTestId('chart-range-back').click();
      await waitFor(async () => (await page.getByTestId('chart-range').getAttribute('data-range')) === 'live', { what: 'back to the live minute' });
    },
  },
  {
    name: 'at 1280×800 the toolbar, legend and inspector hold for ha-pair and cluster-4; screenshots at 1600×1000 and 1280×800',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      // ha-pair, then cluster-4, which the next test goes on with (it opens ha-pair again at its end).
      for (const lab of ['ha-pair', 'cluster-4']) {
        await openLab(page, lab);
        await page.getByTestId('pace-10x').click();
        await page.locator('[data-testid^="address-"]').first().waitFor({ timeout: 30_000 });
        if (lab === 'cluster-4') await page.getByTestId('vserver-vs1').waitFor({ timeout: 30_000 });
        // A few virtual seconds in: clients have charted and the cluster's loads are measured.
        await waitFor(async () => clockMs(await page.getByTestId('virtual-clock').innerText()) >= 8_000, { what: `${lab} 8 s in`, timeoutMs: 30_000 });
        await page.getByTestId(lab === 'ha-pair' ? 'node-filerA' : 'node-node1').click();
        for (const [width, height] of [[1600, 1000], [1280, 800]]) {
          await page.setViewportSize({ width, height });
          await page.locator('svg.diagram__svg').dblclick({ position: { x: 5, y: 5 } });
          await assertLayoutHolds(page, lab);
          await page.screenshot({ path: path.join(IMAGES, `window-${lab}-${width}x${height}.png`) });
        }
      }
    },
  },
  {
    name: 'cluster-4: vservers are boxes on their node; vs2 moves from node1 to node3 after vserver migrate typed on node1, and vs4 on when node3 is powered off, each saying why',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      try {
        await openLab(page, 'cluster-4');
        await page.getByTestId('pace-10x').click();
        const vs2 = page.getByTestId('vserver-vs2');
        await waitFor(async () => (await vs2.getAttribute('data-node')) === 'node1', { what: 'vs2 on node1', timeoutMs: 30_000 });
        await page.getByTestId('master-node1').waitFor();
        assert.ok(Number(await page.getByTestId('node-load-node1').getAttribute('data-load')) >= 0, 'node1 has a load');
        await page.getByTestId('port-load-node1:e0a').waitFor();
        const before = await vs2.boundingBox();
        const node3 = await page.getByTestId('node-node3').boundingBox();
        await page.getByTestId('console-tab-node1').click();
        const terminal = page.getByTestId('console-terminal-node1');
        await terminal.locator('.xterm-rows').waitFor({ timeout: 30_000 });
        await waitFor(async () => /node1> /.test(await terminal.locator('.xterm-rows').innerText()), { what: 'the node1> prompt', timeoutMs: 30_000 });
        await terminal.click();
        await page.keyboard.type('vserver migrate vs2 node3');
        await page.keyboard.press('Enter');
        // The box says why it moved while it glides and a few virtual seconds after.
        await waitFor(async () => (await vs2.getAttribute('data-node')) === 'node3' && (await vs2.getAttribute('data-moved')) === 'vserver migrate',
          { what: 'vs2 on node3, saying vserver migrate', timeoutMs: 40_000, intervalMs: 50 });
        await waitFor(async () => {
          const after = await vs2.boundingBox();
          return after.x >= node3.x && after.x + after.width <= node3.x + node3.width + 1 && after.x !== before.x;
        }, { what: 'the vs2 box drawn inside node3' });
        await screenshot('window-cluster-4-vs2-migrated');
        // node3 powered off from its menu: vs4's box stays drawn (on node3, not served) until the master
        // places it on a live node, and says why it moved.
        const vs4 = page.getByTestId('vserver-vs4');
        assert.equal(await vs4.getAttribute('data-node'), 'node3');
        await page.getByTestId('node-node3').click({ button: 'right' });
        await page.getByTestId('menu-node3').getByTestId('menu-power').click();
        await waitFor(async () => {
          assert.equal(await vs4.count(), 1, 'vs4’s box is drawn throughout the failover');
          const node = await vs4.getAttribute('data-node');
          return node !== 'node3' && (await vs4.getAttribute('data-state')) === 'running' && /node3 failed|rebalance/.test(await vs4.getAttribute('data-moved')) ? node : false;
        }, { what: 'vs4 placed on a live node after node3 powered off', timeoutMs: 60_000, intervalMs: 50 });
      } finally {
        await openLab(page, 'ha-pair');
      }
    },
  },
  {
    name: 'a port says its name on hover, and every port does once the diagram is zoomed in',
    async run({ page, baseUrl }) {
      await openLive(page, baseUrl);
      const name = page.getByTestId('port-name-filerA:e0a');
      await page.getByTestId('link-filerA:e0a').waitFor({ timeout: 30_000 });
      assert.equal(await name.isVisible(), false, 'hidden until asked');
      await page.getByTestId('link-filerA:e0a').hover();
      await waitFor(() => name.isVisible(), { what: 'e0a named on hover' });
      assert.equal(await name.textContent(), 'e0a');
      assert.equal(await page.getByTestId('port-name-filerB:0b').isVisible(), false, 'only the hovered port');
      // Zoomed in about filerA: every port is named without hovering.
      const filerA = await page.getByTestId('node-filerA').boundingBox();
      await page.mouse.move(filerA.x + filerA.width / 2, filerA.y + filerA.height / 2);
      for (let step = 0; step < 5; step++) await page.mouse.wheel(0, -100);
      await waitFor(async () => Number((await page.getByTestId('zoom').innerText()).match(/^(\d+)%/)?.[1]) >= 160, { what: 'zoomed to 160% or more' });
      await waitFor(() => page.getByTestId('port-name-filerA:0b').isVisible(), { what: 'filerA:0b named at zoom' });
      await page.locator('svg.diagram__svg').dblclick({ position: { x: 5, y: 5 } });
      await waitFor(async () => !(await page.getByTestId('port-name-filerA:0b').isVisible()), { what: 'names hidden again at fit' });
    },
  },
];
