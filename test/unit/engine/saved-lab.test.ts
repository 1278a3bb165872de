// A lab saved in the middle of things (a disk reconstructing onto a spare, a filer dumping core after
// a panic, a loop pulled, clients busy) and resumed from its file goes on exactly as if it had never
// stopped: the same trace hash and the same summary, in either placement. A damaged file is refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';
import { decodeLabState, encodeLabState } from '../../../emulator/host/state-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'filerlab-state-'));
const statePath = join(dir, 'mid.state');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand.run(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

function script(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const BEFORE_SAVE = [
  'at 2s console filerA "disk fail -i -f 0a.19"',
  'at 3s pull filerB:0b',
  'at 8s fault filerA panic',
];
const AFTER_SAVE = [
  'at 15s plug filerB:0b',
  'at 20s console filerB "sysconfig -r"',
];

let straight: Record<string, unknown>;

beforeAll(async () => {
  const result = await run(['ha-pair', '--seed', '9', '--for', '40s', '--json', '--script', script('all.script', [...BEFORE_SAVE, ...AFTER_SAVE])]);
  expect(result.code).toBe(0);
  straight = JSON.parse(result.stdout);
  const saved = await run(['ha-pair', '--seed', '9', '--for', '10s', '--json', '--script', script('before.script', BEFORE_SAVE), '--save-state', statePath]);
  expect(saved.code).toBe(0);
}, 60_000);

function comparable(document: Record<string, unknown>): Record<string, unknown> {
  const { wallMs: _wall, placement: _placement, ...rest } = document;
  return rest;
}

describe('a saved lab', () => {
  it('holds the disks, the reconstruction and the panicked filer, and resumes to the same trace and summary', async () => {
    const decoded = decodeLabState(readFileSync(statePath));
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.saved.snapshot).toMatchObject({ seed: 9, nowUs: 10_000_000 });
    // The disks' blocks are in the file, not lost on the way (they once came back empty).
    const shelf = decoded.saved.snapshot.actors.find((actor) => actor.id === 'shelf1')!.state as { bays: { data: Record<string, Uint8Array> }[] };
    expect(shelf.bays.reduce((blocks, bay) => blocks + Object.keys(bay.data).length, 0)).toBeGreaterThan(10);

    // And the window's view of it, so that the app draws it at once: parts, cables, console scrollback.
    const view = new Map(decoded.saved.view!.state);
    expect(view.get('filerA.panic')).toBeUndefined();
    expect([...view.keys()].filter((path) => path.startsWith('shelf1.bays.')).length).toBeGreaterThan(10);
    expect([...view].filter(([path, up]) => path.startsWith('cables.') && up === false).map(([path]) => path)).toEqual([expect.stringContaining('filerB:0b')]);
    expect(new Map(decoded.saved.view!.transcripts).get('filerA')).toContain('disk fail -i -f 0a.19');

    const resumed = await run(['--resume', statePath, '--for', '30s', '--json', '--script', script('after.script', AFTER_SAVE)]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const document = JSON.parse(resumed.stdout);
    expect(document.virtualMs).toBe(40_000);
    expect(comparable(document)).toEqual(comparable(straight));
  });

  it('resumes in workers placement to the same trace', async () => {
    const resumed = await run(['--resume', statePath, '--for', '30s', '--json', '--placement', 'workers', '--script', join(dir, 'after.script')]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).traceHash).toBe(straight.traceHash);
  });

  it('refuses a damaged or foreign file, and a script that reaches back before the saved time', async () => {
    const file = readFileSync(statePath);
    const damaged = join(dir, 'damaged.state');
    const flipped = Uint8Array.from(file);
    flipped[flipped.length - 100] ^= 0xff;
    writeFileSync(damaged, flipped);
    expect(await run(['--resume', damaged])).toEqual({ code: 2, stdout: '', stderr: `filerlab run: ${damaged}: its contents do not match their checksum (the file was changed or damaged)\n` });
    const cut = join(dir, 'cut.state');
    writeFileSync(cut, file.subarray(0, file.length - 10));
    expect((await run(['--resume', cut])).stderr).toMatch(/holds \d+ of its \d+ bytes \(cut short or added to\)/);
    const foreign = join(dir, 'foreign.state');
    writeFileSync(foreign, 'hello\n');
    expect((await run(['--resume', foreign])).stderr).toContain('not a saved FilerLab lab');
    expect((await run(['--resume', join(dir, 'missing.state')])).stderr).toContain('cannot read the saved lab');
    expect((await run(['--resume', statePath, '--seed', '3'])).code).toBe(2);
    expect((await run(['cluster-4', '--resume', statePath])).code).toBe(2);
    const early = await run(['--resume', statePath, '--script', join(dir, 'all.script')]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("line 1: at 2 s is before the saved lab's time, 10 s");
  });
});

describe('the saved-lab file format', () => {
  it('refuses a file whose checksum matches but whose view is malformed', () => {
    const decoded = decodeLabState(readFileSync(statePath));
    if (!decoded.ok) throw new Error(decoded.error);
    const bad = encodeLabState({ ...decoded.saved, view: { state: 'nope' } as never });
    expect(decodeLabState(bad)).toEqual({ ok: false, error: 'its view of the lab is malformed' });
    expect(decodeLabState(encodeLabState(decoded.saved)).ok).toBe(true);
  });
});
