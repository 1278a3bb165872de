// Steps the HA specs share on the real ha-pair lab: reading a filer's banner, its right-click menu's
// items, typing on its console, and putting the pair back up and serving with every address at home.
import { waitFor } from './helpers.mjs';

export const attr = (locator, name) => locator.getAttribute(name);
export const label = (page, filer) => attr(page.getByTestId(`banner-${filer}`), 'data-label');
export const portOf = (page, address) => attr(page.getByTestId(`address-${address}`), 'data-port');
const HOME = { '10.1.1.10': 'filerA:e0a', '10.1.2.10': 'filerA:e0b', '10.1.1.11': 'filerB:e0a', '10.1.2.11': 'filerB:e0b' };

export async function allHome(page) {
  for (const [address, port] of Object.entries(HOME)) if ((await portOf(page, address).catch(() => null)) !== port) return false;
  return true;
}

/** Opens a filer's right-click menu and returns one of its items (`ha-takeover`, `fault-nvram-battery`, …). */
export async function menuItem(page, filer, testId) {
  await page.getByTestId(`node-${filer}`).click({ button: 'right' });
  const item = page.getByTestId(`menu-${filer}`).getByTestId(testId);
  await item.waitFor({ timeout: 10_000 });
  return item;
}

/** Types a line on a filer's console through its pane (PTY-backed or direct), once `prompt` shows. */
export async function typeOnConsole(page, filer, line, prompt) {
  await page.getByTestId('tab-consoles').click();
  await page.getByTestId(`console-tab-${filer}`).click();
  const terminal = page.getByTestId(`console-terminal-${filer}`);
  await terminal.locator('.xterm-rows').waitFor({ timeout: 30_000 });
  await waitFor(async () => prompt.test(await terminal.locator('.xterm-rows').innerText()), { what: `${prompt} on ${filer}'s console`, timeoutMs: 30_000 });
  await terminal.click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Back to a healthy pair: a forced giveback if filerB still holds filerA, filerA booted if it is down. */
export async function restorePair(page) {
  if (await allHome(page) && (await label(page, 'filerA')) === 'serving' && (await label(page, 'filerB')) === 'serving') return;
  await page.getByTestId('pace-max').click();
  if ((await attr(page.getByTestId('banner-filerB'), 'data-ha')) === 'takeover') {
    await typeOnConsole(page, 'filerB', 'cf giveback -f', /filerB(\(takeover\))?>/);
    await waitFor(async () => (await attr(page.getByTestId('banner-filerB'), 'data-ha')) === '', { what: 'filerB out of takeover', timeoutMs: 30_000 });
  }
  if ((await label(page, 'filerA')) === 'at LOADER') await typeOnConsole(page, 'filerA', 'boot_ontap', /LOADER-A>/);
  await waitFor(async () => (await label(page, 'filerA')) === 'serving' && (await label(page, 'filerB')) === 'serving', { what: 'both filers serving again', timeoutMs: 60_000 });
  await waitFor(() => allHome(page), { what: 'every address tag back home', timeoutMs: 30_000 });
}
