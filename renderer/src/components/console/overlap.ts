// The host's scrollback may already hold bytes that its next throttled delta carries again: drop from
// the first live chunk the longest start that ends the scrollback (same rule as `filerlab console`).
export function withoutOverlap(scrollback: string, chunk: string): string {
  const max = Math.min(scrollback.length, chunk.length);
  for (let length = max; length > 0; length--) {
    if (scrollback.endsWith(chunk.slice(0, length))) return chunk.slice(length);
  }
  return chunk;
}
