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
  checkpoints: [{ atUs: 10_000_000, traceHash: '00000000000000c1' }, { atUs: 30_000_000, traceHash: '00000000000000c3' }],
  end: { atUs: 30_000_000, traceHash: '000000000000000e' },
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
        checkpoints: parts.checkpoints, end: parts.end, cutShort: false,
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

  it('refuses lines whose fields are wrong, naming the line and the field', () => {
    const rows = recordingText(parts).trim().split('\n');
    const withRow = (index: number, row: string): string => rows.map((line, at) => at === index ? row : line).join('\n');
    expect(parseRecording(withRow(0, rows[0]!.replace('"seed":7', '"seed":"7"')))).toEqual({ ok: false, error: 'line 1: seed must be a whole number, not "7"' });
    expect(parseRecording(withRow(0, rows[0]!.replace('"actors":', '"actorz":')))).toEqual({ ok: false, error: 'line 1: spec: the topology lacks its actors or cables' });
    expect(parseRecording(withRow(1, '{"type":"input","atUs":-5,"sequence":0,"input":{"kind":"mark","text":"x"}}'))).toEqual({ ok: false, error: 'line 2: atUs must be a whole number of µs, not -5' });
    expect(parseRecording(withRow(1, '{"type":"input","atUs":5000,"input":{"kind":"mark","text":"x"}}'))).toEqual({ ok: false, error: 'line 2: sequence must be a whole number, not undefined' });
    expect(parseRecording(withRow(3, '{"type":"input","atUs":1,"sequence":1,"input":{"kind":"mark","text":"x"}}'))).toEqual({ ok: false, error: 'line 4: atUs 1 goes back in time (the line before was at 10000000)' });
    expect(parseRecording(withRow(2, '{"type":"checkpoint","atUs":10000000,"traceHash":"zz"}'))).toEqual({ ok: false, error: 'line 3: traceHash must be 16 hex digits' });
    expect(parseRecording(withRow(2, '{"type":"end","atUs":10000000,"traceHash":"00000000000000c1"}'))).toEqual({ ok: false, error: 'line 3: an end line before the last line' });
    // The host's schema check names what is wrong with an input.
    const check = (input: unknown): string | undefined => (input as { kind?: string }).kind === 'mark' || (input as { kind?: string }).kind === 'cable' ? undefined : 'kind must be actor, cable or mark';
    expect(parseRecording(withRow(1, '{"type":"input","atUs":5000,"sequence":0,"input":{"kind":"teleport"}}'), check)).toEqual({ ok: false, error: 'line 2: input kind must be actor, cable or mark' });
    expect(parseRecording(recordingText(parts), check).ok).toBe(true);
  });
});
