// A recording (DESIGN.md §2, §8): JSON lines that replay a run exactly. A header (format version, lab
// name, seed, topology), then the input log (markers are inputs of kind 'mark') interleaved by virtual
// time with periodic trace-hash checkpoints, then an end line with the trace hash at the last instant.
// Built here as plain data so `filerlab run --record` and the lab window's Record button write the
// same thing; the caller does the I/O.
import type { Micros } from './actor.ts';
import type { LabSpec, StampedInput } from './lab-spec.ts';
import { checkLabSpec } from './spec-check.ts';

export const RECORDING_FORMAT = 'filerlab-recording';
export const RECORDING_VERSION = 1;
/** Virtual time between two checkpoints of a recording. */
export const RECORDING_CHECKPOINT_EVERY_US: Micros = 10_000_000;
/** A recording ends by a day of virtual time: its replay is bounded (a run past it cannot `--record`). */
export const RECORDING_END_MAX_US: Micros = 24 * 3_600_000_000;

export interface RecordingCheckpoint {
  readonly atUs: Micros;
  readonly traceHash: string;
}

export interface RecordingParts {
  /** The lab's name as the user opened it (a built-in name, a file's name). */
  readonly lab: string;
  readonly seed: number;
  readonly spec: LabSpec;
  /** The whole input log since virtual time 0: a replay starts from a fresh lab. */
  readonly inputs: readonly StampedInput[];
  readonly checkpoints: readonly RecordingCheckpoint[];
  /** Where the interesting part starts (the Record button's press); 0 for a whole run. */
  readonly fromUs?: Micros;
  readonly end: RecordingCheckpoint;
}

export type RecordingLine =
  | { readonly type: 'header'; readonly format: typeof RECORDING_FORMAT; readonly version: number; readonly lab: string; readonly seed: number; readonly fromUs?: Micros; readonly spec: LabSpec }
  | ({ readonly type: 'input' } & StampedInput)
  | ({ readonly type: 'checkpoint' } & RecordingCheckpoint)
  | ({ readonly type: 'end' } & RecordingCheckpoint);

/** The lines of a recording, in order: header, inputs and checkpoints by time, end. */
export function recordingLines(parts: RecordingParts): RecordingLine[] {
  return [recordingHeader(parts), ...recordingBody(parts.inputs, parts.checkpoints, parts.end.atUs), { type: 'end', atUs: parts.end.atUs, traceHash: parts.end.traceHash }];
}

/** The header line of a recording. */
export function recordingHeader(parts: Pick<RecordingParts, 'lab' | 'seed' | 'spec' | 'fromUs'>): RecordingLine {
  return {
    type: 'header', format: RECORDING_FORMAT, version: RECORDING_VERSION, lab: parts.lab, seed: parts.seed,
    ...(parts.fromUs === undefined ? {} : { fromUs: parts.fromUs }), spec: parts.spec,
  };
}

/**
 * Inputs and checkpoints up to `lastUs`, interleaved by time: the middle of a recording, or (written
 * as a run goes) the part of it since the last flush.
 */
export function recordingBody(inputs: readonly StampedInput[], checkpoints: readonly RecordingCheckpoint[], lastUs: Micros): RecordingLine[] {
  const ordered = [...inputs].filter((stamped) => stamped.atUs <= lastUs)
    .sort((left, right) => left.atUs - right.atUs || left.sequence - right.sequence);
  const marks = [...checkpoints].filter((checkpoint) => checkpoint.atUs <= lastUs).sort((left, right) => left.atUs - right.atUs);
  const body: RecordingLine[] = [];
  let nextCheckpoint = 0;
  for (const stamped of ordered) {
    // A checkpoint at T is the state before the inputs stamped T take effect: it goes first.
    while (nextCheckpoint < marks.length && marks[nextCheckpoint]!.atUs <= stamped.atUs) body.push({ type: 'checkpoint', ...marks[nextCheckpoint++]! });
    body.push({ type: 'input', atUs: stamped.atUs, sequence: stamped.sequence, input: stamped.input });
  }
  while (nextCheckpoint < marks.length) body.push({ type: 'checkpoint', ...marks[nextCheckpoint++]! });
  return body;
}

/** The recording as JSON-lines text, one line each, ending with a newline. */
export function recordingText(parts: RecordingParts): string {
  return `${recordingLines(parts).map((line) => JSON.stringify(line)).join('\n')}\n`;
}

export interface ParsedRecording {
  readonly lab: string;
  readonly seed: number;
  readonly spec: LabSpec;
  readonly fromUs: Micros;
  readonly inputs: StampedInput[];
  readonly checkpoints: RecordingCheckpoint[];
  /** The end line; a recording cut short (parsed with `cutShort: 'accept'`) ends at its last line, with no hash to check. */
  readonly end: { readonly atUs: Micros; readonly traceHash: string | null };
  /** It has no end line: the run that wrote it stopped (a crash, a kill) after its last flushed line. */
  readonly cutShort: boolean;
}

export interface ParseRecordingOptions {
  /**
   * 'accept': a recording without its end line (written as the run went, then the app died) is read up
   * to its last whole line, and a torn last line is dropped. Refused otherwise.
   */
  readonly cutShort?: 'accept' | 'refuse';
}

/**
 * Checks one recorded input's shape (the host passes the same schema its Transport uses); returns why
 * it is refused, or undefined. The engine itself stays free of schema libraries.
 */
export type RecordedInputCheck = (input: unknown, spec: LabSpec) => string | undefined;

/** Reads recording text back; bad input is an answer naming the line, never a throw. */
export function parseRecording(text: string, checkInput?: RecordedInputCheck, options: ParseRecordingOptions = {}): { ok: true; recording: ParsedRecording } | { ok: false; error: string } {
  const rows = text.split('\n');
  const lines: Array<{ number: number; value: Record<string, unknown> }> = [];
  const acceptCut = options.cutShort === 'accept';
  const lastRow = rows.findLastIndex((row) => row.trim() !== '');
  for (const [index, row] of rows.entries()) {
    if (row.trim() === '') continue;
    // A line torn by a crash mid-write is the last one, with no newline after it.
    if (acceptCut && index === lastRow && index === rows.length - 1 && index > 0 && !isJson(row)) continue;
    try {
      const value: unknown = JSON.parse(row);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: `line ${index + 1}: not a JSON object` };
      lines.push({ number: index + 1, value: value as Record<string, unknown> });
    } catch (error) {
      return { ok: false, error: `line ${index + 1}: ${(error as Error).message}` };
    }
  }
  const header = lines[0]?.value;
  if (header?.['type'] !== 'header' || header['format'] !== RECORDING_FORMAT) return { ok: false, error: `line ${lines[0]?.number ?? 1}: not a filerlab recording header` };
  if (header['version'] !== RECORDING_VERSION) return { ok: false, error: `line ${lines[0]!.number}: recording version ${String(header['version'])}, this build reads ${RECORDING_VERSION}` };
  const headerProblem = checkHeader(header);
  if (headerProblem) return { ok: false, error: `line ${lines[0]!.number}: ${headerProblem}` };
  const last = lines.at(-1)!;
  const cutShort = last.value['type'] !== 'end';
  if (!acceptCut && (lines.length < 2 || cutShort)) return { ok: false, error: `line ${last.number}: the recording has no end line (cut short?)` };
  const inputs: StampedInput[] = [];
  const checkpoints: RecordingCheckpoint[] = [];
  let previousUs = 0;
  for (const { number, value: line } of lines.slice(1)) {
    const atUs = line['atUs'];
    if (!isTime(atUs)) return { ok: false, error: `line ${number}: atUs must be a whole number of µs, not ${JSON.stringify(atUs)}` };
    if (atUs > RECORDING_END_MAX_US) return { ok: false, error: `line ${number}: atUs ${atUs} is past the end a recording may have (${RECORDING_END_MAX_US} µs, a day)` };
    if (atUs < previousUs) return { ok: false, error: `line ${number}: atUs ${atUs} goes back in time (the line before was at ${previousUs})` };
    previousUs = atUs;
    if (line['type'] === 'input') {
      const sequence = line['sequence'];
      if (!isTime(sequence)) return { ok: false, error: `line ${number}: sequence must be a whole number, not ${JSON.stringify(sequence)}` };
      const problem = checkInput?.(line['input'], header['spec'] as LabSpec);
      if (problem) return { ok: false, error: `line ${number}: input ${problem}` };
      inputs.push({ atUs, sequence, input: line['input'] as StampedInput['input'] });
    } else if (line['type'] === 'checkpoint' || line['type'] === 'end') {
      if (typeof line['traceHash'] !== 'string' || !/^[0-9a-f]{16}$/.test(line['traceHash'])) return { ok: false, error: `line ${number}: traceHash must be 16 hex digits` };
      if (line['type'] === 'checkpoint') checkpoints.push({ atUs, traceHash: line['traceHash'] });
      else if (number !== last.number) return { ok: false, error: `line ${number}: an end line before the last line` };
    } else {
      return { ok: false, error: `line ${number}: unknown line type ${JSON.stringify(line['type'])}` };
    }
  }
  const end = cutShort ? { atUs: previousUs, traceHash: null } : { atUs: last.value['atUs'] as Micros, traceHash: last.value['traceHash'] as string };
  return {
    ok: true,
    recording: {
      lab: String(header['lab']), seed: header['seed'] as number, spec: header['spec'] as LabSpec, fromUs: (header['fromUs'] as number | undefined) ?? 0,
      inputs, checkpoints, end, cutShort,
    },
  };
}

function isJson(row: string): boolean {
  try { JSON.parse(row); return true; } catch { return false; }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The header's own fields; the topology's deeper sense is the lab's to judge when it is built. */
function checkHeader(header: Record<string, unknown>): string | undefined {
  if (typeof header['lab'] !== 'string') return 'lab must be a name';
  if (!isTime(header['seed'])) return `seed must be a whole number, not ${JSON.stringify(header['seed'])}`;
  if (header['fromUs'] !== undefined && !isTime(header['fromUs'])) return 'fromUs must be a whole number of µs';
  if (header['lab'].length > 4096) return 'lab must be a name';
  const problem = checkLabSpec(header['spec']);
  return problem ? `spec: ${problem}` : undefined;
}
