// The lab session's Record, Save and Open-from-disk, through the request dispatcher as a UI reaches
// them, on the real ha-pair lab: a recording replays to the same trace hash; a bad lab file is refused
// with its line and leaves the running lab alone; a good one replaces it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseRecording } from '../../../emulator/engine/recording.ts';
import { replayInputs } from '../../../emulator/engine/replay.ts';
import { loadLabSources, openLab, openLabSpec } from '../../../emulator/host/engine-lab-loader.ts';
import type { LabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { dispatchRequest } from '../../../emulator/host/ipc-dispatch.ts';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import type { LabSession } from '../../../emulator/host/lab-session.ts';
import { requestSchemas } from '../../../emulator/protocol/channels.ts';
import type { RequestChannel } from '../../../emulator/protocol/channels.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let session: LabSession | undefined;
afterEach(async () => { await session?.dispose(); session = undefined; });
/** The Record button writes its recordings here as it goes, not into the user's folder. */
const recordingsDir = mkdtempSync(path.join(os.tmpdir(), 'filerlab-recordings-test-'));
afterAll(() => rmSync(recordingsDir, { recursive: true, force: true }));

async function sources(): Promise<LabSources> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.sources;
}

/** One request as a Transport delivers it; the answer must fit the channel's result schema. */
async function ask<C extends RequestChannel>(channel: C, args: unknown): Promise<unknown> {
  const logged: string[] = [];
  const outcome = await dispatchRequest(session!, channel, args, (text) => logged.push(text));
  if (!outcome.ok) throw new Error(outcome.error);
  expect(requestSchemas[channel].result.safeParse(outcome.result).success).toBe(true);
  return outcome.result;
}

describe('recording the running lab', () => {
  it('a recording of the session replays with replayInputs to the same trace hash, checkpoints included', async () => {
    const labSources = await sources();
    session = await createLabSession({ sources: labSources, lab: 'ha-pair', seed: 5, pace: { mode: 'running', speed: 'max' }, recordingsDir });
    await sleep(100);
    const started = await ask('lab.record', { action: 'start' }) as { recording: true; sinceUs: number };
    expect(started.recording).toBe(true);
    expect(await ask('lab.record', { action: 'status' })).toEqual(started);
    await sleep(200);
    expect(session.input({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false })).toEqual({ ok: true });
    // Past a checkpoint (every 10 virtual seconds), with a bound on the wall time.
    for (let waited = 0; waited < 10_000 && session.view().atUs < started.sinceUs + 12_000_000; waited += 50) await sleep(50);
    const stopped = await ask('lab.record', { action: 'stop' }) as { recording: boolean; fileName: string; text: string };
    expect(stopped.recording).toBe(false);
    expect(stopped.fileName).toBe('ha-pair-5.filerlab.jsonl');
    expect(await ask('lab.record', { action: 'status' })).toEqual({ recording: false });

    const parsed = parseRecording(stopped.text);
    if (!parsed.ok) throw new Error(parsed.error);
    const { recording } = parsed;
    expect(recording).toMatchObject({ lab: 'ha-pair', seed: 5 });
    expect(recording.fromUs).toBeGreaterThan(0);
    const kinds = recording.inputs.map((stamped) => stamped.input.kind === 'mark' ? stamped.input.text : stamped.input.kind);
    expect(kinds).toEqual(['recording started', 'cable', 'recording stopped']);
    expect(recording.checkpoints.length).toBeGreaterThan(0);

    const replayed = await openLab(labSources, 'ha-pair', { seed: 5, placement: 'single' });
    if (!replayed.ok) throw new Error(replayed.errors.join('\n'));
    try {
      const checkpoint = recording.checkpoints[0]!;
      await replayInputs(replayed.lab, recording.inputs.filter((stamped) => stamped.atUs < checkpoint.atUs), checkpoint.atUs);
      expect(await replayed.lab.traceHash()).toBe(checkpoint.traceHash);
      await replayInputs(replayed.lab, recording.inputs.filter((stamped) => stamped.atUs >= checkpoint.atUs), recording.end.atUs);
      expect(replayed.lab.nowUs).toBe(recording.end.atUs);
      expect(await replayed.lab.traceHash()).toBe(recording.end.traceHash);
    } finally {
      await replayed.lab.dispose();
    }
    // A replay from another seed does not match: the hash says something.
    const other = await openLabSpec(labSources, 'ha-pair', recording.spec, { seed: 6, placement: 'single' });
    if (!other.ok) throw new Error(other.errors.join('\n'));
    try {
      await replayInputs(other.lab, recording.inputs, recording.end.atUs);
      expect(await other.lab.traceHash()).not.toBe(recording.end.traceHash);
    } finally {
      await other.lab.dispose();
    }
  }, 30_000);

  it('stop without start answers not recording, and opening another lab drops the recording', async () => {
    session = await createLabSession({ sources: await sources(), lab: 'ha-pair', pace: { mode: 'paused', speed: 1 }, recordingsDir });
    expect(await ask('lab.record', { action: 'stop' })).toEqual({ recording: false });
    await ask('lab.record', { action: 'start' });
    await session.open('ha-pair');
    expect(await ask('lab.record', { action: 'status' })).toEqual({ recording: false });
    await expect(ask('lab.record', { action: 'pause' })).rejects.toThrow(/rejected: lab.record: action/);
  }, 30_000);
});

describe('saving and opening lab files', () => {
  it('lab.source gives the running built-in lab’s YAML', async () => {
    session = await createLabSession({ sources: await sources(), lab: 'ha-pair', pace: { mode: 'paused', speed: 1 } });
    const source = await ask('lab.source', {}) as { name: string; yaml: string };
    expect(source.name).toBe('ha-pair');
    expect(source.yaml).toContain('name: ha-pair');
    expect(source.yaml).toContain('filerA:');
  }, 30_000);

  it('refuses a bad lab file with its line and keeps the running lab; opens a good one and saves it back', async () => {
    session = await createLabSession({ sources: await sources(), lab: 'ha-pair', pace: { mode: 'paused', speed: 1 } });
    const good = (await ask('lab.source', {}) as { yaml: string }).yaml.replace('name: ha-pair', 'name: my-pair');
    const broken = good.replace('partner: filerB', 'partner: [filerB');
    const unparsable = await ask('lab.openText', { name: 'mine.lab.yaml', yaml: broken }) as { ok: false; errors: string[] };
    expect(unparsable.ok).toBe(false);
    const line = broken.split('\n').findIndex((row) => row.includes('partner: [filerB')) + 1;
    expect(unparsable.errors[0]).toMatch(new RegExp(`^mine\\.lab\\.yaml:(${line}|${line + 1}): `));
    const wrongField = good.replace('nvramMb: 512', 'nvramMb: lots');
    const refused = await ask('lab.openText', { name: 'mine.lab.yaml', yaml: wrongField }) as { ok: false; errors: string[] };
    const fieldLine = wrongField.split('\n').findIndex((row) => row.includes('nvramMb: lots')) + 1;
    expect(refused.errors.some((error) => error.startsWith(`mine.lab.yaml:${fieldLine}: filers.filerA.nvramMb: `))).toBe(true);
    expect(session.view().lab).toBe('ha-pair');

    const opened = await ask('lab.openText', { name: 'mine.lab.yaml', yaml: good }) as { ok: true; view: { lab: string } };
    expect(opened).toMatchObject({ ok: true, view: { lab: 'my-pair' } });
    expect(session.view().lab).toBe('my-pair');
    expect(await ask('lab.source', {})).toEqual({ name: 'mine', yaml: good });
  }, 30_000);
});

describe('the lab file’s seed', () => {
  it('is the seed the window runs a lab with when no --seed was given, and --seed still wins', async () => {
    session = await createLabSession({ sources: await sources(), lab: 'ha-pair', pace: { mode: 'paused', speed: 1 } });
    const yaml = (await ask('lab.source', {}) as { yaml: string }).yaml;
    expect(yaml).toMatch(/^seed: 1$/m);
    const seeded = yaml.replace(/^seed: 1$/m, 'seed: 7');
    expect(await ask('lab.openText', { name: 'seeded.lab.yaml', yaml: seeded })).toMatchObject({ ok: true, view: { seed: 7 } });
    await session.dispose();
    session = await createLabSession({ sources: await sources(), lab: 'ha-pair', seed: 3, pace: { mode: 'paused', speed: 1 } });
    expect(await ask('lab.openText', { name: 'seeded.lab.yaml', yaml: seeded })).toMatchObject({ ok: true, view: { seed: 3 } });
  }, 30_000);

  it('is the seed `filerlab run` uses without --seed: the same trace as --seed 7', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runCommand } = await import('../../../emulator/cli/run.ts');
    const { builtinLabPath } = await import('../../../emulator/lab/catalog.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'filerlab-seed-')), 'seeded.lab.yaml');
    writeFileSync(file, readFileSync(builtinLabPath('ha-pair'), 'utf8').replace(/^seed: 1$/m, 'seed: 7'));
    const run = async (args: string[]) => {
      let stdout = '';
      expect(await runCommand.run([...args, '--for', '2s', '--json'], { stdout: (text) => { stdout += text; }, stderr: () => undefined, interactive: false })).toBe(0);
      return JSON.parse(stdout) as { seed: number; traceHash: string };
    };
    const fromFile = await run([file]);
    expect(fromFile.seed).toBe(7);
    expect(fromFile.traceHash).toBe((await run(['ha-pair', '--seed', '7'])).traceHash);
    expect((await run([file, '--seed', '2'])).seed).toBe(2);
  }, 60_000);
});
