// RAID-4 parity: the XOR of the data blocks of a stripe. It runs on every stripe a consistency point
// writes and every stripe reconstruction rebuilds, so it has two kernels: WebAssembly SIMD (xor-wasm.ts,
// 16 bytes per XOR) where the runtime has it, and this file's JS kernel otherwise (and for lengths that
// are not a multiple of 64). The JS kernel reads every source once and writes the parity once, four
// sources per pass, in Int32 lanes (V8 keeps int32 results unboxed; uint32 values above 2^31 become
// doubles, and BigInt64 lanes allocate). XOR is exact: both kernels give the same bytes.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { createWasmParity, type WasmParity } from './xor-wasm.ts';

/** The SIMD kernel, built on first use (a pure function of its input: caching it keeps determinism). */
let simd: WasmParity | null | undefined;

function simdKernel(): WasmParity | null {
  if (simd === undefined) simd = createWasmParity();
  return simd;
}

function aligned(bytes: Uint8Array): boolean {
  return bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0;
}

function int32s(bytes: Uint8Array): Int32Array {
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
}

/** XORs `source` into `target` (same length). */
export function xorInto(target: Uint8Array, source: Uint8Array): void {
  if (target.length !== source.length) throw new Error(`xorInto: lengths differ (${target.length} vs ${source.length})`);
  parityInto(target, [target, source]);
}

/** Writes the XOR of all sources (each as long as target) into target, in one pass. Target may be a source. */
export function parityInto(target: Uint8Array, sources: readonly Uint8Array[]): void {
  for (const source of sources) {
    if (source.length !== target.length) throw new Error(`parityInto: lengths differ (${source.length} vs ${target.length})`);
  }
  const kernel = target.length % 64 === 0 ? simdKernel() : null;
  if (kernel) kernel.parityInto(target, sources);
  else parityIntoJs(target, sources);
}

/** The JS kernel (exported for the test that compares it with the SIMD one, and for the bench). */
export function parityIntoJs(target: Uint8Array, sources: readonly Uint8Array[]): void {
  if (!aligned(target) || sources.some((source) => !aligned(source))) {
    parityBytes(target, sources);
    return;
  }
  if (sources.indexOf(target) > 3) throw new Error('parityInto: the target may only be one of the first four sources');
  const out = int32s(target);
  const lanes = sources.map(int32s);
  if (lanes.length === 0) { out.fill(0); return; }
  // The first pass writes the XOR of up to four sources; later passes XOR four more in. A source that
  // is the target itself is read in the first pass, word by word before that word is written.
  for (let first = 0; first < lanes.length; first += 4) {
    const group = lanes.slice(first, first + 4);
    xorPass(out, group, first === 0);
  }
}

function xorPass(out: Int32Array, group: readonly Int32Array[], fresh: boolean): void {
  const words = out.length;
  const zero = new Int32Array(0);
  const [a, b = zero, c = zero, d = zero] = group;
  switch (group.length) {
    case 1:
      if (fresh) { out.set(a); return; }
      for (let index = 0; index < words; index++) out[index] ^= a[index];
      return;
    case 2:
      if (fresh) for (let index = 0; index < words; index++) out[index] = a[index] ^ b[index];
      else for (let index = 0; index < words; index++) out[index] ^= a[index] ^ b[index];
      return;
    case 3:
      if (fresh) for (let index = 0; index < words; index++) out[index] = a[index] ^ b[index] ^ c[index];
      else for (let index = 0; index < words; index++) out[index] ^= a[index] ^ b[index] ^ c[index];
      return;
    default:
      if (fresh) for (let index = 0; index < words; index++) out[index] = a[index] ^ b[index] ^ c[index] ^ d[index];
      else for (let index = 0; index < words; index++) out[index] ^= a[index] ^ b[index] ^ c[index] ^ d[index];
  }
}

/** Byte at a time, for views that are not 4-byte aligned. */
function parityBytes(target: Uint8Array, sources: readonly Uint8Array[]): void {
  for (let index = 0; index < target.length; index++) {
    let byte = 0;
    for (const source of sources) byte ^= source[index];
    target[index] = byte;
  }
}

/** The parity block of a stripe: XOR of every given block. */
export function parityOf(blocks: readonly Uint8Array[], blockBytes: number = BLOCK_BYTES): Uint8Array {
  const parity = new Uint8Array(blockBytes);
  parityInto(parity, blocks);
  return parity;
}
