// The recording lines as plain data: header first, inputs and checkpoints interleaved by virtual time
// (a checkpoint at T before the inputs stamped T), end last; and read back, with bad text refused by line.
import { describe, expect, it } from 'vitest';
import { parseRecording, recordingLines, recordingText } from '../../../emulator/engine/recording.ts';
import type { RecordingParts } from '../../../emulator/engine/recording.ts';

const spec = { name: 'tiny', actors: [{ id: 'a', kind: 'pinger', config: {} }], cables: [] };
const parts: RecordingParts = {
  lab: 'tiny', seed: 7, spec, fromUs: 1_000,
  inputs: [
    { atUs: 20_000_000, sequence: 2, input: { kind: 'mark', text: 'later' } },
    { atUs: 5_000, sequence: 0, input: { kind: 'cable', end: { actor: 'a', port: 'p' }, plugged: false } },
    { atUs: 10_000_000, sequence: 1, input: { kind: 'mark', text: 'same time as a checkpoint' } },
    { atUs: 40_000_000, sequence: 3, input: { kind: 'mark', text: 'after the end' } },
  ],
  checkpoints: [{ atUs: 10_000_000, traceHash: 'c1' }, { atUs: 30_000_000, traceHash: 'c3' }],
  end: { atUs: 30_000_000, traceHash: 'e' },
};

describe('recordings', () => {
  it('puts the header first, inputs and checkpoints by time, the end last, and nothing past the end', () => {
    const lines = recordingLines(parts);
    expect(lines.map((line) => `${line.type}@${'atUs' in line ? line.atUs : '-'}`)).toEqual([
      'header@-', 'input@5000', 'checkpoint@10000000', 'input@10000000', 'input@20000000', 'checkpoint@30000000', 'end@30000000',
    ]);
    expect(lines[0]).toEqual({ type: 'header', format: 'filerlab-recording', version: 1, lab: 'tiny', seed: 7, fromUs: 1_000, spec });
  });

  it('reads its own text back', () => {
    const parsed = parseRecording(recordingText(parts));
    expect(parsed).toEqual({
      ok: true,
      recording: {
        lab: 'tiny', seed: 7, spec, fromUs: 1_000,
        inputs: parts.inputs.slice(0, 3).sort((left, right) => left.atUs - right.atUs),
        checkpoints: parts.checkpoints, end: parts.end,
      },
    });
  });

  it('refuses text that is not a whole recording, naming the line', () => {
    const text = recordingText(parts);
    expect(parseRecording('{"type":"input"}\n')).toEqual({ ok: false, error: 'line 1: not a filerlab recording header' });
    expect(parseRecording(text.split('\n').slice(0, 3).join('\n'))).toEqual({ ok: false, error: 'line 3: the recording has no end line (cut short?)' });
    const rows = text.trim().split('\n');
    rows[2] = '{"type":"input",';
    expect(parseRecording(rows.join('\n'))).toMatchObject({ ok: false, error: expect.stringMatching(/^line 3: /) });
    expect(parseRecording(text.replace('"version":1', '"version":9'))).toEqual({ ok: false, error: 'line 1: recording version 9, this build reads 1' });
  });
});
