// The engine's promise on the real labs, not toy actors: a seeded storm of faults, pulls, power cuts
// and console commands on cluster-4 gives one trace whether the lab runs in one thread or one worker
// per filer, and whether it runs straight through or is saved halfway and resumed from the file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';
import { loadLabSources } from '../../../emulator/host/engine-lab-loader.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'filerlab-determinism-'));
const SAVE_AT_S = 12;
const END_S = 30;

async function run(args: string[]): Promise<Record<string, unknown>> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand.run(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const { wallMs: _wall, placement: _placement, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return rest;
}

/** A fault storm drawn from `seed` (a small xorshift: the test's own, not the lab's randomness). */
function storm(spec: LabSpec, seed: number): string[] {
  let x = seed;
  const draw = (n: number): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) % n; };
  const filers = spec.actors.filter((actor) => actor.kind === 'filer').map((actor) => actor.id);
  const shelves = spec.actors.filter((actor) => actor.kind === 'shelf').map((actor) => actor.id);
  const ends = spec.cables.flatMap((cable) => [cable.a, cable.b]).filter((end) => filers.includes(end.actor)).map((end) => `${end.actor}:${end.port}`);
  const lines: string[] = [];
  const pulled = new Set<string>();
  for (let atMs = 1_500; atMs < END_S * 1000 - 2_000; atMs += 700 + draw(900)) {
    const at = `at ${atMs}ms`;
    switch (draw(6)) {
      case 0: {
        const end = ends[draw(ends.length)]!;
        lines.push(`${at} ${pulled.has(end) ? 'plug' : 'pull'} ${end}`);
        if (pulled.has(end)) pulled.delete(end); else pulled.add(end);
        break;
      }
      case 1: lines.push(`${at} fault ${shelves[draw(shelves.length)]}.${draw(12)} fail`); break;
      case 2: lines.push(`${at} fault ${filers[draw(filers.length)]} panic`); break;
      case 3: lines.push(`${at} power ${shelves[draw(shelves.length)]} ${draw(2) ? 'off' : 'on'}`); break;
      case 4: lines.push(`${at} console ${filers[draw(filers.length)]} "${['sysconfig -r', 'cf status', 'vol status', 'sysstat -x 1'][draw(4)]}"`); break;
      default: lines.push(`${at} key ${filers[draw(filers.length)]} ctrl-c`); break;
    }
  }
  return lines;
}

let script: string[];
let straight: Record<string, unknown>;

beforeAll(async () => {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const resolved = loaded.sources.resolve('cluster-4');
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  script = storm(resolved.spec, 20261202);
  writeFileSync(join(dir, 'storm.script'), `${script.join('\n')}\n`);
  straight = await run(['cluster-4', '--seed', '11', '--for', `${END_S}s`, '--json', '--script', join(dir, 'storm.script')]);
});

describe('the engine on cluster-4 under a fault storm', () => {
  it('draws a storm with every kind of action in it', () => {
    for (const word of [' pull ', ' fail', ' panic', ' power ', ' console ', ' ctrl-c']) expect(script.some((line) => line.includes(word))).toBe(true);
    expect(script.length).toBeGreaterThan(15);
  });

  it('gives the same trace and summary with one worker thread per filer', async () => {
    expect(await run(['cluster-4', '--seed', '11', '--for', `${END_S}s`, '--json', '--placement', 'workers', '--script', join(dir, 'storm.script')])).toEqual(straight);
  });

  it('gives the same trace and summary when saved halfway and resumed from the file', async () => {
    const cut = script.findIndex((line) => Number(/^at (\d+)ms/.exec(line)![1]) >= SAVE_AT_S * 1000);
    writeFileSync(join(dir, 'before.script'), `${script.slice(0, cut).join('\n')}\n`);
    writeFileSync(join(dir, 'after.script'), `${script.slice(cut).join('\n')}\n`);
    const state = join(dir, 'half.state');
    await run(['cluster-4', '--seed', '11', '--for', `${SAVE_AT_S}s`, '--json', '--script', join(dir, 'before.script'), '--save-state', state]);
    expect(await run(['--resume', state, '--for', `${END_S - SAVE_AT_S}s`, '--json', '--script', join(dir, 'after.script')])).toEqual(straight);
  });
});
