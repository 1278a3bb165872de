// Losing every path to the disks (both loops pulled, the shelf without power) is not a disk failure: a
// consistency point that reaches no disk is not complete. The NVRAM log is kept, the volumes stay
// dirty, storage says it lost access (once), the CP is retried, and when the disks are back the
// retried CP writes a whole image and only then is the log trimmed. Nothing acknowledged is lost,
// whether the filer keeps running or crashes during the outage.
import { describe, expect, it } from 'vitest';
import type { ActorContext } from '../../../emulator/engine/actor.ts';
import { startCp } from '../../../emulator/ontap/storage/cp.ts';
import { CP_RETRY_US } from '../../../emulator/ontap/storage/disk-access.ts';
import { lookup, modify, read, rootHandle, takeCompletions } from '../../../emulator/ontap/storage/fs-api.ts';
import { startScrub } from '../../../emulator/ontap/storage/scrub.ts';
import { adminFailDisk, zeroSpares } from '../../../emulator/ontap/storage/spares.ts';
import { createStorageState } from '../../../emulator/ontap/storage/storage-subsystem.ts';
import { publishStorageView } from '../../../emulator/ontap/storage/storage-view.ts';
import type { OpCompletion } from '../../../emulator/ontap/storage/types.ts';
import { bytesOf, filerConfig, StorageWorld } from './harness.ts';

function pair(): StorageWorld {
  const world = new StorageWorld([
    filerConfig('filerA', 'shelf1', 'filerB', '0101'),
    filerConfig('filerB', 'shelf2', 'filerA', '0202'),
  ]);
  world.boot('filerA');
  world.boot('filerB');
  return world;
}

function perform(world: StorageWorld, request: Parameters<typeof modify>[3]): OpCompletion {
  const opId = modify(world.storage('filerA'), world.env('filerA'), 'vol0', request);
  const answers: OpCompletion[] = [];
  world.runFor(1_000_000, () => {
    answers.push(...takeCompletions(world.storage('filerA')));
    return answers.some((answer) => answer.opId === opId);
  });
  const answer = answers.find((candidate) => candidate.opId === opId);
  if (!answer) throw new Error('no answer');
  return answer;
}

function writeFile(world: StorageWorld, name: string, data: Uint8Array): void {
  const root = rootHandle(world.storage('filerA'), 'vol0');
  if (typeof root === 'string') throw new Error(root);
  const created = perform(world, { kind: 'create', dir: root.fileId, name });
  if (!created.result.ok || created.result.fileId === undefined) throw new Error('create failed');
  for (let offset = 0; offset < data.length; offset += 32768) {
    const answer = perform(world, { kind: 'write', fileId: created.result.fileId, offset, data: data.subarray(offset, offset + 32768) });
    expect(answer.result.ok).toBe(true);
  }
}

function readBack(world: StorageWorld, name: string): Uint8Array {
  const found = lookup(world.storage('filerA'), 'vol0', 2, name);
  if (typeof found === 'string') throw new Error(`lookup ${name}: ${found}`);
  const content = read(world.storage('filerA'), 'vol0', found.fileId, 0, found.size);
  if (typeof content === 'string') throw new Error(content);
  return content.data;
}

function waitForCp(world: StorageWorld): void {
  const before = world.storage('filerA').cp.count;
  world.runFor(20_000_000, () => world.storage('filerA').cp.count > before && world.storage('filerA').cp.running === null);
}

function emsOf(world: StorageWorld, source: string): string[] {
  return world.ems.filter((event) => event.filer === 'filerA' && event.source === source).map((event) => `${event.severity}: ${event.text}`);
}

/**
 * filerA with a CP committed, then `before.bin` written (only in the log), then shelf1 unreachable and
 * a CP started at once: it builds its image, moves the file's blocks, and its writes reach no disk.
 */
function outage(): { world: StorageWorld; before: Uint8Array; count: number; generation: number; entries: number } {
  const world = pair();
  waitForCp(world);
  const before = bytesOf(70_000, 11);
  writeFile(world, 'before.bin', before);
  const storage = world.storage('filerA');
  const count = storage.cp.count;
  const generation = storage.aggregates.aggr0.generation;
  const entries = world.filers.filerA.chassis.nvram.local.entries.length;
  expect(entries).toBeGreaterThan(0);
  world.disks.unreachable.add('shelf1');
  startCp(storage, world.env('filerA'), 'test');
  return { world, before, count, generation, entries };
}

describe('a CP with no path to any disk', () => {
  it('is not complete: the log is kept, the volumes stay dirty, access is lost, and that is said once', () => {
    const { world, before, count, generation, entries } = outage();
    world.runFor(30_000_000);
    const storage = world.storage('filerA');
    expect(storage.diskAccess).toMatchObject({ state: 'lost', aggregates: ['aggr0'], reason: 'no path to the disks (0a: link down)' });
    // Retried about every second, each retry probing the disks first.
    expect(storage.diskAccess.cpsFailed).toBeGreaterThanOrEqual(30_000_000 / CP_RETRY_US - 2);
    expect(storage.cp.count).toBe(count);
    expect(storage.aggregates.aggr0.generation).toBe(generation);
    expect(storage.aggregates.aggr0.status).toBe('online');
    expect(storage.volumes.vol0.dirty).toBe(true);
    expect(world.filers.filerA.chassis.nvram.local.entries.length).toBe(entries);
    expect(emsOf(world, 'raid.disk.unavailable')).toEqual([
      'error: Aggregate aggr0: 4 disks are unavailable: no path to the disks (0a: link down). Consistency points cannot complete.',
    ]);
    expect(emsOf(world, 'wafl.cp.failed')).toEqual([
      `critical: Consistency point could not be written to aggregate aggr0: keeping the NVRAM log (${entries} entries) and retrying.`,
    ]);
    // Not a disk failure: RAID is left alone.
    expect(emsOf(world, 'raid.disk.fail')).toEqual([]);
    expect(Object.values(storage.disks).filter((disk) => disk.role === 'broken')).toEqual([]);
    // The buffer cache holds the whole file system: reads go on, and writes are logged in NVRAM.
    expect(readBack(world, 'before.bin')).toEqual(before);
    writeFile(world, 'during.bin', bytesOf(10_000, 12));
    expect(world.filers.filerA.chassis.nvram.local.entries.length).toBeGreaterThan(entries);
  });

  it('is retried when the shelf is back: the log is trimmed only after that CP, and the image on disk is whole', () => {
    const { world, before, count, entries } = outage();
    world.runFor(5_000_000);
    const during = bytesOf(90_000, 13);
    writeFile(world, 'during.bin', during);
    world.runFor(15_000_000);
    const kept = world.filers.filerA.chassis.nvram.local.entries.length;
    expect(kept).toBeGreaterThan(entries);

    world.disks.unreachable.delete('shelf1');
    const trims: { entries: number; cps: number; access: string }[] = [];
    world.runFor(5_000_000, () => {
      const now = world.filers.filerA.chassis.nvram.local.entries.length;
      const storage = world.storage('filerA');
      if (now < kept && !trims.some((trim) => trim.entries === now)) trims.push({ entries: now, cps: storage.cp.count, access: storage.diskAccess.state });
      return false;
    });
    // The first trim is the retried CP's: counted, and access is ok again when it happens.
    expect(trims[0]).toEqual({ entries: 0, cps: count + 1, access: 'ok' });
    expect(world.storage('filerA').diskAccess).toMatchObject({ state: 'ok', aggregates: [], reason: null, cpsFailed: 0 });
    expect(emsOf(world, 'wafl.cp.resumed')).toEqual([expect.stringMatching(/^notice: Disk access restored after \d+ seconds: consistency point written, NVRAM log trimmed\.$/)]);

    // From disk alone (nothing left to replay): the blocks the failed CP moved were written again.
    world.crash('filerA');
    world.boot('filerA');
    expect(world.storage('filerA').lastReplay?.entries).toBe(0);
    expect(readBack(world, 'before.bin')).toEqual(before);
    expect(readBack(world, 'during.bin')).toEqual(during);
  });

  it('loses nothing when the filer crashes during the outage: the kept log is replayed on the last image', () => {
    const { world, before } = outage();
    world.runFor(3_000_000);
    const during = bytesOf(50_000, 14);
    writeFile(world, 'during.bin', during);
    world.crash('filerA');
    world.disks.unreachable.delete('shelf1');
    world.boot('filerA');
    expect(world.storage('filerA').lastReplay?.entries).toBeGreaterThan(0);
    expect(readBack(world, 'before.bin')).toEqual(before);
    expect(readBack(world, 'during.bin')).toEqual(during);
  });

  it('leaks no block: after the retried CP the aggregate uses what the same files use without an outage', () => {
    const control = pair();
    waitForCp(control);
    writeFile(control, 'before.bin', bytesOf(70_000, 11));
    writeFile(control, 'during.bin', bytesOf(90_000, 13));
    waitForCp(control);

    const { world } = outage();
    world.runFor(4_000_000);
    writeFile(world, 'during.bin', bytesOf(90_000, 13));
    world.disks.unreachable.delete('shelf1');
    world.runFor(5_000_000, () => world.storage('filerA').diskAccess.state === 'ok' && world.storage('filerA').cp.running === null);
    const aggregate = world.storage('filerA').aggregates.aggr0;
    expect(aggregate.pendingFree).toEqual([]);
    expect(aggregate.usedCount).toBe(control.storage('filerA').aggregates.aggr0.usedCount);
    expect(aggregate.usedCount).toBe(Object.keys(aggregate.used).length);
  });

  it('is not what a single failed disk does: RAID-4 degrades around it and the CP completes', () => {
    const world = pair();
    waitForCp(world);
    world.disks.disk({ shelf: 'shelf1', bay: 1 }).failed = true;
    const data = bytesOf(40_000, 15);
    writeFile(world, 'degraded.bin', data);
    waitForCp(world);
    const storage = world.storage('filerA');
    expect(storage.diskAccess.state).toBe('ok');
    expect(storage.aggregates.aggr0.raidGroups[0].failed).toEqual([1]);
    expect(world.filers.filerA.chassis.nvram.local.entries).toHaveLength(0);
    expect(emsOf(world, 'raid.disk.unavailable')).toEqual([]);
  });
});

describe('RAID work with no path to the disks', () => {
  it('a reconstruction whose reads reach no disk waits instead of failing the members, and finishes later', () => {
    const world = pair();
    const data = bytesOf(60_000, 16);
    writeFile(world, 'kept.bin', data);
    waitForCp(world);
    world.disks.unreachable.add('shelf1');
    expect(adminFailDisk(world.storage('filerA'), world.env('filerA'), '0a.17')).toBeNull();
    world.runFor(5_000_000);
    const storage = world.storage('filerA');
    expect(storage.aggregates.aggr0.status).toBe('online');
    expect(storage.diskAccess.state).toBe('lost');
    expect(Object.values(storage.disks).filter((disk) => disk.role === 'broken').map((disk) => disk.id)).toEqual(['shelf1.1']);
    expect(storage.aggregates.aggr0.raidGroups[0].reconstruction).not.toBeNull();

    world.disks.unreachable.delete('shelf1');
    world.runFor(600_000_000, () => world.storage('filerA').aggregates.aggr0.raidGroups[0].reconstruction === null);
    expect(world.storage('filerA').aggregates.aggr0.raidGroups[0].failed).toEqual([]);
    expect(world.storage('filerA').diskAccess.state).toBe('ok');
    world.crash('filerA');
    world.boot('filerA');
    expect(readBack(world, 'kept.bin')).toEqual(data);
  });

  it('a scrub does not count stripes it could not read as checked; it checks them once the disks are back', () => {
    const world = pair();
    writeFile(world, 'scrubbed.bin', bytesOf(200_000, 17));
    waitForCp(world);
    const storage = world.storage('filerA');
    const aggregate = storage.aggregates.aggr0;
    world.disks.unreachable.add('shelf1');
    startScrub(storage, world.env('filerA'), aggregate);
    world.runFor(3_000_000);
    expect(aggregate.scrub?.stripesChecked).toBe(0);
    expect(storage.diskAccess.state).toBe('lost');
    world.disks.unreachable.delete('shelf1');
    world.runFor(600_000_000, () => aggregate.scrub?.running === false);
    expect(aggregate.scrub?.stripesChecked).toBe(aggregate.scrub?.targets.length);
    expect(aggregate.scrub?.mismatches).toEqual([]);
  });

  it('a spare whose last zeroing write reaches no disk is not failed: the write is tried again', () => {
    const world = pair();
    const storage = world.storage('filerA');
    for (const id of ['shelf1.4', 'shelf1.5']) storage.disks[id].zeroed = false;
    expect(zeroSpares(storage, world.env('filerA'))).toBe(2);
    world.runFor(600_000_000, () => Object.values(storage.disks).some((disk) => disk.zeroingPercent === 99));
    world.disks.unreachable.add('shelf1');
    world.runFor(120_000_000, () => Object.values(storage.disks).some((disk) => disk.role === 'broken'));
    expect(Object.values(storage.disks).filter((disk) => disk.role === 'broken')).toEqual([]);
    world.disks.unreachable.delete('shelf1');
    world.runFor(10_000_000, () => ['shelf1.4', 'shelf1.5'].every((id) => storage.disks[id].zeroed));
    expect(['shelf1.4', 'shelf1.5'].map((id) => storage.disks[id].zeroed)).toEqual([true, true]);
  });
});

describe('disk access in the storage view', () => {
  it('publishes <filer>.storage.diskAccess while storage is up, and its changes', () => {
    const published: [string, unknown][] = [];
    const ctx = { publish: (path: string, value: unknown) => { published.push([path, value]); } } as unknown as ActorContext;
    const state = createStorageState('filerA');
    publishStorageView(state, ctx);
    expect(published).toEqual([]);
    state.status = 'online';
    publishStorageView(state, ctx);
    state.diskAccess.state = 'lost';
    publishStorageView(state, ctx);
    publishStorageView(state, ctx);
    state.status = 'down';
    publishStorageView(state, ctx);
    expect(published).toEqual([
      ['filerA.storage.diskAccess', 'ok'], ['filerA.storage.diskAccess', 'lost'], ['filerA.storage.diskAccess', null],
    ]);
  });
});
