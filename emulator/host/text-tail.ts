// The last N characters of a stream of text (a console transcript), kept in amortized constant time
// per append. `(text + more).slice(-N)` copies N characters on every append once the text is full:
// a console echoing a paste key by key then costs N per key, and the host stalls for minutes (issue 21).
// Here appends go to a list of chunks and the list is cut back to N only once it holds 2N.

export class TextTail {
  private chunks: string[] = [];
  private size = 0;

  constructor(readonly limit: number, initial = '') {
    if (initial) this.append(initial);
  }

  /** Characters held (at most `limit` once read; up to 2 × limit between compactions). */
  get length(): number {
    return Math.min(this.size, this.limit);
  }

  append(text: string): void {
    if (text.length === 0) return;
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 2 * this.limit) this.compact();
  }

  /** The last `limit` characters appended. */
  text(): string {
    if (this.chunks.length !== 1 || this.size > this.limit) this.compact();
    return this.chunks[0] ?? '';
  }

  private compact(): void {
    let joined = this.chunks.join('');
    if (joined.length > this.limit) joined = joined.slice(-this.limit);
    this.chunks = joined.length > 0 ? [joined] : [];
    this.size = joined.length;
  }
}
