// The boot's storage messages are in /etc/messages, stamped, as the console shows them. (The storage
// lab scripts in test/scripts/storage run with every other script: test/unit/lab/lab-scripts.test.ts.)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'filerlab-storage-scripts-'));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand.run(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, interactive: false });
  return { code, stdout, stderr };
}

describe('storage messages at boot (ha-pair)', () => {
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
    expect(transcript.split('filerA> rdfile')[0]).toMatch(/(^|> )Mon Jun {2}3 09:00:0\d GMT \[filerA: wafl\.replay\.done:info\]/m);
    expect(transcript, 'a transcript holds text, not escape codes').not.toContain('\x1b');
    expect(transcript).not.toMatch(/(^|\n|> )\[wafl\.replay\.done:info\]/);
  }, 60_000);
});
