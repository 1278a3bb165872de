// The host's scrollback may already hold bytes that its next throttled delta carries again: drop from
// the first live chunk the longest start that ends the scrollback (same rule as `filerlab console`).
// Linear (Knuth–Morris–Pratt), as in emulator/cli/console-client.ts: trying every length with endsWith
// was quadratic, seconds of a frozen window for a big paste (issue 21).
export function withoutOverlap(scrollback: string, chunk: string): string {
  const max = Math.min(scrollback.length, chunk.length);
  if (max === 0) return chunk;
  // `border[i]`: the longest proper border of chunk[0..i].
  const border = new Int32Array(max);
  for (let i = 1, k = 0; i < max; i++) {
    while (k > 0 && chunk[i] !== chunk[k]) k = border[k - 1]!;
    if (chunk[i] === chunk[k]) k++;
    border[i] = k;
  }
  // Run the scrollback's last `max` characters through it: the match length at the end is the overlap.
  let matched = 0;
  for (let i = scrollback.length - max; i < scrollback.length; i++) {
    while (matched > 0 && (matched === max || scrollback[i] !== chunk[matched])) matched = border[matched - 1]!;
    if (scrollback[i] === chunk[matched]) matched++;
  }
  return chunk.slice(matched);
}
