// File contents the workloads write: real bytes, made from a seed so that a client needs to keep
// only the seed and the hash, never the bytes. The hash is what the history records and the checker
// compares: a 53-bit mix of the bytes (cyrb53), plus the length, in hex.

/** Whether a Uint32 lands in memory low byte first (everywhere FilerLab runs; checked, not assumed). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function checkSize(sizeBytes: number): void {
  if (!Number.isInteger(sizeBytes) || sizeBytes < 0) throw new Error(`bad content size ${sizeBytes}`);
}

function firstState(seed: number): number {
  return (seed | 0) || 0x9e3779b9;
}

/** The stream from state `x` on, a step per four bytes, low byte first, into `bytes` from `index` to the end. */
function fillBytes(bytes: Uint8Array, index: number, x: number): void {
  const sizeBytes = bytes.length;
  for (; index < sizeBytes; index += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    bytes[index] = x & 0xff;
    if (index + 1 < sizeBytes) bytes[index + 1] = (x >>> 8) & 0xff;
    if (index + 2 < sizeBytes) bytes[index + 2] = (x >>> 16) & 0xff;
    if (index + 3 < sizeBytes) bytes[index + 3] = (x >>> 24) & 0xff;
  }
}

/** `sizeBytes` bytes of a xorshift32 stream seeded by `seed` (any integer; 0 is remapped). */
export function makeContent(seed: number, sizeBytes: number): Uint8Array {
  checkSize(sizeBytes);
  const bytes = new Uint8Array(sizeBytes);
  let x = firstState(seed);
  let index = 0;
  if (LITTLE_ENDIAN) {
    // Whole words at once: each step's four bytes, low byte first, are the word itself.
    const words = new Int32Array(bytes.buffer, 0, sizeBytes >>> 2);
    for (let word = 0; word < words.length; word++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      words[word] = x;
    }
    index = words.length * 4;
  }
  fillBytes(bytes, index, x);
  return bytes;
}

export interface HashedContent {
  readonly bytes: Uint8Array;
  /** contentHash(bytes). */
  readonly hash: string;
}

/**
 * makeContent and its contentHash in one pass: each word is mixed into the hash as it is made, so the
 * bytes are not read back, and the generator's steps run alongside the hash's multiplications (a
 * write's content and hash cost about two thirds of the two apart).
 */
export function makeHashedContent(seed: number, sizeBytes: number): HashedContent {
  if (!LITTLE_ENDIAN) {
    const bytes = makeContent(seed, sizeBytes);
    return { bytes, hash: contentHash(bytes) };
  }
  checkSize(sizeBytes);
  const bytes = new Uint8Array(sizeBytes);
  const words = new Int32Array(bytes.buffer, 0, sizeBytes >>> 2);
  let x = firstState(seed);
  startLanes();
  let h1 = laneOne | 0;
  let h2 = laneTwo | 0;
  for (let word = 0; word < words.length; word++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    words[word] = x;
    // The word's bytes, low first, as mixBytes would read them from memory.
    let byte = x & 0xff;
    h1 = Math.imul(h1 ^ byte, 2654435761); h2 = Math.imul(h2 ^ byte, 1597334677);
    byte = (x >>> 8) & 0xff;
    h1 = Math.imul(h1 ^ byte, 2654435761); h2 = Math.imul(h2 ^ byte, 1597334677);
    byte = (x >>> 16) & 0xff;
    h1 = Math.imul(h1 ^ byte, 2654435761); h2 = Math.imul(h2 ^ byte, 1597334677);
    byte = x >>> 24;
    h1 = Math.imul(h1 ^ byte, 2654435761); h2 = Math.imul(h2 ^ byte, 1597334677);
  }
  laneOne = h1;
  laneTwo = h2;
  const whole = words.length * 4;
  fillBytes(bytes, whole, x);
  mixBytes(bytes.subarray(whole));
  return { bytes, hash: finishHash(sizeBytes) };
}

// The two lanes of the hash, carried from one mixBytes call to the next. Module variables, not an
// Int32Array: the keyed stores after the loop had no type feedback when the loop was first compiled on
// stack, and deoptimised it each time.
let laneOne = 0;
let laneTwo = 0;

function startLanes(): void {
  laneOne = 0xdeadbeef | 0;
  laneTwo = 0x41c6ce57 | 0;
}

/**
 * The byte loop of the hash, on its own: inside contentHash, next to the unsigned `>>> 0` below, the
 * optimised loop deoptimised on ~1000 calls a minute ("lost precision") and the hash was the ha-pair
 * lab's top cost. Goes on from `laneOne` and `laneTwo` and leaves them there, so that a file read in
 * chunks is hashed chunk by chunk, never copied into one buffer first.
 */
function mixBytes(bytes: Uint8Array): void {
  // `| 0`: the lanes as int32 from the start, or the loop runs on tagged numbers (~15% slower).
  let h1 = laneOne | 0;
  let h2 = laneTwo | 0;
  const length = bytes.length;
  for (let index = 0; index < length; index += 1) {
    const byte = bytes[index];
    h1 = Math.imul(h1 ^ byte, 2654435761);
    h2 = Math.imul(h2 ^ byte, 1597334677);
  }
  laneOne = h1;
  laneTwo = h2;
}

function finishHash(length: number): string {
  let h1 = laneOne;
  let h2 = laneTwo;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  // The 53-bit value (21 high bits of h2, then h1) as 14 hex digits, written in three parts: each a
  // small integer, whose toString(16) is fast, where the whole value's (a double) took ~1 µs a hash.
  const high = 2097151 & h2;
  const low = h1 >>> 0;
  return `${hex(high, 6)}${hex(low >>> 16, 4)}${hex(low & 0xffff, 4)}:${length}`;
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

export function contentHash(bytes: Uint8Array): string {
  startLanes();
  mixBytes(bytes);
  return finishHash(bytes.length);
}

/** The contentHash of the chunks one after the other (what a read got back, in order). */
export function contentHashOfChunks(chunks: readonly Uint8Array[]): string {
  startLanes();
  let length = 0;
  for (const chunk of chunks) {
    mixBytes(chunk);
    length += chunk.length;
  }
  return finishHash(length);
}
