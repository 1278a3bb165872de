// Benchmark: RAID-4 parity against a memory copy of the same buffers. Run: `npx tsx emulator/host/bench/xor.ts`
// or `filerlab bench xor`. What is compared, on the same k data buffers of `stripes` 4 KiB blocks each:
//  - parity: bytes of data XORed per second by the storage OS's parityInto (k × buffer bytes per call,
//    parity written once to the target), with the kernel storage uses (WebAssembly SIMD where present)
//    and with the JS kernel alone;
//  - copy: bytes copied per second by TypedArray.set of each of the k buffers into the same target.
// Target: parity at half the copy rate or better. Each figure is the median of several timed rounds
// (the machine may be shared: one round can be slow for reasons of its own).
import { performance } from 'node:perf_hooks';
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { parityInto, parityIntoJs } from '../../ontap/storage/xor.ts';
import { createWasmParity } from '../../ontap/storage/xor-wasm.ts';

export interface XorBenchResult {
  readonly dataDisks: number;
  readonly bufferBytes: number;
  readonly kernel: 'wasm-simd' | 'js';
  readonly parityMBps: number;
  readonly jsParityMBps: number;
  readonly copyMBps: number;
  readonly ratio: number;
  readonly jsRatio: number;
}

export const XOR_TARGET_RATIO = 0.5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Parity of a 4-data-disk run of `stripes` stripes, against copying the same data buffers. */
export function runXorBench(stripes = 256, rounds = 20, samples = 7): XorBenchResult {
  const dataDisks = 4;
  const bytes = stripes * BLOCK_BYTES;
  const sources = Array.from({ length: dataDisks }, (_, disk) => {
    const buffer = new Uint8Array(bytes);
    for (let index = 0; index < bytes; index++) buffer[index] = (index * 31 + disk * 7 + (index >> 11)) & 0xff;
    return buffer;
  });
  const target = new Uint8Array(bytes);
  const measure = (work: () => void): number => {
    for (let round = 0; round < 3; round++) work();
    const rates: number[] = [];
    for (let sample = 0; sample < samples; sample++) {
      const start = performance.now();
      for (let round = 0; round < rounds; round++) work();
      const seconds = (performance.now() - start) / 1000;
      rates.push((rounds * dataDisks * bytes) / (1024 * 1024) / seconds);
    }
    return median(rates);
  };
  const copyMBps = measure(() => { for (const source of sources) target.set(source); });
  const parityMBps = measure(() => parityInto(target, sources));
  const jsParityMBps = measure(() => parityIntoJs(target, sources));
  return {
    dataDisks, bufferBytes: bytes, kernel: createWasmParity() ? 'wasm-simd' : 'js',
    parityMBps, jsParityMBps, copyMBps, ratio: parityMBps / copyMBps, jsRatio: jsParityMBps / copyMBps,
  };
}

export function formatXorBench(result: XorBenchResult): string {
  const met = result.ratio >= XOR_TARGET_RATIO;
  const mib = (result.bufferBytes / (1024 * 1024)).toFixed(0);
  return [
    `${result.dataDisks} data buffers of ${mib} MiB; MB/s = MiB of data buffers processed per second (median)`,
    `parity (${result.kernel.padEnd(9)}) ${result.parityMBps.toFixed(0).padStart(8)} MB/s  data XORed into one parity buffer`,
    `parity (js kernel) ${result.jsParityMBps.toFixed(0).padStart(8)} MB/s  same, JS kernel only`,
    `memory copy        ${result.copyMBps.toFixed(0).padStart(8)} MB/s  TypedArray.set of each data buffer into the same target`,
    `ratio              ${result.ratio.toFixed(2).padStart(8)}       parity/copy (js kernel ${result.jsRatio.toFixed(2)}); target >= ${XOR_TARGET_RATIO.toFixed(2)}: ${met ? 'met' : 'NOT met'}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(formatXorBench(runXorBench()));
