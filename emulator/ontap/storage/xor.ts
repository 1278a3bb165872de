// RAID-4 parity: the XOR of the data blocks of a stripe. Word-at-a-time on 32-bit views, because a
// byte loop is four times slower and parity runs on every stripe a consistency point writes.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';

/** XORs `source` into `target` (same length). Uses 32-bit words when both are 4-byte aligned. */
export function xorInto(target: Uint8Array, source: Uint8Array): void {
  if (target.length !== source.length) throw new Error(`xorInto: lengths differ (${target.length} vs ${source.length})`);
  const aligned = target.byteOffset % 4 === 0 && source.byteOffset % 4 === 0 && target.length % 4 === 0;
  if (!aligned) {
    for (let index = 0; index < target.length; index++) target[index] ^= source[index];
    return;
  }
  const words = target.length >>> 2;
  const targetWords = new Uint32Array(target.buffer, target.byteOffset, words);
  const sourceWords = new Uint32Array(source.buffer, source.byteOffset, words);
  for (let index = 0; index < words; index++) targetWords[index] ^= sourceWords[index];
}

/** The parity block of a stripe: XOR of every given block (a missing block counts as zeros). */
export function parityOf(blocks: readonly Uint8Array[], blockBytes: number = BLOCK_BYTES): Uint8Array {
  const parity = new Uint8Array(blockBytes);
  for (const block of blocks) xorInto(parity, block);
  return parity;
}
