// File contents the workloads write: real bytes, made from a seed so that a client needs to keep
// only the seed and the hash, never the bytes. The hash is what the history records and the checker
// compares: a 53-bit mix of the bytes (cyrb53), plus the length, in hex.

/** `sizeBytes` bytes of a xorshift32 stream seeded by `seed` (any integer; 0 is remapped). */
export function makeContent(seed: number, sizeBytes: number): Uint8Array {
  if (!Number.isInteger(sizeBytes) || sizeBytes < 0) throw new Error(`bad content size ${sizeBytes}`);
  const bytes = new Uint8Array(sizeBytes);
  let x = (seed | 0) || 0x9e3779b9;
  for (let index = 0; index < sizeBytes; index += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    bytes[index] = x & 0xff;
    if (index + 1 < sizeBytes) bytes[index + 1] = (x >>> 8) & 0xff;
    if (index + 2 < sizeBytes) bytes[index + 2] = (x >>> 16) & 0xff;
    if (index + 3 < sizeBytes) bytes[index + 3] = (x >>> 24) & 0xff;
  }
  return bytes;
}

const lanes = new Int32Array(2);

/**
 * The byte loop of the hash, on its own: inside contentHash, next to the unsigned `>>> 0` below, the
 * optimised loop deoptimised on ~1000 calls a minute ("lost precision") and the hash was the ha-pair
 * lab's top cost. Leaves the two lanes in `lanes`.
 */
function mixBytes(bytes: Uint8Array): void {
  let h1 = 0xdeadbeef | 0;
  let h2 = 0x41c6ce57 | 0;
  const length = bytes.length;
  for (let index = 0; index < length; index += 1) {
    const byte = bytes[index];
    h1 = Math.imul(h1 ^ byte, 2654435761);
    h2 = Math.imul(h2 ^ byte, 1597334677);
  }
  lanes[0] = h1;
  lanes[1] = h2;
}

export function contentHash(bytes: Uint8Array): string {
  mixBytes(bytes);
  let h1 = lanes[0];
  let h2 = lanes[1];
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return `${value.toString(16).padStart(14, '0')}:${bytes.length}`;
}
