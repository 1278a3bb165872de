// A recording written as the run goes (issue 22): the header at once, then every virtual second the
// inputs and checkpoints since the last flush, appended and flushed to the disk, then the end line. An
// app that dies mid-run leaves a recording cut short by at most the last virtual second, which
// `filerlab replay` accepts (it replays it that far and says so). Markers are inputs of kind 'mark'.
import type { Micros } from '../engine/actor.ts';
import { MICROS_PER_SECOND } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';
import { recordingBody, recordingHeader } from '../engine/recording.ts';
import type { RecordingCheckpoint, RecordingLine } from '../engine/recording.ts';
import { AppendFile } from './files.ts';

/** Virtual time between two flushes: what a crash may lose at most. */
export const RECORDING_FLUSH_EVERY_US: Micros = MICROS_PER_SECOND;

export class RecordingStream {
  private readonly file: AppendFile;
  private inputsWritten = 0;
  private checkpoints: RecordingCheckpoint[] = [];
  /** The header line as written (its keyframes' sidecar names the recording by it). */
  readonly headerLine: string;

  /**
   * Creates the file and writes its header: the lab's topology and seed (the whole input log since 0
   * follows); `fromUs`, where the interesting part starts (the Record button's press), when not 0.
   */
  constructor(readonly path: string, private readonly lab: Lab, source: string, fromUs?: Micros) {
    this.file = new AppendFile(path);
    this.headerLine = JSON.stringify(recordingHeader({ lab: source, seed: lab.seed, spec: lab.spec, ...(fromUs ? { fromUs } : {}) }));
    this.file.append(`${this.headerLine}\n`);
  }

  checkpoint(checkpoint: RecordingCheckpoint): void {
    this.checkpoints.push(checkpoint);
  }

  /** Appends what happened up to the lab's time and flushes it to the disk. */
  flush(): void {
    const log = this.lab.inputLog;
    let upTo = this.inputsWritten;
    while (upTo < log.length && log[upTo]!.atUs <= this.lab.nowUs) upTo++;
    const fresh = log.slice(this.inputsWritten, upTo);
    this.inputsWritten = upTo;
    const lines = recordingBody(fresh, this.checkpoints, this.lab.nowUs);
    this.checkpoints = [];
    if (lines.length > 0) this.write(lines);
  }

  /** The last lines and the end line; the file is then closed. */
  finish(end: RecordingCheckpoint): void {
    try {
      this.flush();
      this.write([{ type: 'end', atUs: end.atUs, traceHash: end.traceHash }]);
    } finally {
      this.file.close();
    }
  }

  /** Closes the file without an end line (the run failed): what was flushed stays readable. */
  abandon(): void {
    this.file.close();
  }

  private write(lines: readonly RecordingLine[]): void {
    this.file.append(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  }
}
