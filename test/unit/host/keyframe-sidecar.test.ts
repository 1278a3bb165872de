// Keyframes written beside a recording as it is made (issue 22): `filerlab run --record` and the
// window's Record write `<name>.filerlab.keys`; a player opening the recording from the recordings
// folder seeks from them at once, to the very lab a fresh replay gives at the target; a sidecar of
// another recording or another version is refused whole (version 1, the snapshot an object in the
// body rather than its bytes, still seeks), a torn last keyframe (a crash) is dropped,
// and a keyframe whose body is damaged gives way to the one before it.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';
import { parseRecording } from '../../../emulator/engine/recording.ts';
import type { ParsedRecording } from '../../../emulator/engine/recording.ts';
import { replayInputs } from '../../../emulator/engine/replay.ts';
import { loadLabSources, openLabSpec } from '../../../emulator/host/engine-lab-loader.ts';
import type { LabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { readKeyframeBody, readSidecar, sidecarPathOf } from '../../../emulator/host/keyframe-sidecar.ts';
import type { SidecarKeyframe } from '../../../emulator/host/keyframe-sidecar.ts';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import type { LabSession } from '../../../emulator/host/lab-session.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'filerlab-sidecar-test-'));
const recordingFile = path.join(dir, 'demo.filerlab.jsonl');
let labSources: LabSources;
let recording: ParsedRecording;
let text: string;
let session: LabSession | undefined;

beforeAll(async () => {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  labSources = loaded.sources;
  const script = path.join(dir, 'demo.script');
  writeFileSync(script, 'at 3s pull filerA:0a\nat 4s console filerA "sysconfig -r"\nat 70s plug filerA:0a\nat 71s mark "loop back"\n');
  let stderr = '';
  const code = await runCommand.run(['ha-pair', '--seed', '4', '--for', '130s', '--script', script, '--record', recordingFile, '--json'], { stdout: () => undefined, stderr: (more) => { stderr += more; }, interactive: false });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  text = readFileSync(recordingFile, 'utf8');
  const parsed = parseRecording(text);
  if (!parsed.ok) throw new Error(parsed.error);
  recording = parsed.recording;
}, 120_000);
afterEach(async () => {
  await session?.dispose();
  session = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const headerLine = (): string => text.slice(0, text.indexOf('\n') + 1);
const keyframesOf = (file: string) => readSidecar(file, headerLine(), recording.inputs, recording.end.atUs);

/** The trace hash a fresh replay of the recording has at `atUs`. */
async function replayedHash(atUs: number): Promise<string> {
  const fresh = await openLabSpec(labSources, 'replay', recording.spec, { seed: recording.seed, placement: 'single' });
  if (!fresh.ok) throw new Error(fresh.errors.join('\n'));
  try {
    await replayInputs(fresh.lab, recording.inputs.filter((stamped) => stamped.atUs < atUs), atUs);
    return await fresh.lab.traceHash();
  } finally {
    await fresh.lab.dispose();
  }
}

/** Opens `name` from `folder` as the window's recent list does; returns how far it is indexed at once. */
async function openRecent(folder: string, name: string): Promise<number> {
  session = await createLabSession({ sources: labSources, pace: { mode: 'paused', speed: 1 }, recordingsDir: folder, savedLabsDir: path.join(dir, 'saved') });
  const opened = await session.playback({ action: 'openRecent', name });
  expect(opened.errors).toBeUndefined();
  return opened.state!.indexedUs;
}

async function expectSeekMatchesReplay(targetUs: number): Promise<void> {
  const sought = await session!.playback({ action: 'seek', atUs: targetUs });
  expect(sought.errors).toBeUndefined();
  expect(session!.view().atUs).toBe(targetUs);
  expect(await session!.current!.traceHash()).toBe(await replayedHash(targetUs));
}

/** A copy of the recording and its sidecar under another name, for a test to damage. */
function copyAs(stem: string): { recordingName: string; sidecar: string } {
  const recordingName = `${stem}.filerlab.jsonl`;
  copyFileSync(recordingFile, path.join(dir, recordingName));
  const sidecar = sidecarPathOf(path.join(dir, recordingName));
  copyFileSync(sidecarPathOf(recordingFile), sidecar);
  return { recordingName, sidecar };
}

function sidecarKeyframes(file: string): SidecarKeyframe[] {
  const read = keyframesOf(file);
  if (!read.ok) throw new Error(read.problem);
  return read.keyframes;
}

describe('keyframes beside a recording', () => {
  it('run --record writes them every minute of virtual time; a player seeks from them at once to the replayed lab', async () => {
    const keyframes = sidecarKeyframes(sidecarPathOf(recordingFile));
    // The first at the first second; then a minute apart at least (later when one would cost too much wall time).
    const times = keyframes.map((keyframe) => keyframe.atUs);
    expect(times[0]).toBe(1_000_000);
    expect(times.length).toBe(3);
    for (let at = 1; at < times.length; at++) expect(times[at]! - times[at - 1]!).toBeGreaterThanOrEqual(60_000_000);
    // Each holds the inputs stamped before it: the feed goes on after them.
    expect(keyframes.map((keyframe) => keyframe.inputsHeld)).toEqual(times.map((atUs) => recording.inputs.filter((stamped) => stamped.atUs < atUs).length));
    expect(await openRecent(dir, 'demo.filerlab.jsonl')).toBeGreaterThanOrEqual(times.at(-1)!);
    for (const targetUs of [129_000_000, times[1]! + 1_500_000, 30_000_000, times[2]!]) await expectSeekMatchesReplay(targetUs);
  }, 120_000);

  it('refuses a sidecar of another recording or version, and plays the recording by indexing it', async () => {
    const { recordingName, sidecar } = copyAs('other');
    const bytes = readFileSync(sidecar);
    writeFileSync(sidecar, Buffer.from(bytes.toString('latin1').replace('"version":2', '"version":9'), 'latin1'));
    expect(keyframesOf(sidecar)).toEqual({ ok: false, problem: 'the keyframes file is not filerlab-keyframes version 1 or 2' });
    expect(readSidecar(sidecarPathOf(recordingFile), headerLine().replace('"seed":4', '"seed":5'), recording.inputs, recording.end.atUs))
      .toEqual({ ok: false, problem: 'the keyframes file belongs to another recording' });
    expect(await openRecent(dir, recordingName)).toBeLessThan(61_000_000);
    await expectSeekMatchesReplay(8_000_000);
  }, 120_000);

  it('seeks from a version 1 sidecar, whose bodies hold the snapshot as an object, not as its bytes', async () => {
    const { recordingName, sidecar } = copyAs('version-1');
    const bytes = readFileSync(sidecar);
    const newline = bytes.indexOf(0x0a);
    const parts = [Buffer.from(bytes.subarray(0, newline + 1).toString('utf8').replace('"version":2', '"version":1'))];
    // Each record again, its meta as it was and its body as version 1 wrote it: one v8-serialized object.
    let offset = newline + 1;
    for (const keyframe of sidecarKeyframes(sidecar)) {
      const meta = bytes.subarray(offset, offset + 4 + bytes.readUInt32BE(offset));
      const body = gunzipSync(bytes.subarray(keyframe.bodyOffset, keyframe.bodyOffset + keyframe.bodyBytes));
      // Version 2's body: the envelope's length first, not V8's tag.
      expect(body[0]).not.toBe(0xff);
      const zipped = gzipSync(v8.serialize(readKeyframeBody(body)));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(zipped.length, 0);
      parts.push(meta, length, zipped);
      offset = keyframe.bodyOffset + keyframe.bodyBytes;
    }
    writeFileSync(sidecar, Buffer.concat(parts));
    expect(sidecarKeyframes(sidecar).map((keyframe) => keyframe.atUs)).toEqual(sidecarKeyframes(sidecarPathOf(recordingFile)).map((keyframe) => keyframe.atUs));
    expect(await openRecent(dir, recordingName)).toBeGreaterThanOrEqual(120_000_000);
    await expectSeekMatchesReplay(63_000_000);
  }, 120_000);

  it('drops a torn last keyframe and gives way to the one before a damaged keyframe', async () => {
    const { recordingName, sidecar } = copyAs('damaged');
    const [, second, third] = sidecarKeyframes(sidecar);
    truncateSync(sidecar, third!.bodyOffset + Math.floor(third!.bodyBytes / 2));
    const torn = keyframesOf(sidecar);
    expect(torn).toMatchObject({ ok: true, stoppedAt: 'a torn keyframe at the end' });
    expect(torn.ok && torn.keyframes.length).toBe(2);
    // Flip bytes inside the second keyframe's compressed body: its CRC fails when it is loaded.
    const bytes = readFileSync(sidecar);
    const middle = second!.bodyOffset + Math.floor(second!.bodyBytes / 2);
    for (let at = middle; at < middle + 64; at++) bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(sidecar, bytes);
    await openRecent(dir, recordingName);
    await expectSeekMatchesReplay(63_000_000);
  }, 120_000);
});
