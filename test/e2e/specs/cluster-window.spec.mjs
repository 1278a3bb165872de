// cluster-4 in the window (issue 17, seed 004). When a node loses its subnet (claims 8, 9; the same actions
// as test/scripts/cluster/subnet-fail-routed.script): node1's three net1 cables pulled from the diagram,
// node2 routes for it, and c1's traffic is drawn dashed over c1–sw1–node2 and node2–sw2–node1 with the
// label "routed via node2"; node2's inspector shows its routing table with the proxied addresses. Plugged
// back, the path is direct again and the routed path goes. And a port left with no good port on its
// node (all of node4's Ethernet cables pulled) is ringed as stranded. A vserver moved by a storage failover
// (claim 14) says so on its box.
import assert from 'node:assert/strict';
import { clockMs, openLab, openLive, waitFor } from './helpers.mjs';

/** The centre of a part's bounding box on the page. */
async function centreOf(locator) {
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

function inside(point, box, margin = 2) {
  return point.x >= box.x - margin && point.x <= box.x + box.width + margin && point.y >= box.y - margin && point.y <= box.y + box.height + margin;
}

const NET1 = ['node1:e0a', 'node1:e0c', 'node1:e0d'];

/** A fresh cluster-4 at 10x, 5 virtual seconds in, with `vserver` on `node`. */
async function startCluster4(page, baseUrl, vserver, node) {
  await openLive(page, baseUrl);
  await openLab(page, 'cluster-4');
  await page.getByTestId('pace-10x').click();
  await waitFor(async () => (await page.getByTestId(`vserver-${vserver}`).getAttribute('data-node')) === node, { what: `${vserver} on ${node}`, timeoutMs: 30_000 });
  await waitFor(async () => clockMs(await page.getByTestId('virtual-clock').innerText()) >= 5_000, { what: 'cluster-4 5 s in', timeoutMs: 30_000 });
}

export default [
  {
    name: 'cluster-4: node1 loses net1, node2 routes for it, and c1’s routed path is drawn over the cables via node2',
    timeoutMs: 150_000,
    async run({ page, baseUrl, screenshot }) {
      try {
        await startCluster4(page, baseUrl, 'vs1', 'node1');
        assert.equal(await page.getByTestId('routed-path-c1').count(), 0, 'nothing routed before the pull');
        for (const end of NET1) {
          await page.getByTestId(`link-${end}`).dispatchEvent('click');
          await waitFor(async () => (await page.getByTestId(`link-${end}`).getAttribute('data-light')) === 'unplugged', { what: `${end} pulled` });
        }
        const path = page.getByTestId('routed-path-c1');
        await waitFor(async () => (await path.count()) === 1, { what: 'c1’s routed path drawn', timeoutMs: 60_000 });
        assert.equal(await path.getAttribute('data-via'), 'node2');
        assert.equal(await path.getAttribute('data-serving'), 'node1');
        assert.equal(await page.getByTestId('routed-label-node2').textContent(), 'routed via node2');
        // The path lies over the cables: it starts at c1's port and reaches node1 on e0b, through node2.
        const drawn = await path.boundingBox();
        for (const end of ['c1:e0', 'node2:e0b', 'node1:e0b']) assert.ok(inside(await centreOf(page.getByTestId(`link-${end}`)), drawn), `the routed path reaches ${end}`);
        await page.getByTestId('node-node2').click();
        await waitFor(async () => /routes for node1/.test(await page.getByTestId('inspector-routing-line').innerText()), { what: 'node2 says it routes for node1' });
        const proxied = page.locator('[data-testid="inspector-route"][data-flags="UHLS"]');
        assert.ok((await proxied.count()) >= 1, 'node2 lists the addresses it stands in for');
        assert.match(await proxied.first().innerText(), /node1 via e0b/);
        await screenshot('window-cluster-4-routed-via-node2');
        // net1 plugged back: node1 answers on its own ports again and the routed path goes.
        for (const end of NET1) await page.getByTestId(`link-${end}`).dispatchEvent('click');
        await waitFor(async () => (await page.getByTestId('routed-path-c1').count()) === 0, { what: 'c1’s path direct again', timeoutMs: 60_000 });
      } finally {
        await openLab(page, 'ha-pair');
      }
    },
  },
  {
    name: 'cluster-4: a port that failed with no good port left on its node is ringed as stranded, on the diagram and in the inspector',
    timeoutMs: 120_000,
    async run({ page, baseUrl, screenshot }) {
      try {
        await startCluster4(page, baseUrl, 'vs5', 'node4');
        const stranded = page.locator('[data-testid^="port-stranded-node4:"]');
        assert.equal(await stranded.count(), 0, 'no port stranded while the cables are in');
        // Every Ethernet cable of node4 out: the last port to lose its link has nowhere to put its addresses.
        const ends = ['node4:e0a', 'node4:e0c', 'node4:e0b'];
        for (const end of ends) await page.getByTestId(`link-${end}`).dispatchEvent('click');
        await waitFor(async () => (await stranded.count()) > 0, { what: 'a node4 port ringed as stranded', timeoutMs: 30_000 });
        assert.equal(await stranded.first().locator('text').textContent(), 'stranded');
        const port = (await stranded.first().getAttribute('data-testid')).split(':')[1];
        await page.getByTestId('node-node4').click();
        await waitFor(async () => /^stranded: no good port left, .*vs5-[ab].* down$/.test(await page.getByTestId(`inspector-port-failover-${port}`).innerText()),
          { what: `node4:${port} stranded in the inspector` });
        await screenshot('window-cluster-4-port-stranded');
        for (const end of ends) await page.getByTestId(`link-${end}`).dispatchEvent('click');
        await waitFor(async () => (await stranded.count()) === 0, { what: 'no port stranded once the cables are back', timeoutMs: 30_000 });
      } finally {
        await openLab(page, 'ha-pair');
      }
    },
  },
  {
    name: 'cluster-4: node1 loses its path to shelf9, and vs1 and vs2 move to nodes that reach it, their boxes saying node1 lost storage',
    timeoutMs: 120_000,
    async run({ page, baseUrl }) {
      try {
        await startCluster4(page, baseUrl, 'vs1', 'node1');
        // As test/scripts/cluster/shelf-paths-lost.script: node1's 0c cable to the shared shelf9 pulled.
        await page.getByTestId('link-node1:0c').dispatchEvent('click');
        // Each box is seen off node1 with its reason (shown for a few virtual seconds after it arrives).
        const seen = new Set();
        await waitFor(async () => {
          for (const vserver of ['vs1', 'vs2']) {
            const box = page.getByTestId(`vserver-${vserver}`);
            if ((await box.getAttribute('data-node')) !== 'node1' && (await box.getAttribute('data-moved')) === 'node1 lost storage') seen.add(vserver);
          }
          return seen.size === 2;
        }, { what: 'vs1 and vs2 moved off node1, each saying node1 lost storage', timeoutMs: 60_000, intervalMs: 50 });
        assert.equal(await page.getByTestId('vserver-vs6').getAttribute('data-node'), 'node1', 'vs6, on shelf1, stays on node1');
      } finally {
        await openLab(page, 'ha-pair');
      }
    },
  },
];
