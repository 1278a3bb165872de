import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../emulator/ontap/storage/checksum.ts';

/** The textbook bit-at-a-time CRC-32 (IEEE), to check the table-driven one against. */
function bitwiseCrc32(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let index = start; index < end; index++) {
    crc ^= bytes[index];
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it('gives the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
  });

  it('agrees with the bitwise loop on aligned and unaligned ranges of every length mod 4', () => {
    const backing = new Uint8Array(9000);
    let x = 12345;
    for (let index = 0; index < backing.length; index++) { x = (Math.imul(x, 1103515245) + 12345) | 0; backing[index] = x >>> 24; }
    for (const offset of [0, 1, 2, 3, 4]) {
      const bytes = backing.subarray(offset);
      for (const [start, end] of [[0, 4096], [0, 4092], [0, 4093], [1, 4094], [2, 7], [3, 3], [5, 8191], [0, 0]]) {
        expect(crc32(bytes, start, end)).toBe(bitwiseCrc32(bytes, start, end));
      }
      expect(crc32(bytes.subarray(0, 4096))).toBe(bitwiseCrc32(bytes, 0, 4096));
    }
  });
});
