// Small waits for the specs: poll the page until a condition holds, with a message when it does not.
export async function waitFor(check, { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** hh:mm:ss.mmm → milliseconds. */
export function clockMs(text) {
  const match = /^(\d+):(\d\d):(\d\d)\.(\d{3})$/.exec(text.trim());
  if (!match) throw new Error(`not a virtual clock: ${JSON.stringify(text)}`);
  const [, hours, minutes, seconds, ms] = match.map(Number);
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

/** The file a click downloads: its suggested name and its text. */
export async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), click()]);
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

export async function openLive(page, baseUrl) {
  await page.goto(baseUrl, { waitUntil: 'load' });
  await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: 30_000 });
}

/** Opens a built-in lab from the toolbar's picker, discarding the running one when asked. */
export async function openLab(page, name) {
  if ((await page.getByTestId('lab-picker').inputValue()) === name) return;
  await page.getByTestId('lab-picker').selectOption(name);
  const dialog = page.getByTestId('replace-dialog');
  await waitFor(async () => (await page.getByTestId('lab-picker').inputValue()) === name || (await dialog.count()) > 0, { what: `${name} opening or the replace question` });
  if ((await dialog.count()) > 0) await page.getByTestId('replace-discard').click();
  await waitFor(async () => (await page.getByTestId('lab-picker').inputValue()) === name, { what: `${name} open`, timeoutMs: 60_000 });
}
