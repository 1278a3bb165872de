// decodeUtf8 reads any bytes (rdfile prints clients' binary files with it): a malformed sequence, or one
// beyond Unicode, is U+FFFD, never an exception.
import { describe, it, expect } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../../../emulator/ontap/storage/utf8.ts';

describe('decodeUtf8', () => {
  it('round-trips text and replaces what is not UTF-8', () => {
    expect(decodeUtf8(encodeUtf8('quarterly figures – v1 ✓'))).toBe('quarterly figures – v1 ✓');
    expect(decodeUtf8(Uint8Array.from([0xff, 0xbf, 0xbf, 0xbf]))).toBe('\ufffd');
    expect(decodeUtf8(Uint8Array.from([0xf7, 0xbf, 0xbf, 0xbf, 0x41]))).toBe('\ufffdA');
    const noise = Uint8Array.from({ length: 4096 }, (_unused, index) => (index * 151 + 7) % 256);
    expect(() => decodeUtf8(noise)).not.toThrow();
  });
});
