// Console transcripts as text: the line editor's redraws, erases and escape sequences applied, not kept.
import { describe, expect, it } from 'vitest';
import { plainText } from '../../../emulator/host/plain-text.ts';

describe('plainText', () => {
  it('applies carriage return, erase to end of line and backspace as the screen did', () => {
    expect(plainText('filerA> \u001b[KMon Jun  3 09:00:00 GMT [filerA: x:info]: hi\r\nfilerA> ')).toBe('filerA> Mon Jun  3 09:00:00 GMT [filerA: x:info]: hi\nfilerA> ');
    expect(plainText('filerA> cf statu\rfilerA> \u001b[Kcf status\r\n')).toBe('filerA> cf status\n');
    expect(plainText('abc\b\bX\r\n')).toBe('aXc\n');
  });

  it('drops colours, cursor moves and bells', () => {
    expect(plainText('\u001b[1;31mred\u001b[0m \u0007ok\u001b[2J\r\n')).toBe('red ok\n');
  });
});
