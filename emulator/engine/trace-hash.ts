// The trace hash (DESIGN.md §2): each actor folds every event it handles and every console byte into a
// running 64-bit hash (two 32-bit lanes); the lab combines the actors' hashes in actor-id order, so
// how actors are spread over threads cannot change the result. Cheap on purpose: it runs per event.
import { mix32 } from './prng.ts';

/** Two 32-bit lanes, plain data for snapshots. */
export type TraceLanes = [number, number];

export const TRACE_BASIS: TraceLanes = [0x811c9dc5, 0x050c5d1f];

const floatScratch = new Float64Array(1);
const floatWords = new Uint32Array(floatScratch.buffer);

export function foldWord(lanes: TraceLanes, word: number): void {
  lanes[0] = Math.imul(lanes[0] ^ word, 0x01000193);
  lanes[1] = Math.imul(lanes[1] ^ word, 0x5bd1e995) ^ (lanes[1] >>> 15);
}

export function foldNumber(lanes: TraceLanes, value: number): void {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) {
    foldWord(lanes, value >>> 0);
    foldWord(lanes, Math.floor(value / 0x1_0000_0000) >>> 0);
    return;
  }
  floatScratch[0] = value;
  foldWord(lanes, floatWords[0]);
  foldWord(lanes, floatWords[1]);
}

export function foldString(lanes: TraceLanes, text: string): void {
  foldWord(lanes, text.length | 0x4000_0000);
  // Two UTF-16 units per word: strings are most of what payloads carry.
  const pairs = text.length & ~1;
  for (let index = 0; index < pairs; index += 2) foldWord(lanes, (text.charCodeAt(index) << 16) | text.charCodeAt(index + 1));
  if (pairs < text.length) foldWord(lanes, text.charCodeAt(pairs));
}

/** Folds a plain-data value by structure (payloads, inputs). Depth-bounded: payloads are shallow. */
export function foldValue(lanes: TraceLanes, value: unknown, depth = 0): void {
  if (depth > 32) throw new Error('trace hash: value nested deeper than 32 levels');
  switch (typeof value) {
    case 'number': foldWord(lanes, 1); foldNumber(lanes, value); return;
    case 'string': foldString(lanes, value); return;
    case 'boolean': foldWord(lanes, value ? 3 : 2); return;
    case 'undefined': foldWord(lanes, 4); return;
    case 'bigint': foldWord(lanes, 5); foldString(lanes, value.toString()); return;
    case 'object': break;
    default: throw new Error(`trace hash: ${typeof value} is not plain data`);
  }
  if (value === null) { foldWord(lanes, 6); return; }
  if (value instanceof Uint8Array) {
    foldWord(lanes, 7); foldWord(lanes, value.length);
    foldWord(lanes, digestBytes(value, 0x811c9dc5));
    foldWord(lanes, digestBytes(value, 0x2f0b3c5d));
    return;
  }
  if (Array.isArray(value)) {
    foldWord(lanes, 8); foldWord(lanes, value.length);
    for (const item of value) foldValue(lanes, item, depth + 1);
    return;
  }
  foldWord(lanes, 9);
  for (const key in value as Record<string, unknown>) {
    foldString(lanes, key);
    foldValue(lanes, (value as Record<string, unknown>)[key], depth + 1);
  }
}

/**
 * A 32-bit digest of bytes, four at a time (block payloads are 4 KiB: byte-at-a-time folding was the
 * engine's largest cost in the ha-pair lab).
 */
export function digestBytes(bytes: Uint8Array, basis: number): number {
  let hash = basis | 0;
  const whole = bytes.length & ~3;
  if ((bytes.byteOffset & 3) === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, whole >>> 2);
    for (let index = 0; index < words.length; index++) hash = Math.imul(hash ^ words[index], 0x01000193) ^ (hash >>> 13);
  } else {
    for (let index = 0; index < whole; index += 4) {
      const word = bytes[index] | (bytes[index + 1] << 8) | (bytes[index + 2] << 16) | (bytes[index + 3] << 24);
      hash = Math.imul(hash ^ word, 0x01000193) ^ (hash >>> 13);
    }
  }
  for (let index = whole; index < bytes.length; index++) hash = Math.imul(hash ^ bytes[index], 0x01000193);
  return mix32(hash);
}

/** Combines per-actor lanes, in the order given (the caller sorts by actor id), into 16 hex digits. */
export function combineTraces(perActor: readonly (readonly [string, TraceLanes])[]): string {
  const lanes: TraceLanes = [...TRACE_BASIS];
  for (const [actor, actorLanes] of perActor) {
    foldString(lanes, actor);
    foldWord(lanes, actorLanes[0]);
    foldWord(lanes, actorLanes[1]);
  }
  return hex8(mix32(lanes[0] ^ mix32(lanes[1]))) + hex8(mix32(lanes[1] + 0x9e3779b9));
}

function hex8(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}
