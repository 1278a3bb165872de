import { describe, expect, it } from 'vitest';
import { parityInto, parityIntoJs, parityOf, xorInto } from '../../../emulator/ontap/storage/xor.ts';
import { createWasmParity, parityModuleBytes } from '../../../emulator/ontap/storage/xor-wasm.ts';
import { planVbnReads, resolveVbn, planStripeWrite, blockKey } from '../../../emulator/ontap/storage/raid-layout.ts';
import { decodeFsinfo, encodeFsinfo, decodeDirectory, encodeDirectory } from '../../../emulator/ontap/storage/wafl-format.ts';
import type { AggregateState } from '../../../emulator/ontap/storage/types.ts';
import { bytesOf } from './harness.ts';

function byteXor(blocks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(blocks[0].length);
  for (const block of blocks) for (let index = 0; index < out.length; index++) out[index] ^= block[index];
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

describe('parity', () => {
  it('matches a byte-at-a-time XOR for any number of sources and unaligned views', () => {
    for (const count of [1, 2, 3, 4, 5, 9]) {
      const blocks = Array.from({ length: count }, (_, index) => bytesOf(4096, index + 1));
      expect(parityOf(blocks)).toEqual(byteXor(blocks));
    }
    const backing = bytesOf(4099, 9);
    const unaligned = backing.subarray(3);
    const other = bytesOf(4096, 10);
    const target = new Uint8Array(4096);
    parityInto(target, [unaligned, other]);
    expect(target).toEqual(byteXor([unaligned.slice(), other]));
    const accumulated = other.slice();
    xorInto(accumulated, other);
    expect(accumulated.every((byte) => byte === 0)).toBe(true);
  });

  it('gives the same parity with the WebAssembly SIMD kernel and the JS kernel, on random buffers of any run length', () => {
    expect(WebAssembly.validate(parityModuleBytes())).toBe(true);
    // A chunk smaller than the runs, so the chunked copy-in and a short last chunk are both exercised.
    const simd = createWasmParity(8192);
    expect(simd).not.toBeNull();
    let seed = 1;
    for (const length of [64, 4096, 12288, 3 * 8192 + 4096 + 192]) {
      for (const count of [1, 2, 3, 4, 5, 8, 13]) {
        const blocks = Array.from({ length: count }, () => bytesOf(length, seed++));
        const viaSimd = new Uint8Array(length).fill(0xa5);
        const viaJs = new Uint8Array(length).fill(0x5a);
        simd?.parityInto(viaSimd, blocks);
        parityIntoJs(viaJs, blocks);
        // A plain comparison: toEqual on large byte arrays is slow.
        expect(sameBytes(viaSimd, byteXor(blocks))).toBe(true);
        expect(sameBytes(viaJs, viaSimd)).toBe(true);
      }
    }
    const zeroTarget = bytesOf(4096, 99);
    simd?.parityInto(zeroTarget, []);
    expect(zeroTarget.every((byte) => byte === 0)).toBe(true);
  });

  it('xorInto accumulates in place with either kernel', () => {
    const target = bytesOf(4096, 3);
    const source = bytesOf(4096, 4);
    const expected = byteXor([target, source]);
    const viaJs = target.slice();
    parityIntoJs(viaJs, [viaJs, source]);
    xorInto(target, source);
    expect(target).toEqual(expected);
    expect(viaJs).toEqual(expected);
  });

  it('rebuilds a block of a failed member from the rest of its stripe', () => {
    const aggregate = {
      name: 'a', status: 'online', stripes: 10, generation: 0, cpSeq: 0, used: {}, usedCount: 0, pendingFree: [], stripeCursor: 0,
      root: true, scrub: null,
      raidGroups: [{ index: 0, members: ['d0', 'd1', 'd2', 'p'], failed: [], reconstruction: null, baseVbn: 0, labelGeneration: 1 }],
    } as AggregateState;
    const data = [bytesOf(4096, 1), bytesOf(4096, 2), bytesOf(4096, 3)];
    const blocks: Record<string, Uint8Array> = {};
    for (const write of planStripeWrite(aggregate.raidGroups[0], 5, data)) blocks[blockKey(write.disk, write.lba)] = write.data;
    aggregate.raidGroups[0].failed = [1];
    const vbn = 5 * 3 + 1;
    const plan = planVbnReads(aggregate, [vbn]);
    expect(plan.reads.map((read) => read.disk).sort()).toEqual(['d0', 'd2', 'p']);
    expect(resolveVbn(aggregate, vbn, blocks)).toEqual(data[1]);
    aggregate.raidGroups[0].failed = [1, 2];
    expect(planVbnReads(aggregate, [vbn]).lost).toEqual([vbn]);
  });
});

describe('on-disk formats', () => {
  it('round-trips fsinfo and directories, and refuses a damaged fsinfo', () => {
    const inodeFile = { id: 1, generation: 1, type: 'file' as const, mode: 0o600, uid: 0, gid: 0, nlink: 1, size: 512, atimeUs: 1, mtimeUs: 2, ctimeUs: 3, level: 0 as const, pointers: [{ vbn: 77, crc: 0xdeadbeef }] };
    const info = { aggregate: 'aggr0', generation: 9, cpSeq: 41, timeUs: 123, volumes: [{ name: 'vol0', fsid: 4097, sizeBytes: 1 << 30, nextFileId: 70, inodeFile }] };
    const block = encodeFsinfo(info);
    expect(decodeFsinfo(block)).toEqual(info);
    block[20] ^= 1;
    expect(decodeFsinfo(block)).toBe('fsinfo checksum mismatch');
    const entries = { 'a.txt': 64, 'réseau': 65, sub: 66 };
    expect(decodeDirectory(encodeDirectory(entries))).toEqual(entries);
  });
});
