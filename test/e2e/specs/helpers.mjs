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
