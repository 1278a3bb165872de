// RAID-4 parity: the XOR of the data blocks of a stripe. Word-at-a-time, because a byte loop is many
// times slower and parity runs on every stripe a consistency point writes. Int32 lanes (not Uint32:
// V8 keeps int32 results unboxed, while uint32 values above 2^31 become doubles) and 64-bit lanes for
// the single-pass parity of a whole stripe, which reads every source once and writes the parity once.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';

function aligned(bytes: Uint8Array, lane: number): boolean {
  return bytes.byteOffset % lane === 0 && bytes.length % lane === 0;
}

/** XORs `source` into `target` (same length). */
export function xorInto(target: Uint8Array, source: Uint8Array): void {
  if (target.length !== source.length) throw new Error(`xorInto: lengths differ (${target.length} vs ${source.length})`);
  if (!aligned(target, 4) || !aligned(source, 4)) {
    for (let index = 0; index < target.length; index++) target[index] ^= source[index];
    return;
  }
  const words = target.length >>> 2;
  const into = new Int32Array(target.buffer, target.byteOffset, words);
  const from = new Int32Array(source.buffer, source.byteOffset, words);
  let index = 0;
  for (; index + 4 <= words; index += 4) {
    into[index] ^= from[index];
    into[index + 1] ^= from[index + 1];
    into[index + 2] ^= from[index + 2];
    into[index + 3] ^= from[index + 3];
  }
  for (; index < words; index++) into[index] ^= from[index];
}

/** Writes the XOR of all sources (same length as target) into target, in one pass. */
export function parityInto(target: Uint8Array, sources: readonly Uint8Array[]): void {
  for (const source of sources) {
    if (source.length !== target.length) throw new Error(`parityInto: lengths differ (${source.length} vs ${target.length})`);
  }
  if (!aligned(target, 8) || sources.some((source) => !aligned(source, 8))) {
    target.fill(0);
    for (const source of sources) xorInto(target, source);
    return;
  }
  const words = target.length >>> 3;
  const out = new BigInt64Array(target.buffer, target.byteOffset, words);
  const lanes = sources.map((source) => new BigInt64Array(source.buffer, source.byteOffset, words));
  let first = 0;
  // Four sources at a time: each output word is read and written once per group of four.
  if (lanes.length === 0) { out.fill(0n); return; }
  for (; first + 4 <= lanes.length; first += 4) {
    const [a, b, c, d] = lanes.slice(first, first + 4);
    if (first === 0) for (let index = 0; index < words; index++) out[index] = a[index] ^ b[index] ^ c[index] ^ d[index];
    else for (let index = 0; index < words; index++) out[index] ^= a[index] ^ b[index] ^ c[index] ^ d[index];
  }
  for (; first < lanes.length; first++) {
    const lane = lanes[first];
    if (first === 0) out.set(lane);
    else for (let index = 0; index < words; index++) out[index] ^= lane[index];
  }
}

/** The parity block of a stripe: XOR of every given block. */
export function parityOf(blocks: readonly Uint8Array[], blockBytes: number = BLOCK_BYTES): Uint8Array {
  const parity = new Uint8Array(blockBytes);
  parityInto(parity, blocks);
  return parity;
}
