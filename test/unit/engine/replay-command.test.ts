// `filerlab replay`: a recording made by `filerlab run --record` replays to the same hashes at every
// checkpoint, in either placement; an edited hash or seed is found where it first shows; a file that is
// not a whole, well-formed recording is refused with its line before anything runs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayCommand } from '../../../emulator/cli/replay.ts';
import { runCommand } from '../../../emulator/cli/run.ts';
import type { CliCommand } from '../../../emulator/cli/command.ts';

const dir = mkdtempSync(join(tmpdir(), 'filerlab-replay-'));
const recordingPath = join(dir, 'demo.filerlab.jsonl');
let recordedHash = '';

async function invoke(command: CliCommand, args: string[], interactive = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await command.run(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, interactive });
  return { code, stdout, stderr };
}

/** The recording with line `index` (0 = header) replaced, as a new file. */
function edited(name: string, index: number, edit: (line: string) => string): string {
  const lines = readFileSync(recordingPath, 'utf8').trimEnd().split('\n');
  lines[index] = edit(lines[index]!);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

beforeAll(async () => {
  const script = join(dir, 'demo.script');
  writeFileSync(script, 'at 3s pull filerA:0a\nat 4s console filerA "sysconfig -r"\nat 12s plug filerA:0a\nat 15s mark "loop back"\n');
  const run = await invoke(runCommand, ['ha-pair', '--seed', '4', '--for', '22s', '--script', script, '--record', recordingPath, '--json']);
  expect(run.code).toBe(0);
  recordedHash = JSON.parse(run.stdout).traceHash;
});

describe('filerlab replay', () => {
  it('replays a recording to the same trace hash at every checkpoint and at the end, and writes the consoles', async () => {
    const result = await invoke(replayCommand, [recordingPath, '--json', '--consoles', join(dir, 'consoles')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ lab: 'ha-pair', seed: 4, placement: 'single', inputs: 4, virtualMs: 22_000, matches: true, divergedAtMs: null, traceHash: recordedHash });
    expect(document.checks.map((check: { atMs: number }) => check.atMs)).toEqual([10_000, 20_000, 22_000]);
    expect(document.checks.every((check: { matches: boolean }) => check.matches)).toBe(true);
    const transcript = readFileSync(join(dir, 'consoles', 'filerA.log'), 'utf8');
    expect(transcript).toContain('sysconfig -r');
    expect(transcript).toContain('FC:B'); // loop A was pulled: the disks show on loop B
  });

  it('replays in workers placement to the same hashes', async () => {
    const result = await invoke(replayCommand, [recordingPath, '--placement', 'workers', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ placement: 'workers', matches: true, traceHash: recordedHash });
  });

  it('draws a progress bar on a terminal and prints each hash in text form', async () => {
    const result = await invoke(replayCommand, [recordingPath], true);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('replay ▕');
    expect(result.stderr).toContain('22.0 / 22.0 s virtual  3 hashes match');
    expect(result.stdout).toMatch(/checkpoint +10\.000 s {2}[0-9a-f]{16} {2}ok/);
    expect(result.stdout).toContain('replayed exactly: 3 of 3 trace hashes match');
  });

  it('exits 1 at the first checkpoint whose hash differs, and stops there', async () => {
    const lines = readFileSync(recordingPath, 'utf8').trimEnd().split('\n');
    const second = lines.findIndex((line) => line.includes('"atUs":20000000') && line.includes('"checkpoint"'));
    const path = edited('edited-hash.jsonl', second, (line) => line.replace(/"traceHash":"[0-9a-f]{16}"/, '"traceHash":"0123456789abcdef"'));
    const result = await invoke(replayCommand, [path, '--json']);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ matches: false, divergedAtMs: 20_000 });
    expect(document.checks).toHaveLength(2);
    expect(document.checks[1]).toMatchObject({ expected: '0123456789abcdef', matches: false });
    const text = await invoke(replayCommand, [path]);
    expect(text.stdout).toContain('expected 0123456789abcdef, replayed');
    expect(text.stdout).toContain('DIVERGED at 20.000 s virtual');
  });

  it('finds an edited seed at the first checkpoint', async () => {
    const path = edited('edited-seed.jsonl', 0, (line) => line.replace('"seed":4', '"seed":5'));
    const result = await invoke(replayCommand, [path, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).divergedAtMs).toBe(10_000);
  });

  it('refuses what is not a whole, well-formed recording, naming the line, before running anything', async () => {
    const lines = readFileSync(recordingPath, 'utf8').trimEnd().split('\n');
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, lines.slice(0, 3).join('\n'));
    // Without its end line it is a recording cut short (its run died): replayed as far as it goes.
    const cutShort = await invoke(replayCommand, [cut]);
    expect(cutShort.code).toBe(0);
    expect(cutShort.stdout).toContain('cut short: the recording has no end line');
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, `${lines.slice(0, 2).join('\n')}\n{"type":"inp\n${lines[2]}\n`);
    expect((await invoke(replayCommand, [torn])).stderr).toMatch(/line 3: /);

    const badShape = edited('bad-shape.jsonl', 1, (line) => line.replace('"plugged":false', '"plugged":"no"'));
    expect(await invoke(replayCommand, [badShape])).toEqual({
      code: 2, stdout: '', stderr: `filerlab replay: ${badShape}: line 2: input plugged: Invalid input: expected boolean, received string\n`,
    });

    const unknownActor = edited('unknown-actor.jsonl', 1, (line) => line.replace('"actor":"filerA"', '"actor":"filerZ"'));
    const unknown = await invoke(replayCommand, [unknownActor]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("line 2: input no actor named 'filerZ'");

    const notJson = join(dir, 'not-json.jsonl');
    writeFileSync(notJson, 'hello\n');
    expect((await invoke(replayCommand, [notJson])).stderr).toMatch(/^filerlab replay: .*not-json\.jsonl: line 1: /);
    expect((await invoke(replayCommand, [join(dir, 'missing.jsonl')])).stderr).toContain('cannot read the recording (ENOENT');
    expect((await invoke(replayCommand, [])).code).toBe(2);
    expect((await invoke(replayCommand, [recordingPath, '--placement', 'cloud'])).code).toBe(2);
  });
});
