// RAID-4 parity with WebAssembly SIMD: XOR 16 bytes per instruction (v128.xor), four lanes per
// iteration, every source read once and the parity written once. The module is a few dozen bytes,
// assembled here from named opcodes (no toolchain, nothing fetched). WebAssembly is an ES-level global
// (Node, Electron) but not in the core's ES2023 typings, so it is reached through `globalThis` with the
// small interface below; where it is missing or has no SIMD, `createWasmParity` returns null and the
// JS kernel (xor.ts) does the work. XOR is exact: both kernels give identical parity (xor.test.ts).

/** The part of the WebAssembly API this file uses. */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The kernel: (dst, src, count, len). Sources are `count` runs of `len` bytes from `src`; len % 64 == 0. */
type Kernel = (dst: number, src: number, count: number, len: number) => void;

const PAGE_BYTES = 65536;

// Opcodes (WebAssembly core spec, binary format; SIMD ops are 0xfd-prefixed).
const OP = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d, empty: 0x40,
  localGet: 0x20, localSet: 0x21,
  i32Const: 0x41, i32GeU: 0x4f, i32Add: 0x6a,
  simd: 0xfd, v128Load: 0x00, v128Store: 0x0b, v128Xor: 0x51,
} as const;
const I32 = 0x7f;
const V128 = 0x7b;

// Locals: params 0..3 (dst, src, count, len), then i, p, j, and four v128 accumulators.
const DST = 0, SRC = 1, COUNT = 2, LEN = 3, I = 4, P = 5, J = 6, ACC = 7;
const LANES = 4;

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function name(text: string): number[] {
  return [...uleb(text.length), ...[...text].map((char) => char.charCodeAt(0))];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const get = (local: number): number[] => [OP.localGet, local];
const set = (local: number): number[] => [OP.localSet, local];
/** v128.load/store with a byte offset (alignment hint 2^4). */
const load = (offset: number): number[] => [OP.simd, OP.v128Load, 4, ...uleb(offset)];
const store = (offset: number): number[] => [OP.simd, OP.v128Store, 4, ...uleb(offset)];
const xor = [OP.simd, OP.v128Xor];

/** for (i = 0; i < len; i += 64) { acc = src[i..]; for (j = 1; j < count; j++) acc ^= src[j*len + i..]; dst[i..] = acc } */
function kernelBody(): number[] {
  const lanes = Array.from({ length: LANES }, (_, lane) => lane);
  return [
    OP.block, OP.empty,
    OP.loop, OP.empty,
    ...get(I), ...get(LEN), OP.i32GeU, OP.brIf, 1,
    ...get(SRC), ...get(I), OP.i32Add, ...set(P),
    ...lanes.flatMap((lane) => [...get(P), ...load(lane * 16), ...set(ACC + lane)]),
    OP.i32Const, 1, ...set(J),
    OP.block, OP.empty,
    OP.loop, OP.empty,
    ...get(J), ...get(COUNT), OP.i32GeU, OP.brIf, 1,
    ...get(P), ...get(LEN), OP.i32Add, ...set(P),
    ...lanes.flatMap((lane) => [...get(ACC + lane), ...get(P), ...load(lane * 16), ...xor, ...set(ACC + lane)]),
    ...get(J), OP.i32Const, 1, OP.i32Add, ...set(J),
    OP.br, 0,
    OP.end, OP.end,
    ...lanes.flatMap((lane) => [...get(DST), ...get(I), OP.i32Add, ...get(ACC + lane), ...store(lane * 16)]),
    // i += 64 (signed LEB128: 64 takes two bytes).
    ...get(I), OP.i32Const, 0xc0, 0x00, OP.i32Add, ...set(I),
    OP.br, 0,
    OP.end, OP.end,
    OP.end,
  ];
}

/** The module: one function `parity` and one exported memory (grown by the caller). */
export function parityModuleBytes(): Uint8Array<ArrayBuffer> {
  const body = [...uleb(2), ...uleb(3), I32, ...uleb(LANES), V128, ...kernelBody()];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('parity'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

export interface WasmParity {
  /** Writes the XOR of `sources` into `target` (all the same length, a multiple of 64 bytes). */
  parityInto(target: Uint8Array, sources: readonly Uint8Array[]): void;
}

/**
 * Bytes of each source XORed per kernel call. Sources are copied into the module's memory a chunk at a
 * time, so that scratch stays in the CPU cache: a long run costs one read of each source and one write
 * of the parity from main memory, as a memory copy of the same sources does.
 */
export const CHUNK_BYTES = 16384;

/** The SIMD kernel, or null where WebAssembly or its SIMD extension is not available. */
export function createWasmParity(chunkBytes = CHUNK_BYTES): WasmParity | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const bytes = parityModuleBytes();
  if (!api || !api.validate(bytes)) return null;
  const { exports } = new api.Instance(new api.Module(bytes), {});
  const memory = exports.memory as WasmMemory;
  const kernel = exports.parity as Kernel;
  let heap = new Uint8Array(memory.buffer);
  return {
    parityInto(target, sources) {
      const len = target.length;
      if (len % 64 !== 0) throw new Error(`wasm parity: length ${len} is not a multiple of 64`);
      if (sources.length === 0) { target.fill(0); return; }
      const chunk = Math.min(len, chunkBytes);
      const need = chunk * (sources.length + 1);
      if (heap.length < need) {
        memory.grow(Math.ceil((need - heap.length) / PAGE_BYTES));
        heap = new Uint8Array(memory.buffer);
      }
      const count = sources.length;
      const dst = count * chunk;
      for (let offset = 0; offset < len; offset += chunk) {
        const size = Math.min(chunk, len - offset);
        // Sources back to back, `chunk` apart (the kernel strides by its len argument); parity after them.
        for (let index = 0; index < count; index++) {
          const source = sources[index];
          heap.set(size === source.length ? source : source.subarray(offset, offset + size), index * chunk);
        }
        kernel(dst, 0, count, chunk);
        target.set(heap.subarray(dst, dst + size), offset);
      }
    },
  };
}
