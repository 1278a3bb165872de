// The console's line discipline as plain data (DESIGN.md §7): the line being typed, the cursor, the
// history and a half-read escape sequence. `feedKey` takes one character and returns what to echo and
// what the console should do; it never throws and every buffer is bounded, whatever bytes arrive.

export const LINE_LENGTH_MAX = 1024;
export const HISTORY_SIZE_MAX = 100;
const ESCAPE_LENGTH_MAX = 8;

export interface LineEditor {
  line: string;
  /** 0..line.length */
  cursor: number;
  /** Oldest first. */
  history: string[];
  /** history.length while editing a new line; an index while browsing with the arrows. */
  historyIndex: number;
  /** The new line put aside while browsing the history. */
  draft: string;
  /** Bytes of an escape sequence read so far ('' when none). */
  escape: string;
  /** The last key was CR: a following LF is the same Enter. */
  afterCr: boolean;
}

export function createLineEditor(): LineEditor {
  return { line: '', cursor: 0, history: [], historyIndex: 0, draft: '', escape: '', afterCr: false };
}

/** What one key asks of the console, beyond the echo. */
export type KeyAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'submit'; readonly line: string }
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'complete' }
  | { readonly kind: 'redraw' };

export interface KeyResult {
  /** Bytes to write back to the terminal (echo, cursor moves, bell). */
  readonly echo: string;
  readonly action: KeyAction;
}

const NONE: KeyAction = { kind: 'none' };
const BELL = '\x07';

/** Handles one character (a UTF-16 code point string) typed on the console. */
export function feedKey(editor: LineEditor, key: string, options: { history: boolean }): KeyResult {
  const wasCr = editor.afterCr;
  editor.afterCr = false;
  if (editor.escape.length > 0) return feedEscape(editor, key, options);
  switch (key) {
    case '\r':
      editor.afterCr = true;
      return submit(editor, options);
    case '\n':
      return wasCr ? { echo: '', action: NONE } : submit(editor, options);
    case '\x03':
      return interrupt(editor);
    case '\x7f':
    case '\b':
      return backspace(editor);
    case '\x15':
      return killLine(editor);
    case '\t':
      return { echo: '', action: { kind: 'complete' } };
    case '\x1b':
      editor.escape = key;
      return { echo: '', action: NONE };
    case '\x01':
      return moveTo(editor, 0);
    case '\x05':
      return moveTo(editor, editor.line.length);
    case '\x0c':
      return { echo: '', action: { kind: 'redraw' } };
    default:
      return insert(editor, key);
  }
}

function submit(editor: LineEditor, options: { history: boolean }): KeyResult {
  const line = editor.line;
  if (options.history && line.trim().length > 0 && editor.history[editor.history.length - 1] !== line) {
    editor.history.push(line);
    if (editor.history.length > HISTORY_SIZE_MAX) editor.history.shift();
  }
  resetLine(editor);
  return { echo: '\r\n', action: { kind: 'submit', line } };
}

function interrupt(editor: LineEditor): KeyResult {
  resetLine(editor);
  return { echo: '^C\r\n', action: { kind: 'interrupt' } };
}

export function resetLine(editor: LineEditor): void {
  editor.line = '';
  editor.cursor = 0;
  editor.historyIndex = editor.history.length;
  editor.draft = '';
  editor.escape = '';
}

function insert(editor: LineEditor, key: string): KeyResult {
  const code = key.codePointAt(0) ?? 0;
  // Other control characters are ignored, as a serial console would; an overlong line rings the bell.
  if (code < 0x20 || (code >= 0x80 && code < 0xa0)) return { echo: '', action: NONE };
  if (editor.line.length + key.length > LINE_LENGTH_MAX) return { echo: BELL, action: NONE };
  const tail = editor.line.slice(editor.cursor);
  editor.line = editor.line.slice(0, editor.cursor) + key + tail;
  editor.cursor += key.length;
  return { echo: key + tail + back(tail.length), action: NONE };
}

/** Inserts text at the cursor (completion); returns its echo. */
export function insertText(editor: LineEditor, text: string): string {
  let echo = '';
  for (const char of text) echo += insert(editor, char).echo;
  return echo;
}

function backspace(editor: LineEditor): KeyResult {
  if (editor.cursor === 0) return { echo: '', action: NONE };
  const tail = editor.line.slice(editor.cursor);
  editor.line = editor.line.slice(0, editor.cursor - 1) + tail;
  editor.cursor -= 1;
  return { echo: tail.length === 0 ? '\b \b' : `\b${tail} ${back(tail.length + 1)}`, action: NONE };
}

function killLine(editor: LineEditor): KeyResult {
  const echo = back(editor.cursor) + '\x1b[K';
  editor.line = '';
  editor.cursor = 0;
  return { echo, action: NONE };
}

function moveTo(editor: LineEditor, position: number): KeyResult {
  const target = Math.max(0, Math.min(editor.line.length, position));
  const echo = target < editor.cursor ? back(editor.cursor - target) : editor.line.slice(editor.cursor, target);
  editor.cursor = target;
  return { echo, action: NONE };
}

function back(count: number): string {
  return count > 0 ? `\x1b[${count}D` : '';
}

function feedEscape(editor: LineEditor, key: string, options: { history: boolean }): KeyResult {
  editor.escape += key;
  const sequence = editor.escape;
  if (sequence === '\x1b[' || sequence === '\x1bO') return { echo: '', action: NONE };
  // A CSI sequence ends with a byte in @..~; parameters (digits, ';') come before it.
  const final = sequence.length > 2 ? sequence[sequence.length - 1] : '';
  const inCsi = sequence.startsWith('\x1b[') || sequence.startsWith('\x1bO');
  if (inCsi && /[0-9;]/.test(final) && sequence.length < ESCAPE_LENGTH_MAX) return { echo: '', action: NONE };
  editor.escape = '';
  if (!inCsi) return { echo: '', action: NONE };
  switch (sequence.slice(2)) {
    case 'A': return browse(editor, -1, options);
    case 'B': return browse(editor, +1, options);
    case 'C': return moveTo(editor, editor.cursor + 1);
    case 'D': return moveTo(editor, editor.cursor - 1);
    case 'H': case '1~': case '7~': return moveTo(editor, 0);
    case 'F': case '4~': case '8~': return moveTo(editor, editor.line.length);
    case '3~': return deleteForward(editor);
    default: return { echo: '', action: NONE };
  }
}

function deleteForward(editor: LineEditor): KeyResult {
  if (editor.cursor >= editor.line.length) return { echo: '', action: NONE };
  const tail = editor.line.slice(editor.cursor + 1);
  editor.line = editor.line.slice(0, editor.cursor) + tail;
  return { echo: `${tail} ${back(tail.length + 1)}`, action: NONE };
}

function browse(editor: LineEditor, step: number, options: { history: boolean }): KeyResult {
  if (!options.history) return { echo: '', action: NONE };
  const index = editor.historyIndex + step;
  if (index < 0 || index > editor.history.length) return { echo: BELL, action: NONE };
  if (editor.historyIndex === editor.history.length) editor.draft = editor.line;
  editor.historyIndex = index;
  const text = index === editor.history.length ? editor.draft : editor.history[index];
  const echo = back(editor.cursor) + '\x1b[K' + text;
  editor.line = text;
  editor.cursor = text.length;
  return { echo, action: NONE };
}
