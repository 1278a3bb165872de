// A sidecar keeps at most its byte budget of keyframes (a keyframe grows with the clients' writes, so a
// long recording would otherwise take gigabytes): past it no keyframe is written, the writer says why,
// and the keyframes kept stay readable.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { KeyframeSidecarWriter, readSidecar, type KeptKeyframeBody } from '../../../emulator/host/keyframe-sidecar.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'filerlab-sidecar-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('stops writing keyframes at its byte budget and keeps the ones before readable', async () => {
  const file = path.join(dir, 'long.filerlab.keys');
  const header = '{"format":"filerlab-recording"}\n';
  const writer = new KeyframeSidecarWriter(file, header, 40_000);
  // Bytes that do not compress, as written disk blocks do not: each keyframe is ~16 KB.
  let noise = 1;
  const body = (): KeptKeyframeBody => {
    const bytes = new Uint8Array(16_000).map(() => { noise = (Math.imul(noise, 1103515245) + 12345) >>> 0; return noise >>> 24; });
    return { snapshot: bytes, view: { state: [], ems: [], transcripts: [] }, stats: [] };
  };
  for (let minute = 1; minute <= 5; minute++) writer.append(minute * 60_000_000, [], 0, body());
  await writer.close();
  expect(writer.bytes).toBeLessThanOrEqual(40_000);
  expect(writer.problem).toBeUndefined();
  expect(writer.full).toMatch(/^keyframes stopped at 0 MB, the most a recording keeps beside it: seeks after 2:00 virtual replay from there$/);
  const read = readSidecar(file, header, [], 10 * 60_000_000);
  expect(read.ok && read.keyframes.map((keyframe) => keyframe.atUs)).toEqual([60_000_000, 120_000_000]);
});
