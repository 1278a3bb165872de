// Benchmark: RAID-4 parity (the storage OS's own xorInto, word at a time) against a memory copy of the
// same buffers. Target: parity at half the copy rate or better. Run: `npx tsx emulator/host/bench/xor.ts`.
import { performance } from 'node:perf_hooks';
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { parityInto } from '../../ontap/storage/xor.ts';

export interface XorBenchResult {
  readonly parityMBps: number;
  readonly copyMBps: number;
  readonly ratio: number;
}

/** Parity of a 4-data-disk stripe run of `stripes` stripes, against copying the same data blocks. */
export function runXorBench(stripes = 256, rounds = 40): XorBenchResult {
  const dataDisks = 4;
  const bytes = stripes * BLOCK_BYTES;
  const sources = Array.from({ length: dataDisks }, (_, disk) => {
    const buffer = new Uint8Array(bytes);
    for (let index = 0; index < bytes; index++) buffer[index] = (index * 31 + disk * 7) & 0xff;
    return buffer;
  });
  const target = new Uint8Array(bytes);
  const measure = (work: () => void): number => {
    work();
    const start = performance.now();
    for (let round = 0; round < rounds; round++) work();
    const seconds = (performance.now() - start) / 1000;
    return (rounds * dataDisks * bytes) / (1024 * 1024) / seconds;
  };
  const copyMBps = measure(() => { for (const source of sources) target.set(source); });
  const parityMBps = measure(() => parityInto(target, sources));
  return { parityMBps, copyMBps, ratio: parityMBps / copyMBps };
}

export function formatXorBench(result: XorBenchResult): string {
  return [
    `xor parity   ${result.parityMBps.toFixed(0).padStart(8)} MB/s`,
    `memory copy  ${result.copyMBps.toFixed(0).padStart(8)} MB/s`,
    `ratio        ${result.ratio.toFixed(2).padStart(8)} (target >= 0.50)`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(formatXorBench(runXorBench()));
