// Playing a recording in the window (issue 22), through the request dispatcher as a UI reaches it, on
// the real ha-pair lab: the Record button writes its file as it goes, with the instructor's markers; the
// recording opens from the recent list, seeks backward and forward to the lab a fresh replay gives at
// that time, refuses input until taken over, then goes on live; a corrupt line or another version is
// refused with its line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRecording } from '../../../emulator/engine/recording.ts';
import { replayInputs } from '../../../emulator/engine/replay.ts';
import { loadLabSources, openLabSpec } from '../../../emulator/host/engine-lab-loader.ts';
import type { LabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { dispatchRequest } from '../../../emulator/host/ipc-dispatch.ts';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import type { LabSession } from '../../../emulator/host/lab-session.ts';
import { requestSchemas } from '../../../emulator/protocol/channels.ts';
import type { HostEvent, RequestChannel } from '../../../emulator/protocol/channels.ts';
import type { PlaybackAnswer, PlaybackState } from '../../../emulator/protocol/playback.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let session: LabSession | undefined;
const folders: string[] = [];
afterEach(async () => {
  await session?.dispose();
  session = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function sources(): Promise<LabSources> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.sources;
}

function folder(): string {
  const made = mkdtempSync(path.join(os.tmpdir(), 'filerlab-playback-test-'));
  folders.push(made);
  return made;
}

async function ask(channel: RequestChannel, args: unknown): Promise<unknown> {
  const outcome = await dispatchRequest(session!, channel, args, () => undefined);
  if (!outcome.ok) throw new Error(outcome.error);
  expect(requestSchemas[channel].result.safeParse(outcome.result).success).toBe(true);
  return outcome.result;
}

const playback = async (args: unknown) => await ask('lab.playback', args) as PlaybackAnswer;

async function waitFor(what: string, done: () => boolean, boundMs = 20_000): Promise<void> {
  for (let waited = 0; !done(); waited += 25) {
    if (waited > boundMs) throw new Error(`waited ${boundMs} ms for ${what}`);
    await sleep(25);
  }
}

describe('playing a recording in the window', () => {
  it('records as it goes with markers, plays it back, seeks both ways to the replayed lab, and branches live', async () => {
    const labSources = await sources();
    const recordings = folder();
    session = await createLabSession({ sources: labSources, lab: 'ha-pair', seed: 3, pace: { mode: 'running', speed: 'max' }, recordingsDir: recordings, savedLabsDir: folder(), keyframeEveryUs: 5_000_000 });
    await waitFor('the lab to run', () => session!.view().atUs > 2_000_000);
    await ask('lab.record', { action: 'start' });
    expect(await ask('lab.mark', { text: 'before the pull' })).toEqual({ ok: true });
    expect(session.input({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false })).toEqual({ ok: true });
    const startedAt = session.view().atUs;
    await waitFor('16 virtual seconds', () => session!.view().atUs > startedAt + 16_000_000, 60_000);
    // Written as it goes: before Stop the file already holds the header, the inputs and checkpoints.
    const [written] = (await playback({ action: 'recent' })).recent!;
    const soFar = parseRecording(readFileSync(path.join(recordings, written!.name), 'utf8'), undefined, { cutShort: 'accept' });
    if (!soFar.ok) throw new Error(soFar.error);
    expect(soFar.recording.cutShort).toBe(true);
    expect(soFar.recording.checkpoints.length).toBeGreaterThan(0);
    expect(soFar.recording.inputs.some((stamped) => stamped.input.kind === 'cable')).toBe(true);
    await ask('lab.record', { action: 'stop' });

    const events: HostEvent[] = [];
    session.onDidEmit((event) => events.push(event));
    const opened = await playback({ action: 'openRecent', name: written!.name });
    expect(opened.ok).toBe(true);
    const state = opened.state!;
    expect(state.markers.map((marker) => marker.text)).toEqual(['recording started', 'before the pull', 'recording stopped']);
    expect(session.view().atUs).toBe(state.fromUs);
    expect(session.input({ kind: 'mark', text: 'x' }).ok).toBe(false);
    const full = parseRecording(readFileSync(path.join(recordings, written!.name), 'utf8'));
    if (!full.ok) throw new Error(full.error);

    /** The trace hash a fresh replay of the recording has at `atUs`. */
    const replayedHash = async (atUs: number): Promise<string> => {
      const fresh = await openLabSpec(labSources, 'replay', full.recording.spec, { seed: full.recording.seed, placement: 'single' });
      if (!fresh.ok) throw new Error(fresh.errors.join('\n'));
      try {
        await replayInputs(fresh.lab, full.recording.inputs.filter((stamped) => stamped.atUs < atUs), atUs);
        return await fresh.lab.traceHash();
      } finally {
        await fresh.lab.dispose();
      }
    };
    // Let the index pass a keyframe so that seeking back restores one.
    const indexed = (event: HostEvent): boolean => event.type === 'playback.state' && (event.state as PlaybackState | null)?.indexedUs !== undefined && event.state!.indexedUs >= 10_000_000;
    await waitFor('the index', () => events.some(indexed), 60_000);
    for (const target of [state.endUs - 1_000_000, 12_500_000, 4_000_000, state.fromUs + 9_000_000]) {
      const sought = await playback({ action: 'seek', atUs: target });
      expect(sought.ok).toBe(true);
      expect(session.view().atUs).toBe(target);
      expect(await session.current!.traceHash()).toBe(await replayedHash(target));
      const reset = events.findLast((event) => event.type === 'lab.reset');
      expect(reset && reset.type === 'lab.reset' && reset.view.atUs).toBe(target);
      // The charts' samples before the target follow the reset, several per client, up to the target.
      const charts = events[events.indexOf(reset!) + 1];
      const samples = charts?.type === 'lab.delta' ? charts.delta.patches.filter(([path]) => path === 'c1.stats') : [];
      expect(samples.length).toBeGreaterThan(2);
      expect((samples.at(-1)![1] as { atUs: number }).atUs).toBeLessThanOrEqual(target);
    }
    // The diagram as it was: the pulled cable end shows unplugged after the pull and plugged before it.
    await playback({ action: 'seek', atUs: state.endUs });
    expect(session.view().unplugged).toContain('filerA:0a');
    await playback({ action: 'seek', atUs: 1_000_000 });
    expect(session.view().unplugged).not.toContain('filerA:0a');

    const branched = await playback({ action: 'takeOver' });
    expect(branched).toEqual({ ok: true, state: null });
    expect(session.input({ kind: 'mark', text: 'live again' })).toEqual({ ok: true });
    expect((await playback({ action: 'status' })).state).toBeNull();
  }, 300_000);

  it('refuses a recording with a corrupt line or from another version, naming the line', async () => {
    session = await createLabSession({ sources: await sources(), lab: 'ha-pair', seed: 1, pace: { mode: 'paused', speed: 1 }, recordingsDir: folder(), savedLabsDir: folder() });
    const spec = { name: 'tiny', actors: [], cables: [] };
    const header = JSON.stringify({ type: 'header', format: 'filerlab-recording', version: 1, lab: 'tiny', seed: 1, spec });
    const corrupt = await playback({ action: 'open', name: 'bad.filerlab.jsonl', text: `${header}\n{"type":"input","atUs":5,\n{"type":"end","atUs":9,"traceHash":"0123456789abcdef"}\n` });
    expect(corrupt.ok).toBe(false);
    expect(corrupt.errors![0]).toMatch(/^bad\.filerlab\.jsonl: line 2: /);
    const newer = await playback({ action: 'open', name: 'new.filerlab.jsonl', text: `${header.replace('"version":1', '"version":2')}\n` });
    expect(newer.errors).toEqual(['new.filerlab.jsonl: line 1: recording version 2, this build reads 1']);
    expect(session.view().lab).toBe('ha-pair');
  });
});
