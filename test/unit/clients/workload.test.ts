import { describe, it, expect } from 'vitest';
import { DEFAULT_WORKLOAD, createWorkload, planNextOp, thinkTimeUs, workloadOpEnded, workloadProblem, type PlannedOp } from '../../../emulator/clients/workload.ts';
import { contentHash, contentHashOfChunks, makeContent, makeHashedContent } from '../../../emulator/clients/content.ts';

function prng(seed: number): () => number {
  let x = seed;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

function run(seed: number, count: number): PlannedOp[] {
  const state = createWorkload();
  const random = prng(seed);
  const ops: PlannedOp[] = [];
  for (let index = 0; index < count; index += 1) {
    const op = planNextOp(DEFAULT_WORKLOAD, state, '/c1', random);
    workloadOpEnded(state, op, 'ok');
    ops.push(op);
  }
  return ops;
}

describe('workload', () => {
  it('starts with a create and only touches files that exist', () => {
    const ops = run(7, 500);
    expect(ops[0].kind).toBe('create');
    const existing = new Set<string>();
    for (const op of ops) {
      if (op.kind === 'create') { expect(existing.has(op.path)).toBe(false); existing.add(op.path); continue; }
      expect(existing.has(op.path)).toBe(true);
      if (op.kind === 'remove') existing.delete(op.path);
      if (op.kind === 'rename') { existing.delete(op.path); existing.add(op.target); }
    }
    expect(existing.size).toBeLessThanOrEqual(DEFAULT_WORKLOAD.maxFiles);
  });

  it('follows the mix and the sizes of its configuration, the same for the same seed', () => {
    const ops = run(11, 2000);
    expect(run(11, 2000)).toEqual(ops);
    const count = (kind: string) => ops.filter((op) => op.kind === kind).length;
    expect(count('write')).toBeGreaterThan(count('create') * 2);
    expect(count('read')).toBeGreaterThan(count('rename') * 4);
    for (const op of ops) {
      if (op.kind === 'create' || op.kind === 'write') {
        expect(op.sizeBytes).toBeGreaterThanOrEqual(512);
        expect(op.sizeBytes).toBeLessThanOrEqual(8192);
      }
    }
  });

  it('thinks for 1/rate on average', () => {
    const random = prng(3);
    let total = 0;
    for (let index = 0; index < 5000; index += 1) total += thinkTimeUs(DEFAULT_WORKLOAD, random);
    expect(total / 5000).toBeGreaterThan(45_000);
    expect(total / 5000).toBeLessThan(55_000);
  });

  it('refuses a configuration that cannot run', () => {
    expect(workloadProblem(DEFAULT_WORKLOAD)).toBeNull();
    expect(workloadProblem({ ...DEFAULT_WORKLOAD, opsPerSecond: 0 })).toMatch(/opsPerSecond/);
    expect(workloadProblem({ ...DEFAULT_WORKLOAD, fileSizeBytes: { min: 10, max: 5 } })).toMatch(/fileSizeBytes/);
  });

  it('makes content from a seed and hashes it stably', () => {
    expect(contentHash(makeContent(42, 1000))).toBe(contentHash(makeContent(42, 1000)));
    expect(contentHash(makeContent(42, 1000))).not.toBe(contentHash(makeContent(43, 1000)));
    expect(contentHash(makeContent(42, 1000))).not.toBe(contentHash(makeContent(42, 999)));
    expect(makeContent(1, 7).length).toBe(7);
  });

  it('hashes as it always did, and a file read in chunks as the whole file', () => {
    // Pinned: these hashes are in every history, trace and saved lab.
    expect(contentHash(makeContent(42, 1000))).toBe('0a5753fbba35a3:1000');
    expect(contentHash(new Uint8Array(0))).toBe('0bdcb81aee8d83:0');
    const whole = makeContent(7, 8191);
    expect(contentHash(whole)).toBe('15b0c07abcc04b:8191');
    const chunks = [whole.subarray(0, 4096), whole.subarray(4096, 4097), new Uint8Array(0), whole.subarray(4097)];
    expect(contentHashOfChunks(chunks)).toBe('15b0c07abcc04b:8191');
    expect(contentHashOfChunks([])).toBe('0bdcb81aee8d83:0');
    // Zeros at the front of the high digits, and all 53 bits in play.
    expect(contentHash(makeContent(123456789, 3))).toBe('0600115286370c:3');
    expect(contentHash(makeContent(0xffffffff, 4096))).toBe('19170953691f0c:4096');
  });

  it('makes content and its hash in one pass exactly as apart', () => {
    for (const seed of [0, 1, 42, -7, 0xfffffffe]) {
      for (const size of [0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 1000, 8191]) {
        const made = makeHashedContent(seed, size);
        expect(made.bytes).toEqual(makeContent(seed, size));
        expect(made.hash).toBe(contentHash(makeContent(seed, size)));
      }
    }
    expect(makeHashedContent(7, 8191).hash).toBe('15b0c07abcc04b:8191');
    expect(() => makeHashedContent(1, -1)).toThrow('bad content size -1');
  });
});
