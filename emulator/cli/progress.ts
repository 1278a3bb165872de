// A progress bar that redraws itself on stderr while long work runs (`run`, `replay`):
// `replay ▕█████████░░░░░░▏ 40.0 / 62.0 s virtual  4 hashes match`. Only on a terminal.
import type { CliIo } from './command.ts';

const WIDTH = 30;

export class ProgressLine {
  constructor(private readonly io: CliIo, private readonly label: string, private readonly endUs: number) {}

  show(atUs: number, note = ''): void {
    const fraction = this.endUs > 0 ? Math.min(1, atUs / this.endUs) : 1;
    const filled = Math.round(fraction * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    this.io.stderr(`\r\x1b[2K${this.label} ▕${bar}▏ ${(atUs / 1e6).toFixed(1)} / ${(this.endUs / 1e6).toFixed(1)} s virtual${note ? `  ${note}` : ''}`);
  }

  clear(): void {
    this.io.stderr('\r\x1b[2K');
  }
}

/** A progress line when stderr is a terminal, else nothing. */
export function progressLine(io: CliIo, label: string, endUs: number): ProgressLine | undefined {
  return io.interactive ? new ProgressLine(io, label, endUs) : undefined;
}
