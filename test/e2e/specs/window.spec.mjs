// The lab window loads from the browser shell, shows its regions, and the page keeps to its CSP.
import assert from 'node:assert/strict';
import { openLive, waitFor } from './helpers.mjs';

export default [
  {
    name: 'loads with toolbar, diagram, inspector and tabs, and a screenshot a person can look at',
    async run({ page, baseUrl, screenshot, problems }) {
      await openLive(page, baseUrl);
      for (const region of ['toolbar', 'virtual-clock', 'wiring-diagram', 'inspector', 'bottom-tabs']) {
        assert.ok(await page.getByTestId(region).isVisible(), `${region} is visible`);
      }
      assert.equal(await page.title(), 'FilerLab');
      // Let the lab run a moment so the picture shows live state and link lights; the lights are
      // asserted after the picture is taken, so a person can look at it either way.
      const lit = await waitFor(async () => (await page.locator('[data-light="up"]').count()) > 0, { what: 'a link light that is up', timeoutMs: 8_000 }).catch(() => false);
      const file = await screenshot('lab-window');
      console.log(`       screenshot: ${file}`);
      assert.ok(lit, 'some link light is up (from published port state)');
      assert.deepEqual(problems, [], 'no page errors or console errors (CSP violations show here)');
    },
  },
  {
    name: 'is served with the strict CSP; its socket opens with the launch secret and is refused without it',
    async run({ page, baseUrl }) {
      const response = await page.goto(baseUrl);
      const csp = response.headers()['content-security-policy'];
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:\*/);
      assert.equal(response.headers()['x-content-type-options'], 'nosniff');
      // The page's URL carries the launch secret in its fragment; the socket takes it in its query.
      const pageUrl = new URL(baseUrl);
      const token = new URLSearchParams(pageUrl.hash.replace(/^#/, '')).get('token');
      const wsUrl = `ws://${pageUrl.host}/lab?token=${encodeURIComponent(token ?? '')}`;
      const code = await page.evaluate(async (url) => {
        // The page's own origin is allowed; this proves the socket answers at all.
        const socket = new WebSocket(url);
        return new Promise((resolve) => {
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('error');
        });
      }, wsUrl);
      assert.equal(code, 'open');
      // Without the secret the same page's socket is refused.
      const without = await page.evaluate(async (url) => new Promise((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => resolve('open');
        socket.onerror = () => resolve('error');
      }), `ws://${pageUrl.host}/lab`);
      assert.equal(without, 'error');
    },
  },
  {
    name: 'switches between dark and light themes',
    async run({ page, baseUrl, screenshot }) {
      await openLive(page, baseUrl);
      const before = await page.evaluate(() => document.documentElement.dataset.theme);
      await page.getByTestId('theme-toggle').click();
      const after = await page.evaluate(() => document.documentElement.dataset.theme);
      assert.notEqual(before, after);
      assert.ok(['light', 'dark'].includes(after));
      await screenshot(`lab-window-${after}`);
    },
  },
];
