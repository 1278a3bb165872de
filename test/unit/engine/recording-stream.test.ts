// Recordings written as the run goes (issue 22): `filerlab run --record` killed mid-run leaves a file
// that holds every input up to its last flush (at most a virtual second behind), which `filerlab
// replay` accepts as cut short and replays that far; the markers in a recording are listed by replay.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../../emulator/cli/replay.ts';
import type { CliCommand } from '../../../emulator/cli/command.ts';
import { parseRecording } from '../../../emulator/engine/recording.ts';

const ROOT = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'filerlab-stream-'));

async function invoke(command: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await command.run(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

async function until(condition: () => boolean, what: string, boundMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > boundMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a recording written as the run goes', () => {
  it('survives a kill of the run: every marker up to the last flush, and replay accepts it', { timeout: 120_000 }, async () => {
    const script = join(dir, 'marks.script');
    // A marker every virtual second, the instructor's way of saying "look here".
    writeFileSync(script, Array.from({ length: 59 }, (_, index) => `at ${index + 1}s mark "m${index + 1}"`).join('\n'));
    const recording = join(dir, 'killed.filerlab.jsonl');
    // Paced at 5x: a minute of virtual time takes 12 s of wall time, and the kill comes mid-run.
    const child = spawn(process.execPath, [join(ROOT, 'bin/filerlab.mjs'), 'run', 'ha-pair', '--for', '60s', '--speed', '5', '--script', script, '--record', recording], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      await until(() => existsSync(recording) && readFileSync(recording, 'utf8').includes('"m6"'), 'marker m6 in the recording');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const text = readFileSync(recording, 'utf8');
    expect(text).not.toContain('"type":"end"');
    const parsed = parseRecording(text, undefined, { cutShort: 'accept' });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const marks = parsed.recording.inputs.map((stamped) => (stamped.input.kind === 'mark' ? stamped.input.text : ''));
    // Whole from the first marker to the last one flushed: nothing in between is missing.
    expect(marks).toEqual(marks.map((_, index) => `m${index + 1}`));
    expect(marks.length).toBeGreaterThanOrEqual(6);
    expect(parseRecording(text).ok).toBe(false);

    const replay = await invoke(replayCommand, [recording, '--json']);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    const document = JSON.parse(replay.stdout);
    expect(document).toMatchObject({ cutShort: true, matches: true });
    expect(document.virtualMs).toBe(parsed.recording.end.atUs / 1000);
    expect(document.markers.slice(0, 2)).toEqual([{ atMs: 1000, text: 'm1' }, { atMs: 2000, text: 'm2' }]);
  });

  it('a torn last line (a crash mid-write) is dropped, not refused', () => {
    const header = '{"type":"header","format":"filerlab-recording","version":1,"lab":"x","seed":1,"spec":{"name":"x","actors":[{"id":"a","kind":"pinger","config":{}}],"cables":[]}}';
    const text = `${header}\n{"type":"input","atUs":1000,"sequence":0,"input":{"kind":"mark","text":"a"}}\n{"type":"inp`;
    const parsed = parseRecording(text, undefined, { cutShort: 'accept' });
    expect(parsed.ok && parsed.recording).toMatchObject({ cutShort: true, end: { atUs: 1000, traceHash: null } });
    // A bad line that is not the last one is still refused.
    expect(parseRecording(`${header}\n{"type":"inp\n{"type":"input","atUs":1000,"sequence":0,"input":{"kind":"mark","text":"a"}}\n`, undefined, { cutShort: 'accept' }).ok).toBe(false);
  });
});
