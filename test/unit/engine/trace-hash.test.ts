import { describe, expect, it } from 'vitest';
import type { ActorEvent } from '../../../emulator/engine/actor.ts';
import { combineTraces, foldEvent, foldNumber, foldString, foldValue, foldWord, TRACE_BASIS } from '../../../emulator/engine/trace-hash.ts';
import type { TraceLanes } from '../../../emulator/engine/trace-hash.ts';
import { mix32 } from '../../../emulator/engine/prng.ts';

// The digest definition written the plain way (lane arrays, for-in, byte-at-a-time words), to hold the
// optimised fold to the same values: the trace hash of a lab must not move when the code gets faster.
function referenceBytes(bytes: Uint8Array): [number, number] {
  let first = 0x811c9dc5 | 0;
  let second = 0x2f0b3c5d | 0;
  const whole = bytes.length & ~3;
  for (let index = 0; index < whole; index += 4) {
    const word = bytes[index] | (bytes[index + 1] << 8) | (bytes[index + 2] << 16) | (bytes[index + 3] << 24);
    first = Math.imul(first ^ word, 0x01000193) ^ (first >>> 13);
    second = Math.imul(second ^ word, 0x01000193) ^ (second >>> 13);
  }
  for (let index = whole; index < bytes.length; index++) {
    first = Math.imul(first ^ bytes[index], 0x01000193);
    second = Math.imul(second ^ bytes[index], 0x01000193);
  }
  return [mix32(first), mix32(second)];
}

function referenceValue(lanes: TraceLanes, value: unknown): void {
  switch (typeof value) {
    case 'number': foldWord(lanes, 1); foldNumber(lanes, value); return;
    case 'string': foldString(lanes, value); return;
    case 'boolean': foldWord(lanes, value ? 3 : 2); return;
    case 'undefined': foldWord(lanes, 4); return;
    case 'bigint': foldWord(lanes, 5); foldString(lanes, value.toString()); return;
    default: break;
  }
  if (value === null) { foldWord(lanes, 6); return; }
  if (value instanceof Uint8Array) {
    const [first, second] = referenceBytes(value);
    foldWord(lanes, 7); foldWord(lanes, value.length); foldWord(lanes, first); foldWord(lanes, second);
    return;
  }
  if (Array.isArray(value)) {
    foldWord(lanes, 8); foldWord(lanes, value.length);
    for (const item of value) referenceValue(lanes, item);
    return;
  }
  foldWord(lanes, 9);
  let fields = 0;
  for (const key in value as Record<string, unknown>) {
    referenceValue(lanes, (value as Record<string, unknown>)[key]);
    fields++;
  }
  foldWord(lanes, fields | 0x2000_0000);
}

function referenceEvent(lanes: TraceLanes, atUs: number, event: ActorEvent): void {
  foldNumber(lanes, atUs);
  const codes = { start: 11, message: 12, timer: 13, input: 14, link: 15 };
  foldWord(lanes, codes[event.type]);
  switch (event.type) {
    case 'start': return;
    case 'message': foldString(lanes, event.from.actor); foldString(lanes, event.port); referenceValue(lanes, event.payload); return;
    case 'timer': foldWord(lanes, event.timerId); referenceValue(lanes, event.payload); return;
    case 'input': referenceValue(lanes, event.input); return;
    case 'link': foldString(lanes, event.port); foldWord(lanes, event.up ? 1 : 0); return;
  }
}

const block = new Uint8Array(4099);
for (let index = 0; index < block.length; index++) block[index] = (index * 131 + 7) & 0xff;
const unaligned = new Uint8Array(8200).subarray(3, 4102);
unaligned.set(block.subarray(0, 4099));

const payloads: unknown[] = [
  { kind: 'eth.frame', src: '02:00:00:00:00:01', dst: 'ff', ip: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', body: { kind: 'nfs.call', xid: 7, request: { proc: 'write', fh: { fsid: 1, fileId: 2, generation: 3 }, offset: 8192, data: block } } } },
  { kind: 'x', data: unaligned, short: new Uint8Array([1, 2, 3]), empty: new Uint8Array(0) },
  { kind: 'numbers', values: [0, -1, 1.5, -0, 2 ** 31, 2 ** 32 + 5, -(2 ** 40), Number.MAX_SAFE_INTEGER, 1e300, NaN, Infinity] },
  { kind: 'misc', yes: true, no: false, nothing: null, missing: undefined, big: 12345678901234567890n, nested: [[], [{}], { a: [1, 'b'] }], odd: 'abc', even: 'abcd', empty: '' },
  { 2: 'two', kind: 'integer keys', 1: 'one' },
];

describe('trace hash folds', () => {
  it('folds payloads to the same lanes as the plain definition', () => {
    for (const payload of payloads) {
      const fast: TraceLanes = [...TRACE_BASIS];
      const plain: TraceLanes = [...TRACE_BASIS];
      foldValue(fast, payload);
      referenceValue(plain, payload);
      expect(fast).toEqual(plain);
    }
  });

  it('folds every kind of event to the same lanes as the plain definition', () => {
    const events: [number, ActorEvent][] = [
      [0, { type: 'start' }],
      [1_000, { type: 'message', port: 'e0a', from: { actor: 'switch', port: 'p1' }, payload: payloads[0] as never }],
      [2 ** 33 + 3, { type: 'timer', timerId: 42, payload: { kind: 'client.tick' } }],
      [5, { type: 'input', input: { kind: 'fault', fault: 'disk', args: ['0a.16'] } }],
      [6, { type: 'link', port: 'ic0', up: false }],
    ];
    const fast: TraceLanes = [...TRACE_BASIS];
    const plain: TraceLanes = [...TRACE_BASIS];
    for (const [atUs, event] of events) {
      foldEvent(fast, atUs, event);
      referenceEvent(plain, atUs, event);
      expect(fast).toEqual(plain);
    }
    expect(combineTraces([['a', fast]])).toBe(combineTraces([['a', plain]]));
    expect(fast).not.toEqual(TRACE_BASIS);
  });

  it('tells apart values that differ in one byte, one field or their nesting', () => {
    const lanesOf = (value: unknown): TraceLanes => { const lanes: TraceLanes = [...TRACE_BASIS]; foldValue(lanes, value); return lanes; };
    const changed = block.slice();
    changed[4000] ^= 1;
    expect(lanesOf({ data: block })).not.toEqual(lanesOf({ data: changed }));
    expect(lanesOf({ a: 1, b: 2 })).not.toEqual(lanesOf({ a: 1, b: 3 }));
    expect(lanesOf([[1], 2])).not.toEqual(lanesOf([[1, 2]]));
  });
});
