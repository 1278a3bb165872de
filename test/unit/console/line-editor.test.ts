import { describe, expect, it } from 'vitest';
import { createLineEditor, feedKey, HISTORY_SIZE_MAX, LINE_LENGTH_MAX } from '../../../emulator/ontap/console/line-editor.ts';
import type { LineEditor } from '../../../emulator/ontap/console/line-editor.ts';

function typeAll(editor: LineEditor, data: string): { echo: string; actions: string[] } {
  let echo = '';
  const actions: string[] = [];
  for (const key of data) {
    const result = feedKey(editor, key, { history: true });
    echo += result.echo;
    if (result.action.kind !== 'none') actions.push(result.action.kind === 'submit' ? `submit:${result.action.line}` : result.action.kind);
  }
  return { echo, actions };
}

describe('line discipline', () => {
  it('echoes typed characters and submits on CR, treating CR LF as one Enter', () => {
    const editor = createLineEditor();
    const { echo, actions } = typeAll(editor, 'cf status\r\n');
    expect(echo).toBe('cf status\r\n');
    expect(actions).toEqual(['submit:cf status']);
    expect(editor.line).toBe('');
  });

  it('backspace and DEL erase the character before the cursor', () => {
    const editor = createLineEditor();
    const { echo, actions } = typeAll(editor, 'cg\x7fx\bf\r');
    expect(actions).toEqual(['submit:cf']);
    expect(echo.startsWith('cg\b \b')).toBe(true);
  });

  it('Ctrl-U kills the line, Ctrl-C abandons it with ^C', () => {
    const editor = createLineEditor();
    expect(typeAll(editor, 'garbage\x15vol\r').actions).toEqual(['submit:vol']);
    const interrupted = typeAll(editor, 'half\x03');
    expect(interrupted.echo.endsWith('^C\r\n')).toBe(true);
    expect(interrupted.actions).toEqual(['interrupt']);
    expect(editor.line).toBe('');
  });

  it('arrow keys browse the history and move the cursor', () => {
    const editor = createLineEditor();
    typeAll(editor, 'first\rsecond\r');
    typeAll(editor, 'dra');
    typeAll(editor, '\x1b[A');
    expect(editor.line).toBe('second');
    typeAll(editor, '\x1b[A\x1b[A');
    expect(editor.line).toBe('first');
    typeAll(editor, '\x1b[B\x1b[B');
    expect(editor.line).toBe('dra');
    typeAll(editor, '\x1b[D\x1b[DX');
    expect(editor.line).toBe('dXra');
    expect(typeAll(editor, '\x1bOF!\r').actions).toEqual(['submit:dXra!']);
  });

  it('Tab asks for completion', () => {
    expect(typeAll(createLineEditor(), 'cf st\t').actions).toEqual(['complete']);
  });

  it('bounds the line and the history', () => {
    const editor = createLineEditor();
    const { echo } = typeAll(editor, 'x'.repeat(LINE_LENGTH_MAX + 10));
    expect(editor.line.length).toBe(LINE_LENGTH_MAX);
    expect(echo.endsWith('\x07')).toBe(true);
    typeAll(editor, '\r');
    for (let index = 0; index < HISTORY_SIZE_MAX + 20; index++) typeAll(editor, `cmd${index}\r`);
    expect(editor.history.length).toBe(HISTORY_SIZE_MAX);
    expect(editor.history[editor.history.length - 1]).toBe(`cmd${HISTORY_SIZE_MAX + 19}`);
  });

  it('ignores other control characters and unknown escape sequences', () => {
    const editor = createLineEditor();
    expect(typeAll(editor, 'a\x00\x02\x1b[99Zb\x1bxc\r').actions).toEqual(['submit:abc']);
  });
});
