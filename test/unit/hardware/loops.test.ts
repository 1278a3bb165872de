import { describe, expect, it } from 'vitest';
import { MICROS_PER_MS } from '../../../emulator/engine/actor.ts';
import { io, probeLab, results } from './probe.ts';

const A_KEY = '0101165001';
const B_KEY = '0101165002';

describe('FC loops on the real engine (ha-pair)', () => {
  it('moves I/O in flight to loop B when loop A is pulled, with no error to the caller', async () => {
    const lab = await probeLab();
    await lab.runFor(10 * MICROS_PER_MS);
    io(lab, 'filerA', { id: 'before', shelf: 'shelf2', bay: 3, command: { op: 'write', lba: 7, fill: 0x11 } });
    await lab.runFor(20 * MICROS_PER_MS);
    let done = await results(lab, 'filerA');
    expect(done.before).toMatchObject({ status: 'good', port: '0a' });

    // A write leaves on 0a, and the cable is pulled while it is on the loop.
    io(lab, 'filerA', { id: 'inflight', shelf: 'shelf2', bay: 3, command: { op: 'write', lba: 8, fill: 0x22 } });
    await lab.runFor(MICROS_PER_MS / 2);
    expect(lab.input({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false }).ok).toBe(true);
    await lab.runFor(50 * MICROS_PER_MS);
    io(lab, 'filerA', { id: 'after', shelf: 'shelf2', bay: 3, command: { op: 'read', lba: 8, blocks: 1 } });
    await lab.runFor(50 * MICROS_PER_MS);

    done = await results(lab, 'filerA');
    expect(done.inflight).toMatchObject({ status: 'good', port: '0b' });
    expect(done.after).toMatchObject({ status: 'good', port: '0b', firstByte: 0x22 });
    const summary = await lab.summary();
    expect((summary.filers.filerA as { probe: { failovers: number } }).probe.failovers).toBeGreaterThanOrEqual(1);
    expect((summary.filers.filerA as { ports: Record<string, { link: boolean }> }).ports['0a'].link).toBe(false);
    await lab.dispose();
  });

  it('reports a transport failure only when both loops are gone', async () => {
    const lab = await probeLab();
    await lab.runFor(10 * MICROS_PER_MS);
    lab.input({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false });
    lab.input({ kind: 'cable', end: { actor: 'filerA', port: '0b' }, plugged: false });
    await lab.runFor(10 * MICROS_PER_MS);
    io(lab, 'filerA', { id: 'lost', shelf: 'shelf1', bay: 0, command: { op: 'read', lba: 0, blocks: 1 } });
    await lab.runFor(10 * MICROS_PER_MS);
    expect((await results(lab, 'filerA')).lost).toMatchObject({ status: 'transport-failure', port: null });
    // filerB still reaches shelf1 from its own ends of both loops.
    io(lab, 'filerB', { id: 'other', shelf: 'shelf1', bay: 0, command: { op: 'read', lba: 0, blocks: 1 } });
    await lab.runFor(20 * MICROS_PER_MS);
    expect((await results(lab, 'filerB')).other).toMatchObject({ status: 'good', port: '0a' });
    await lab.dispose();
  });

  it('re-sends over the other loop after a timeout when the loop breaks further down the chain', async () => {
    const lab = await probeLab();
    await lab.runFor(10 * MICROS_PER_MS);
    // Between shelf1 and shelf2 on loop A: filerA's 0a keeps its carrier but no longer reaches shelf2.
    lab.input({ kind: 'cable', end: { actor: 'shelf1', port: 'A.out' }, plugged: false });
    await lab.runFor(5 * MICROS_PER_MS);
    io(lab, 'filerA', { id: 'far', shelf: 'shelf2', bay: 1, command: { op: 'read', lba: 0, blocks: 1 } });
    await lab.runFor(3_000 * MICROS_PER_MS);
    expect((await results(lab, 'filerA')).far).toMatchObject({ status: 'good', port: '0b' });
    await lab.dispose();
  });
});

describe('SCSI-3 reservations across the pair', () => {
  it('refuses a write under a preempted (stale) key with reservation-conflict', async () => {
    const lab = await probeLab();
    await lab.runFor(10 * MICROS_PER_MS);
    const disk = { shelf: 'shelf1', bay: 5 };
    io(lab, 'filerA',
      { id: 'reg', ...disk, command: { op: 'pr-register', key: A_KEY } },
      { id: 'res', ...disk, command: { op: 'pr-reserve', key: A_KEY } },
      { id: 'w1', ...disk, command: { op: 'write', lba: 1, fill: 1 } });
    await lab.runFor(20 * MICROS_PER_MS);
    expect((await results(lab, 'filerA')).w1.status).toBe('good');

    // Takeover: filerB registers and preempts filerA's key.
    io(lab, 'filerB', { id: 'reg', ...disk, command: { op: 'pr-register', key: B_KEY } });
    await lab.runFor(10 * MICROS_PER_MS);
    io(lab, 'filerB', { id: 'pre', ...disk, command: { op: 'pr-preempt', key: B_KEY, victim: A_KEY } });
    await lab.runFor(10 * MICROS_PER_MS);
    io(lab, 'filerA', { id: 'stale', ...disk, command: { op: 'write', lba: 1, fill: 2 } });
    io(lab, 'filerB', { id: 'w2', ...disk, command: { op: 'write', lba: 2, fill: 3 } }, { id: 'read', ...disk, command: { op: 'pr-read', key: B_KEY } });
    await lab.runFor(20 * MICROS_PER_MS);

    expect((await results(lab, 'filerA')).stale.status).toBe('reservation-conflict');
    const atB = await results(lab, 'filerB');
    expect(atB.pre.status).toBe('good');
    expect(atB.w2.status).toBe('good');
    expect(atB.read.holder).toBe(B_KEY);
    const summary = await lab.summary();
    expect((summary.shelves as Record<string, { bays: Record<string, { reservation: string }> }>).shelf1.bays['5'].reservation).toBe(B_KEY);
    await lab.dispose();
  });

  it('drops reservations when the shelf is power-cycled (they live in the disks, not on the media)', async () => {
    const lab = await probeLab();
    await lab.runFor(10 * MICROS_PER_MS);
    io(lab, 'filerA', { id: 'reg', shelf: 'shelf1', bay: 2, command: { op: 'pr-register', key: A_KEY } },
      { id: 'res', shelf: 'shelf1', bay: 2, command: { op: 'pr-reserve', key: A_KEY } },
      { id: 'w', shelf: 'shelf1', bay: 2, command: { op: 'write', lba: 0, fill: 9 } });
    await lab.runFor(20 * MICROS_PER_MS);
    lab.input({ kind: 'actor', actor: 'shelf1', input: { kind: 'power', on: false } });
    await lab.runFor(10 * MICROS_PER_MS);
    lab.input({ kind: 'actor', actor: 'shelf1', input: { kind: 'power', on: true } });
    await lab.runFor(10 * MICROS_PER_MS);
    io(lab, 'filerB', { id: 'pr', shelf: 'shelf1', bay: 2, command: { op: 'pr-read', key: B_KEY } },
      { id: 'data', shelf: 'shelf1', bay: 2, command: { op: 'read', lba: 0, blocks: 1 } });
    await lab.runFor(20 * MICROS_PER_MS);
    const atB = await results(lab, 'filerB');
    expect(atB.pr).toMatchObject({ status: 'good', holder: null });
    expect(atB.data).toMatchObject({ status: 'good', firstByte: 9 });
    await lab.dispose();
  });
});
