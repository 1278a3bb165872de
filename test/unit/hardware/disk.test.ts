import { describe, expect, it } from 'vitest';
import { ontapDiskName, parseDiskComponent, parseOntapDiskName } from '../../../emulator/hardware/disk-names.ts';
import { createDisk, executeCommand } from '../../../emulator/hardware/shelf/disk.ts';
import { otherEnd } from '../../../emulator/hardware/shelf/shelf-actor.ts';
import { BLOCK_BYTES } from '../../../emulator/hardware/scsi.ts';

const block = (fill: number, count = 1) => new Uint8Array(BLOCK_BYTES * count).fill(fill);

describe('a disk', () => {
  it('stores only the blocks written, and reads zeros elsewhere', () => {
    const disk = createDisk(3, 'S', 1000, 'filerA');
    expect(executeCommand(disk, 'k', { op: 'write', lba: 10, blocks: 2, data: block(7, 2) }, true).status).toBe('good');
    expect(executeCommand(disk, 'k', { op: 'write', lba: 12, blocks: 1, data: block(0) }, true).status).toBe('good');
    expect(Object.keys(disk.data)).toEqual(['10', '11']);
    const read = executeCommand(disk, 'k', { op: 'read', lba: 9, blocks: 3 }, true);
    expect(read.status).toBe('good');
    expect([read.data?.[0], read.data?.[BLOCK_BYTES], read.data?.[3 * BLOCK_BYTES - 1]]).toEqual([0, 7, 7]);
    expect(executeCommand(disk, 'k', { op: 'read', lba: 999, blocks: 2 }, true).status).toBe('medium-error');
  });

  it('keeps blocks in slabs: a rewrite lands in place, a zeroed block is reused, a foreign block is never written into', () => {
    const disk = createDisk(0, 'S', 1000, null);
    executeCommand(disk, 'k', { op: 'write', lba: 1, blocks: 2, data: block(5, 2) }, true);
    const first = disk.data[1]!;
    expect(first.length).toBe(BLOCK_BYTES);
    expect(first.buffer.byteLength).toBeGreaterThan(BLOCK_BYTES);
    expect(disk.data[2]!.buffer).toBe(first.buffer);
    executeCommand(disk, 'k', { op: 'write', lba: 1, blocks: 1, data: block(6) }, true);
    expect(disk.data[1]).toBe(first);
    expect(executeCommand(disk, 'k', { op: 'read', lba: 1, blocks: 2 }, true).data?.filter((byte) => byte === 6).length).toBe(BLOCK_BYTES);
    executeCommand(disk, 'k', { op: 'write', lba: 1, blocks: 1, data: block(0) }, true);
    expect(disk.data[1]).toBeUndefined();
    executeCommand(disk, 'k', { op: 'write', lba: 7, blocks: 1, data: block(8) }, true);
    expect(disk.data[7]).toBe(first);
    expect([...new Set(disk.data[7])]).toEqual([8]);
    // A snapshot's block, restored into the disk, may be shared with the snapshot: replaced, not overwritten.
    const restored = block(9);
    disk.data[3] = restored;
    executeCommand(disk, 'k', { op: 'write', lba: 3, blocks: 1, data: block(4) }, true);
    expect([...new Set(restored)]).toEqual([9]);
    expect([...new Set(disk.data[3])]).toEqual([4]);
    executeCommand(disk, 'k', { op: 'write', lba: 3, blocks: 1, data: block(0) }, true);
    executeCommand(disk, 'k', { op: 'write', lba: 4, blocks: 1, data: block(1) }, true);
    expect(disk.data[4]).not.toBe(restored);
    expect([...new Set(restored)]).toEqual([9]);
  });

  it('fails reads on a bad block until a write reallocates it', () => {
    const disk = createDisk(0, 'S', 100, null);
    disk.mediaErrors = [5];
    expect(executeCommand(disk, 'k', { op: 'read', lba: 4, blocks: 2 }, true)).toEqual({ status: 'medium-error', badLba: 5 });
    expect(executeCommand(disk, 'k', { op: 'read', lba: 6, blocks: 1 }, true).status).toBe('good');
    executeCommand(disk, 'k', { op: 'write', lba: 5, blocks: 1, data: block(1) }, true);
    expect(executeCommand(disk, 'k', { op: 'read', lba: 5, blocks: 1 }, true).status).toBe('good');
  });

  it('answers not-ready when failed or without power', () => {
    const disk = createDisk(0, 'S', 100, null);
    expect(executeCommand(disk, 'k', { op: 'inquiry' }, false).status).toBe('not-ready');
    disk.health = 'failed';
    expect(executeCommand(disk, 'k', { op: 'inquiry' }, true).status).toBe('not-ready');
  });

  it('keeps an ownership record that a reservation fences and pr-read reports', () => {
    const disk = createDisk(0, 'S', 100, 'node1');
    const run = (key: string, command: Parameters<typeof executeCommand>[2]) => executeCommand(disk, key, command, true);
    expect(run('A', { op: 'pr-read' }).owner).toBe('node1');
    run('C', { op: 'pr-register', key: 'C' });
    run('C', { op: 'pr-reserve', key: 'C' });
    expect(run('A', { op: 'owner-write', owner: 'node1' }).status).toBe('reservation-conflict');
    expect(run('C', { op: 'owner-write', owner: 'node3' }).status).toBe('good');
    // A power cycle clears the reservation (shelf-actor.ts), not the record.
    disk.reservation = { keys: [], holder: null };
    expect(run('A', { op: 'pr-read' })).toEqual({ status: 'good', reservation: { keys: [], holder: null }, owner: 'node3' });
  });

  it('keeps SCSI-3 reservations: registrants only write, preempt evicts, an unregistered key cannot reserve', () => {
    const disk = createDisk(0, 'S', 100, null);
    const run = (key: string, command: Parameters<typeof executeCommand>[2]) => executeCommand(disk, key, command, true).status;
    expect(run('A', { op: 'pr-reserve', key: 'A' })).toBe('reservation-conflict');
    expect(run('A', { op: 'pr-register', key: 'A' })).toBe('good');
    expect(run('A', { op: 'pr-reserve', key: 'A' })).toBe('good');
    expect(run('B', { op: 'write', lba: 0, blocks: 1, data: block(1) })).toBe('reservation-conflict');
    expect(run('B', { op: 'pr-preempt', key: 'B', victim: 'A' })).toBe('reservation-conflict');
    expect(run('B', { op: 'pr-register', key: 'B' })).toBe('good');
    expect(run('B', { op: 'pr-reserve', key: 'B' })).toBe('reservation-conflict');
    expect(run('B', { op: 'pr-preempt', key: 'B', victim: 'A' })).toBe('good');
    expect(disk.reservation).toEqual({ keys: ['B'], holder: 'B' });
    expect(run('A', { op: 'write', lba: 0, blocks: 1, data: block(1) })).toBe('reservation-conflict');
    expect(run('A', { op: 'read', lba: 0, blocks: 1 })).toBe('good');
    expect(run('A', { op: 'mailbox-write', data: block(9).subarray(0, 16) })).toBe('reservation-conflict'); // the mailbox area is fenced too
    expect(run('B', { op: 'pr-release', key: 'B' })).toBe('good');
    expect(run('A', { op: 'write', lba: 0, blocks: 1, data: block(1) })).toBe('good');
  });
});

describe('disk names', () => {
  it('maps shelf and bay to ONTAP loop ids relative to the port', () => {
    expect(ontapDiskName('0a', 1, 0)).toBe('0a.16');
    expect(ontapDiskName('0b', 2, 13)).toBe('0b.45');
    expect(parseOntapDiskName('0a.19')).toEqual({ port: '0a', shelfId: 1, bay: 3 });
    expect(parseOntapDiskName('0a.30')).toBeUndefined();
    expect(parseDiskComponent('shelf1.13')).toEqual({ shelf: 'shelf1', bay: 13 });
    expect(parseDiskComponent('shelf1.14')).toBeUndefined();
    expect([otherEnd('A'), otherEnd('A.out'), otherEnd('B.out'), otherEnd('C')]).toEqual(['A.out', 'A', 'B', undefined]);
  });
});
