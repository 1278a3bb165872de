// decodeUtf8 reads any bytes (rdfile prints clients' binary files with it): a malformed sequence, or one
// beyond Unicode, is U+FFFD, never an exception. encodeUtf8 and the lengths computed without encoding.
import { describe, it, expect } from 'vitest';
import { decodeUtf8, encodeUtf8, utf8Length } from '../../../emulator/ontap/storage/utf8.ts';
import { directoryBytes, encodeDirectory } from '../../../emulator/ontap/storage/wafl-format.ts';

describe('decodeUtf8', () => {
  it('round-trips text and replaces what is not UTF-8', () => {
    expect(decodeUtf8(encodeUtf8('quarterly figures – v1 ✓'))).toBe('quarterly figures – v1 ✓');
    expect(decodeUtf8(Uint8Array.from([0xff, 0xbf, 0xbf, 0xbf]))).toBe('\ufffd');
    expect(decodeUtf8(Uint8Array.from([0xf7, 0xbf, 0xbf, 0xbf, 0x41]))).toBe('\ufffdA');
    const noise = Uint8Array.from({ length: 4096 }, (_unused, index) => (index * 151 + 7) % 256);
    expect(() => decodeUtf8(noise)).not.toThrow();
  });
});

describe('encodeUtf8', () => {
  it('encodes one to four bytes a code point, a lone surrogate as three, and utf8Length agrees', () => {
    expect([...encodeUtf8('A\u00e9\u20ac\u{1f600}')]).toEqual([0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect([...encodeUtf8('\ud800x')]).toEqual([0xed, 0xa0, 0x80, 0x78]);
    for (const text of ['', 'plain', 'quarterly figures – v1 ✓', '\u{1f600}\u{1f601}', '\udc00\ud800', 'a\ud83d']) {
      expect(utf8Length(text)).toBe(encodeUtf8(text).length);
    }
  });
});

describe('directoryBytes', () => {
  it('is the length of the encoded directory', () => {
    const entries = { 'b.txt': 70, 'a – ✓': 65, '\u{1f600}': 66, '12': 67 };
    expect(directoryBytes(entries)).toBe(encodeDirectory(entries).length);
    expect(directoryBytes({})).toBe(encodeDirectory({}).length);
  });
});
