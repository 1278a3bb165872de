// The trace hash (DESIGN.md §2): each actor folds every event it handles and every console byte into a
// running 64-bit hash (two 32-bit lanes); the lab combines the actors' hashes in actor-id order, so
// how actors are spread over threads cannot change the result. Cheap on purpose: it runs per event.
import type { ActorEvent } from './actor.ts';
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
  // The lanes live in locals for the loop: two array stores per word were most of the cost.
  let low = Math.imul(lanes[0] ^ (text.length | 0x4000_0000), 0x01000193);
  let high = Math.imul(lanes[1] ^ (text.length | 0x4000_0000), 0x5bd1e995) ^ (lanes[1] >>> 15);
  // Two UTF-16 units per word: strings are most of what payloads carry.
  const pairs = text.length & ~1;
  for (let index = 0; index < pairs; index += 2) {
    const word = (text.charCodeAt(index) << 16) | text.charCodeAt(index + 1);
    low = Math.imul(low ^ word, 0x01000193);
    high = Math.imul(high ^ word, 0x5bd1e995) ^ (high >>> 15);
  }
  if (pairs < text.length) {
    const word = text.charCodeAt(pairs);
    low = Math.imul(low ^ word, 0x01000193);
    high = Math.imul(high ^ word, 0x5bd1e995) ^ (high >>> 15);
  }
  lanes[0] = low;
  lanes[1] = high;
}

/** Folds a plain-data value by structure (payloads, inputs). Depth-bounded: payloads are shallow. */
export function foldValue(lanes: TraceLanes, value: unknown): void {
  low = lanes[0];
  high = lanes[1];
  foldInto(value, 0);
  lanes[0] = low;
  lanes[1] = high;
}

/**
 * Folds one event an actor handles: its time, its type code, then what it carries (the same words as
 * foldNumber, foldWord, foldString and foldValue one after the other). One load and store of the lanes
 * per event: the fold runs on the module's two lane variables.
 */
export function foldEvent(lanes: TraceLanes, atUs: number, event: ActorEvent): void {
  low = lanes[0];
  high = lanes[1];
  numberInto(atUs);
  switch (event.type) {
    case 'start': wordInto(11); break;
    case 'message': wordInto(12); stringInto(event.from.actor); stringInto(event.port); foldInto(event.payload, 0); break;
    case 'timer': wordInto(13); wordInto(event.timerId); foldInto(event.payload, 0); break;
    case 'input': wordInto(14); foldInto(event.input, 0); break;
    case 'link': wordInto(15); stringInto(event.port); wordInto(event.up ? 1 : 0); break;
  }
  lanes[0] = low;
  lanes[1] = high;
}

// The lanes while a value or an event folds: module variables, not array slots (two loads and two
// stores per word were a third of the hash's cost). Loaded from and stored back to the caller's lanes.
let low = 0;
let high = 0;

function wordInto(word: number): void {
  low = Math.imul(low ^ word, 0x01000193);
  high = Math.imul(high ^ word, 0x5bd1e995) ^ (high >>> 15);
}

function numberInto(value: number): void {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) {
    wordInto(value >>> 0);
    wordInto(Math.floor(value / 0x1_0000_0000) >>> 0);
    return;
  }
  floatScratch[0] = value;
  wordInto(floatWords[0]);
  wordInto(floatWords[1]);
}

function stringInto(text: string): void {
  let first = Math.imul(low ^ (text.length | 0x4000_0000), 0x01000193);
  let second = Math.imul(high ^ (text.length | 0x4000_0000), 0x5bd1e995) ^ (high >>> 15);
  const pairs = text.length & ~1;
  for (let index = 0; index < pairs; index += 2) {
    const word = (text.charCodeAt(index) << 16) | text.charCodeAt(index + 1);
    first = Math.imul(first ^ word, 0x01000193);
    second = Math.imul(second ^ word, 0x5bd1e995) ^ (second >>> 15);
  }
  if (pairs < text.length) {
    const word = text.charCodeAt(pairs);
    first = Math.imul(first ^ word, 0x01000193);
    second = Math.imul(second ^ word, 0x5bd1e995) ^ (second >>> 15);
  }
  low = first;
  high = second;
}

function foldInto(value: unknown, depth: number): void {
  if (depth > 32) throw new Error('trace hash: value nested deeper than 32 levels');
  switch (typeof value) {
    case 'number': wordInto(1); numberInto(value); return;
    case 'string': stringInto(value); return;
    case 'boolean': wordInto(value ? 3 : 2); return;
    case 'undefined': wordInto(4); return;
    case 'bigint': wordInto(5); stringInto(value.toString()); return;
    case 'object': break;
    default: throw new Error(`trace hash: ${typeof value} is not plain data`);
  }
  if (value === null) { wordInto(6); return; }
  if (value instanceof Uint8Array) {
    wordInto(7); wordInto(value.length);
    const slot = digestSlotOf(value);
    wordInto(recentDigests[2 * slot]);
    wordInto(recentDigests[2 * slot + 1]);
    return;
  }
  if (Array.isArray(value)) {
    wordInto(8); wordInto(value.length);
    for (let index = 0; index < value.length; index++) foldInto(value[index], depth + 1);
    return;
  }
  // An object folds its field values in order and then its field count (which closes it, so nesting
  // stays unambiguous), not its field names: the names are fixed by the code that built the payload,
  // identical in every placement, and folding them was a third of the hash's cost. for-in, not
  // Object.values: the same values in the same order for plain data, without an array per object
  // (15 MB of them a ha-pair minute).
  wordInto(9);
  let fields = 0;
  for (const key in value as Record<string, unknown>) {
    const item = (value as Record<string, unknown>)[key];
    // Strings are most of what fields hold: folded here, without the call and the type switch.
    if (typeof item === 'string') stringInto(item);
    else foldInto(item, depth + 1);
    fields++;
  }
  wordInto(fields | 0x2000_0000);
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

const digests = new Int32Array(2);

/**
 * The last few byte arrays digested and their digests. A block a client writes is folded again when
 * the filer logs it, mirrors it and writes it to disk, each time the same Uint8Array handed on (about
 * 55 % of a ha-pair's 38 MB of digested bytes a lab minute, nearly all right after its first fold).
 * Sound because no actor changes a payload's bytes after sending or receiving it (docs/performance.md);
 * a thread boundary copies the bytes into a new array, which misses here and is digested afresh.
 */
const RECENT = 4;
const recentArrays: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(RECENT).fill(undefined);
const recentDigests = new Int32Array(2 * RECENT);
let recentNext = 0;

/** The slot of recentDigests that holds `bytes`' digests, digesting them unless they were just folded. */
function digestSlotOf(bytes: Uint8Array): number {
  for (let slot = 0; slot < RECENT; slot++) if (recentArrays[slot] === bytes) return slot;
  digestBytesTwice(bytes);
  const slot = recentNext;
  recentNext = (recentNext + 1) % RECENT;
  recentArrays[slot] = bytes;
  recentDigests[2 * slot] = digests[0];
  recentDigests[2 * slot + 1] = digests[1];
  return slot;
}

/**
 * Two 32-bit digests of bytes (bases 0x811c9dc5 and 0x2f0b3c5d), four bytes at a time and both in one
 * pass, into `digests` (block payloads are 4 KiB: byte-at-a-time folding was the engine's largest cost
 * in the ha-pair lab, and two passes read every block twice).
 */
function digestBytesTwice(bytes: Uint8Array): void {
  let first = 0x811c9dc5 | 0;
  let second = 0x2f0b3c5d | 0;
  const whole = bytes.length & ~3;
  if ((bytes.byteOffset & 3) === 0) {
    // Int32Array, not Uint32Array: words above 2^31 would be read as doubles and truncated back.
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, whole >>> 2);
    for (let index = 0; index < words.length; index++) {
      const word = words[index];
      first = Math.imul(first ^ word, 0x01000193) ^ (first >>> 13);
      second = Math.imul(second ^ word, 0x01000193) ^ (second >>> 13);
    }
  } else {
    for (let index = 0; index < whole; index += 4) {
      const word = bytes[index] | (bytes[index + 1] << 8) | (bytes[index + 2] << 16) | (bytes[index + 3] << 24);
      first = Math.imul(first ^ word, 0x01000193) ^ (first >>> 13);
      second = Math.imul(second ^ word, 0x01000193) ^ (second >>> 13);
    }
  }
  for (let index = whole; index < bytes.length; index++) {
    first = Math.imul(first ^ bytes[index], 0x01000193);
    second = Math.imul(second ^ bytes[index], 0x01000193);
  }
  digests[0] = mix32(first);
  digests[1] = mix32(second);
}
