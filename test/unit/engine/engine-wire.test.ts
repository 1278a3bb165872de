import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { WireError, WireReader, WireWriter } from '../../../emulator/host/engine-wire.ts';
import { AREA_BYTES, CONTROL_BYTES, LaneReceiver, LaneSender, REPLY_LANE, REQUEST_LANE, SHARED_CORES_SPIN_US, SPIN_US, spinBudgets } from '../../../emulator/host/engine-worker-protocol.ts';

function roundTrip(writer: WireWriter, reader: WireReader, value: unknown): unknown {
  return reader.decode(writer.encode(value).slice());
}

describe('engine wire codec', () => {
  it('carries every kind of plain data an actor may send, exactly', () => {
    const writer = new WireWriter();
    const reader = new WireReader();
    const value = {
      int: 42, negative: -7, big: 2 ** 40, fraction: 0.1, minusZero: -0, nan: NaN, infinity: Infinity, minusInfinity: -Infinity,
      yes: true, no: false, nothing: null, missing: undefined,
      name: 'filerA', empty: '', latin1: 'façade', unicode: 'Ω → 😀', long: 'x'.repeat(70_000),
      list: [1, 'two', [3], { four: 4 }], sparse: [undefined, null],
      block: new Uint8Array([0, 1, 255]), words: new Uint32Array([1, 0xffffffff]), doubles: new Float64Array([1.5, -2]),
      nested: { deeper: { deepest: { at: 'the end' } } },
    };
    const copy = roundTrip(writer, reader, value) as typeof value;
    expect(copy).toEqual(value);
    expect(Object.is(copy.minusZero, -0)).toBe(true);
    expect(Object.keys(copy)).toEqual(Object.keys(value));
    expect(copy.block).toBeInstanceOf(Uint8Array);
    expect(copy.words).toBeInstanceOf(Uint32Array);
    expect(copy.block.buffer).not.toBe(value.block.buffer);
  });

  it('sends a repeated name once, then by its slot, and decodes it the same every time', () => {
    const writer = new WireWriter();
    const reader = new WireReader();
    const message = { actor: 'filerA', port: 'ic0', kind: 'nvram.mirror' };
    const first = writer.encode(message).slice();
    const second = writer.encode(message).slice(); // by slot
    expect(second.length).toBeLessThan(first.length);
    const decodedFirst = reader.decode(first) as typeof message;
    const decodedSecond = reader.decode(second) as typeof message;
    expect(decodedFirst).toEqual(message);
    expect(decodedSecond).toEqual(message);
    expect(decodedSecond.actor).toBe(decodedFirst.actor);
  });

  it('refuses what is not plain data, names where it is, and stays in step with the reader', () => {
    const writer = new WireWriter();
    const reader = new WireReader();
    const bad = { deliveries: [{ event: { payload: { fresh: 'new-name', table: new Map([[1, 2]]) } } }] };
    expect(() => writer.encode(bad)).toThrow(WireError);
    expect(() => writer.encode(bad)).toThrow(/a Map cannot cross a thread .*at value\.deliveries\[0\]\.event\.payload\.table/);
    expect(() => writer.encode({ callback: () => 1 })).toThrow(/a function cannot cross a thread/);
    class Disk { id = 1; }
    expect(() => writer.encode({ disk: new Disk() })).toThrow(/a Disk cannot cross a thread/);
    // 'new-name' was met during the failed encodings; the reader never saw it, so it must go in full again.
    expect(roundTrip(writer, reader, { name: 'new-name' })).toEqual({ name: 'new-name' });
    expect(roundTrip(writer, reader, { name: 'new-name' })).toEqual({ name: 'new-name' });
  });

  it('keeps a key named __proto__ as data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const copy = roundTrip(new WireWriter(), new WireReader(), value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses bytes from another writer or cut short, with the reason', () => {
    const reader = new WireReader();
    const writer = new WireWriter();
    writer.encode({ actor: 'filerA' }); // the reader never sees this one, so slot 0 is unknown to it
    expect(() => reader.decode(writer.encode({ actor: 'filerA' }).slice())).toThrow(/out of step with the writer/);
    const full = new WireWriter().encode(new Uint8Array(100)).slice();
    expect(() => new WireReader().decode(full.subarray(0, 50))).toThrow(/past the end/);
    expect(() => new WireReader().decode(new Uint8Array([99]))).toThrow(/unknown tag 99/);
  });
});

describe('engine worker lanes', () => {
  it('carries messages through shared memory, and one too big for its area over the port', () => {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
    const areas = new SharedArrayBuffer(2 * AREA_BYTES);
    const channel = new MessageChannel();
    const sender = new LaneSender(control, areas, REQUEST_LANE, channel.port1);
    const receiver = new LaneReceiver(control, areas, REQUEST_LANE, channel.port2);
    try {
      expect(receiver.pending()).toBe(false);
      sender.send({ op: 'window', endUs: 1000 });
      expect(receiver.pending()).toBe(true);
      expect(receiver.take()).toEqual({ op: 'window', endUs: 1000 });
      expect(receiver.pending()).toBe(false);
      const huge = new Uint8Array(AREA_BYTES + 10).fill(7);
      sender.send({ op: 'snapshot', huge });
      const taken = receiver.take() as { op: string; huge: Uint8Array };
      expect(taken.op).toBe('snapshot');
      expect(taken.huge.length).toBe(AREA_BYTES + 10);
      expect(taken.huge.every((byte) => byte === 7)).toBe(true);
      // The string table stayed in step across the port.
      sender.send({ op: 'window', endUs: 2000 });
      expect(receiver.take()).toEqual({ op: 'window', endUs: 2000 });
    } finally {
      channel.port1.close();
      channel.port2.close();
    }
  });

  it('spins, then sleeps: a wait returns when a message is published, and at its timeout when none is', () => {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
    const areas = new SharedArrayBuffer(2 * AREA_BYTES);
    const channel = new MessageChannel();
    const sender = new LaneSender(control, areas, REPLY_LANE, channel.port1);
    const receiver = new LaneReceiver(control, areas, REPLY_LANE, channel.port2, SPIN_US);
    try {
      const start = performance.now();
      receiver.wait(20);
      expect(performance.now() - start).toBeGreaterThanOrEqual(19); // spun SPIN_US, then slept the rest
      expect(receiver.pending()).toBe(false);
      sender.send({ id: 1, ok: true, value: 5 });
      receiver.wait(60_000); // already published: returns at once
      expect(receiver.take()).toEqual({ id: 1, ok: true, value: 5 });
    } finally {
      channel.port1.close();
      channel.port2.close();
    }
  });

  it('spins in the workers only while every thread has a core of its own; the conductor always spins', () => {
    expect(spinBudgets(1, 2)).toEqual({ conductorUs: SPIN_US, workerUs: SPIN_US });
    expect(spinBudgets(2, 2)).toEqual({ conductorUs: SHARED_CORES_SPIN_US, workerUs: 0 });
    expect(spinBudgets(2, 8)).toEqual({ conductorUs: SPIN_US, workerUs: SPIN_US });
    expect(spinBudgets(4, 2)).toEqual({ conductorUs: SHARED_CORES_SPIN_US, workerUs: 0 });
  });

  it('wakes the reader with a system call only while it sleeps; a reader counts itself asleep only in Atomics.wait', () => {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
    const areas = new SharedArrayBuffer(2 * AREA_BYTES);
    const channel = new MessageChannel();
    const sender = new LaneSender(control, areas, REQUEST_LANE, channel.port1);
    const receiver = new LaneReceiver(control, areas, REQUEST_LANE, channel.port2, 0);
    const notify = vi.spyOn(Atomics, 'notify');
    try {
      sender.send({ op: 'window', endUs: 1000 });
      expect(notify).not.toHaveBeenCalled(); // nobody asleep: a store is enough
      receiver.wait(1); // a message is pending: returns at once, never counted asleep
      expect(receiver.take()).toEqual({ op: 'window', endUs: 1000 });
      Atomics.store(control, REQUEST_LANE.sleeping, 1); // as a reader in another thread does before it sleeps
      sender.send({ op: 'window', endUs: 2000 });
      expect(notify).toHaveBeenCalledTimes(1);
      Atomics.store(control, REQUEST_LANE.sleeping, 0);
      expect(receiver.take()).toEqual({ op: 'window', endUs: 2000 });
      receiver.wait(1); // nothing pending: sleeps 1 ms, and counts itself awake again after
      expect(Atomics.load(control, REQUEST_LANE.sleeping)).toBe(0);
    } finally {
      notify.mockRestore();
      channel.port1.close();
      channel.port2.close();
    }
  });
});
