// The storage lab scripts (test/scripts/storage/*.script) run as `filerlab run ha-pair --script` does,
// each for as long as its last line: every expectation must hold. And the boot's storage messages are
// in /etc/messages, stamped, as the console shows them.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';
import { parseScript } from '../../../emulator/lab/script.ts';

const SCRIPTS = join(import.meta.dirname, '..', '..', 'scripts', 'storage');
const dir = mkdtempSync(join(tmpdir(), 'filerlab-storage-scripts-'));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand.run(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, interactive: false });
  return { code, stdout, stderr };
}

/** How long a script runs: up to its last line. */
function lastLineUs(text: string): number {
  const parsed = parseScript(text);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return Math.max(...parsed.lines.map((line) => line.atUs));
}

describe('storage lab scripts (ha-pair)', () => {
  const scripts = readdirSync(SCRIPTS).filter((name) => name.endsWith('.script')).sort();

  it('has the scripts', () => {
    expect(scripts).toEqual([
      'both-loops-pulled.script', 'crash-during-outage.script', 'one-loop-pulled.script', 'reconstruction-outage.script', 'shelf-power-cycle.script',
    ]);
  });

  it.each(scripts)('%s: every expectation holds', async (name) => {
    const path = join(SCRIPTS, name);
    const text = readFileSync(path, 'utf8');
    const expectations = text.split('\n').filter((line) => /^at \S+ expect /.test(line)).length;
    const result = await run(['ha-pair', '--for', `${lastLineUs(text) / 1000}ms`, '--script', path, '--json']);
    expect(result.stderr).toBe('');
    const document = JSON.parse(result.stdout);
    expect(document.expectations).toEqual({ passed: expectations, failed: [] });
    expect(result.code).toBe(0);
  }, 60_000);

  it('shows the boot storage messages in /etc/messages with their time stamp, as on the console', async () => {
    const path = join(dir, 'messages.script');
    writeFileSync(path, 'at 3s console filerA "rdfile /etc/messages"\n');
    const consoles = join(dir, 'consoles');
    const result = await run(['ha-pair', '--for', '4s', '--script', path, '--json', '--consoles', consoles]);
    expect(result.code).toBe(0);
    const transcript = readFileSync(join(consoles, 'filerA.log'), 'utf8').replace(/\r\n/g, '\n');
    const line = /^Mon Jun {2}3 09:00:0\d GMT \[filerA: wafl\.replay\.done:info\]: WAFL log replay completed, \d+ seconds$/m;
    const [, messages] = transcript.split('filerA> rdfile /etc/messages\n');
    expect(messages).toMatch(line);
    // Printed above the prompt with the same stamp, and never bare.
    expect(transcript.split('filerA> rdfile')[0]).toMatch(/\x1b\[KMon Jun {2}3 09:00:0\d GMT \[filerA: wafl\.replay\.done:info\]/);
    expect(transcript).not.toMatch(/(^|\n|> )\[wafl\.replay\.done:info\]/);
  }, 60_000);
});
