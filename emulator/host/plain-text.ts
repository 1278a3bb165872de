// A console's bytes as the text a person reads (issue 19: `--consoles` transcripts hold text, not escape
// codes): a one-line terminal that applies carriage return, backspace and erase-to-end-of-line the way
// the screen did (the line editor redraws a line with `\r`, the text and ESC [K), drops every other
// escape sequence and bell, and ends lines with `\n`.
const ESC = '\u001b';

export function plainText(bytes: string): string {
  const lines: string[] = [];
  let line: string[] = [];
  let cursor = 0;
  for (let index = 0; index < bytes.length; index++) {
    const char = bytes[index];
    if (char === ESC) {
      index = skipEscape(bytes, index, (final, params) => {
        if (final === 'K' && (params === '' || params === '0')) line = line.slice(0, cursor);
      });
      continue;
    }
    switch (char) {
      case '\r': cursor = 0; break;
      case '\n': lines.push(line.join('')); line = []; cursor = 0; break;
      case '\b': cursor = Math.max(0, cursor - 1); break;
      case '\u0007': break;
      default:
        if (char < ' ' && char !== '\t') break;
        while (line.length < cursor) line.push(' ');
        line[cursor++] = char;
    }
  }
  if (line.length > 0) lines.push(line.join(''));
  return lines.join('\n') + (bytes.endsWith('\n') ? '\n' : '');
}

/** Skips one escape sequence starting at `start` (ESC); CSI sequences are reported. Returns its last index. */
function skipEscape(bytes: string, start: number, onCsi: (final: string, params: string) => void): number {
  if (bytes[start + 1] !== '[') return Math.min(bytes.length - 1, start + 1);
  let index = start + 2;
  while (index < bytes.length && !/[@-~]/.test(bytes[index])) index++;
  onCsi(bytes[index] ?? '', bytes.slice(start + 2, index));
  return index;
}
