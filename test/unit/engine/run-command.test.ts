import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'filerlab-run-'));

async function run(args: string[], interactive = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand.run(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, interactive });
  return { code, stdout, stderr };
}

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('filerlab run', () => {
  it('exits 0 with a JSON summary when every expectation holds, and is reproducible', async () => {
    const path = script('ok.script', 'at 500ms pull filerA:0a\nat 1s expect filers.filerA.power == "on"\nat 1s expect violations.length == 0\n');
    const first = await run(['ha-pair', '--seed', '3', '--for', '2s', '--script', path, '--json', '--consoles', join(dir, 'consoles'), '--record', join(dir, 'rec.jsonl')]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const document = JSON.parse(first.stdout);
    expect(document).toMatchObject({ lab: 'ha-pair', seed: 3, placement: 'single', virtualMs: 2000, violations: [], expectations: { passed: 2, failed: [] } });
    expect(Object.keys(document)).toEqual(expect.arrayContaining(['wallMs', 'events', 'traceHash', 'filers', 'vservers', 'clients']));
    expect(document.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(readFileSync(join(dir, 'consoles', 'filerA.log'), 'utf8')).toContain('filerA');
    const recording = readFileSync(join(dir, 'rec.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(recording[0]).toMatchObject({ type: 'header', format: 'filerlab-recording', version: 1, seed: 3 });
    expect(recording[1]).toMatchObject({ type: 'input', atUs: 500_000, input: { kind: 'cable', plugged: false } });
    expect(recording.at(-1)).toEqual({ type: 'end', atUs: 2_000_000, traceHash: document.traceHash });
    const again = await run(['ha-pair', '--seed', '3', '--for', '2s', '--script', path, '--json', '--placement', 'workers']);
    expect(JSON.parse(again.stdout).traceHash).toBe(document.traceHash);
  });

  it('draws its progress on a terminal, second by virtual second, and clears it; the trace is the same', async () => {
    const watched = await run(['ha-pair', '--for', '3s', '--json'], true);
    expect(watched.code).toBe(0);
    expect(watched.stderr).toContain('run ▕██████████░░░░░░░░░░░░░░░░░░░░▏ 1.0 / 3.0 s virtual');
    expect(watched.stderr).toContain('3.0 / 3.0 s virtual');
    expect(watched.stderr.endsWith('\r\x1b[2K')).toBe(true);
    const unwatched = await run(['ha-pair', '--for', '3s', '--json']);
    expect(unwatched.stderr).toBe('');
    expect(JSON.parse(watched.stdout).traceHash).toBe(JSON.parse(unwatched.stdout).traceHash);
  });

  it('exits 1 and names the line of a failed expectation', async () => {
    const path = script('fail.script', '# expects the wrong thing\nat 1s expect filers.filerA.power == "off"\n');
    const result = await run(['--for', '2s', '--script', path, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).expectations).toEqual({ passed: 0, failed: [{ line: 2, text: 'at 1s expect filers.filerA.power == "off"', actual: 'on' }] });
  });

  it('exits 2 for bad input, before running anything', async () => {
    const malformed = script('bad.script', 'at 1s pull filerA\n');
    expect(await run(['--script', malformed])).toEqual({ code: 2, stdout: '', stderr: `${malformed}: line 1: expected: pull <device>:<port> (a cable) or pull <shelf>.<bay> (a disk)\n` });
    const unknown = script('unknown.script', 'at 1s console filerZ "x"\n');
    expect((await run(['--script', unknown])).stderr).toContain("line 1: no actor named 'filerZ'");
    expect((await run(['no-such-lab'])).code).toBe(2);
    expect((await run(['--seed', 'x'])).code).toBe(2);
    expect((await run(['--for', '10 parsecs'])).code).toBe(2);
    expect((await run(['--placement', 'cloud'])).code).toBe(2);
    expect((await run(['--placement', 'workers', '--threads', '0'])).stderr).toContain("--threads takes a whole number from 1 to 64, not '0'");
    expect((await run(['--threads', '2'])).stderr).toContain('--threads is for --placement workers');
  });
});
