// Each actor's pseudo-random generator: sfc32 seeded from (lab seed, actor id), so an actor draws the
// same numbers wherever it runs. The state is four 32-bit words of plain data, kept in snapshots.

/** The four words of an sfc32 generator. */
export type PrngState = [number, number, number, number];

/** A 32-bit string hash (FNV-1a then a murmur finalizer) used to derive seeds. */
export function hashString32(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return mix32(hash);
}

/** murmur3's finalizer: spreads every input bit over the whole word. */
export function mix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export function seedPrng(labSeed: number, actorId: string): PrngState {
  const low = mix32(labSeed >>> 0);
  const high = mix32(Math.floor(labSeed / 0x1_0000_0000) ^ 0x9e3779b9);
  const state: PrngState = [
    hashString32(actorId, low),
    hashString32(actorId, high),
    hashString32(actorId, low ^ 0x5bd1e995),
    1,
  ];
  // sfc32 wants a few rounds before its output is well mixed.
  for (let round = 0; round < 12; round++) nextUint32(state);
  return state;
}

/** Advances the state and returns the next 32-bit output. */
export function nextUint32(state: PrngState): number {
  // Indexed reads, not `const [a, b, c, d] = state`: the destructuring ran the array iterator and left an
  // iterator result behind per draw (24 MB a ha-pair 5 minutes, 7 % of what the lab allocated).
  const a = state[0];
  const b = state[1];
  const c = state[2];
  const d = state[3];
  const t = (((a + b) | 0) + d) | 0;
  state[3] = (d + 1) | 0;
  state[0] = b ^ (b >>> 9);
  state[1] = (c + (c << 3)) | 0;
  state[2] = (((c << 21) | (c >>> 11)) + t) | 0;
  return t >>> 0;
}

/** Uniform in [0, 1). */
export function nextUnit(state: PrngState): number {
  return nextUint32(state) / 0x1_0000_0000;
}
