// The "done when" lines: what a client wrote reads back byte for byte after a CP, after a crash
// and replay, after a disk failure (degraded) and a reconstruction; a crash between the NVRAM mirror
// and the CP loses nothing; a double failure takes the aggregate offline; fsck finds injected damage.
import { describe, expect, it } from 'vitest';
import { modify, read, rootHandle, lookup, takeCompletions } from '../../../emulator/ontap/storage/fs-api.ts';
import { startFsck } from '../../../emulator/ontap/storage/fsck.ts';
import { adminFailDisk, zeroSpares } from '../../../emulator/ontap/storage/spares.ts';
import { reconstructionPercent } from '../../../emulator/ontap/storage/raid-ops.ts';
import { RECONSTRUCT_MIB_PER_S, SCRUB_MIB_PER_S, ZERO_MIB_PER_S } from '../../../emulator/ontap/storage/raid-pace.ts';
import { scrubPercent, startScrub } from '../../../emulator/ontap/storage/scrub.ts';
import { logEntries } from '../../../emulator/ontap/storage/nvram-log.ts';
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

/** Runs one modifying request to its answer. */
function perform(world: StorageWorld, filer: string, request: Parameters<typeof modify>[3]): OpCompletion {
  const opId = modify(world.storage(filer), world.env(filer), 'vol0', request);
  const answers: OpCompletion[] = [];
  world.runFor(1_000_000, () => {
    answers.push(...takeCompletions(world.storage(filer)));
    return answers.some((answer) => answer.opId === opId);
  });
  const answer = answers.find((candidate) => candidate.opId === opId);
  if (!answer) throw new Error('no answer');
  return answer;
}

function writeFile(world: StorageWorld, filer: string, name: string, data: Uint8Array): number {
  const root = rootHandle(world.storage(filer), 'vol0');
  if (typeof root === 'string') throw new Error(root);
  const created = perform(world, filer, { kind: 'create', dir: root.fileId, name });
  if (!created.result.ok || created.result.fileId === undefined) throw new Error('create failed');
  const fileId = created.result.fileId;
  for (let offset = 0; offset < data.length; offset += 32768) {
    const answer = perform(world, filer, { kind: 'write', fileId, offset, data: data.subarray(offset, offset + 32768) });
    expect(answer.result.ok).toBe(true);
  }
  return fileId;
}

function readBack(world: StorageWorld, filer: string, name: string): Uint8Array {
  const found = lookup(world.storage(filer), 'vol0', 2, name);
  if (typeof found === 'string') throw new Error(`lookup ${name}: ${found}`);
  const content = read(world.storage(filer), 'vol0', found.fileId, 0, found.size);
  if (typeof content === 'string') throw new Error(content);
  return content.data;
}

function waitForCp(world: StorageWorld, filer: string): void {
  const before = world.storage(filer).cp.count;
  world.runFor(20_000_000, () => world.storage(filer).cp.count > before && world.storage(filer).cp.running === null);
}

describe('storage durability', () => {
  it('creates the aggregate on blank disks and answers writes only after the partner holds them', () => {
    const world = pair();
    expect(world.storage('filerA').aggregates.aggr0.status).toBe('online');
    const data = bytesOf(100_000, 1);
    writeFile(world, 'filerA', 'mirrored.bin', data);
    const partnerHalf = logEntries(world.filers.filerB.chassis.nvram.partner);
    expect(partnerHalf.some((entry) => entry.op.op === 'write')).toBe(true);
    expect(world.storage('filerA').log.mirror).toBe('mirrored');
  });

  it('reads back byte for byte after a consistency point and a reboot from disk', () => {
    const world = pair();
    const data = bytesOf(300_000, 2);
    writeFile(world, 'filerA', 'big.bin', data);
    waitForCp(world, 'filerA');
    expect(world.filers.filerA.chassis.nvram.local.entries).toHaveLength(0);
    world.crash('filerA');
    world.filers.filerA.chassis.nvram.local.entries = [];
    world.boot('filerA');
    expect(world.storage('filerA').lastReplay?.entries).toBe(0);
    expect(readBack(world, 'filerA', 'big.bin')).toEqual(data);
  });

  it('loses nothing when it crashes between the NVRAM mirror and the CP', () => {
    const world = pair();
    waitForCp(world, 'filerA');
    const data = bytesOf(50_000, 3);
    writeFile(world, 'filerA', 'late.bin', data);
    expect(world.filers.filerA.chassis.nvram.local.entries.length).toBeGreaterThan(0);
    world.crash('filerA');
    world.boot('filerA');
    expect(world.storage('filerA').lastReplay?.entries).toBeGreaterThan(0);
    // Through the EMS log (timeline and /etc/messages), not printed around it.
    expect(world.ems.filter((event) => event.filer === 'filerA').map((event) => `[${event.source}:${event.severity}]: ${event.text}`)).toEqual(
      expect.arrayContaining(['[raid.vol.replay.nvram:info]: Performing raid replay on volume(s)', expect.stringMatching(/^\[wafl\.replay\.done:info\]: WAFL log replay completed, \d+ seconds$/)]));
    expect(readBack(world, 'filerA', 'late.bin')).toEqual(data);
  });

  it('serves from parity with a failed disk, and after reconstruction onto a spare', () => {
    const world = pair();
    const data = bytesOf(200_000, 4);
    writeFile(world, 'filerA', 'raid.bin', data);
    waitForCp(world, 'filerA');
    world.disks.disk({ shelf: 'shelf1', bay: 1 }).failed = true;
    world.crash('filerA');
    world.filers.filerA.chassis.nvram.local.entries = [];
    world.boot('filerA');
    const group = world.storage('filerA').aggregates.aggr0.raidGroups[0];
    expect(group.failed).toEqual([1]);
    expect(readBack(world, 'filerA', 'raid.bin')).toEqual(data);
    expect(world.ems.some((event) => event.source === 'raid.rg.recons.start')).toBe(true);
    world.runFor(60_000_000, () => group.reconstruction === null && world.storage('filerA').aggregates.aggr0.raidGroups[0].failed.length === 0);
    const rebuilt = world.storage('filerA').aggregates.aggr0.raidGroups[0];
    expect(rebuilt.failed).toEqual([]);
    expect(rebuilt.members[1]).toBe('shelf1.4');
    expect(world.ems.some((event) => event.source === 'raid.rg.recons.done')).toBe(true);
    // Reboot with the rebuilt group: every block now comes from the spare, no parity needed.
    world.crash('filerA');
    world.boot('filerA');
    expect(world.storage('filerA').aggregates.aggr0.raidGroups[0].failed).toEqual([]);
    expect(readBack(world, 'filerA', 'raid.bin')).toEqual(data);
  });

  it('sweeps the whole disk at the paced rate: reconstruction, scrub and zeroing take the time of the disk, not of its data', () => {
    const world = pair();
    const data = bytesOf(150_000, 8);
    writeFile(world, 'filerA', 'paced.bin', data);
    waitForCp(world, 'filerA');
    const storage = world.storage('filerA');
    const aggregate = storage.aggregates.aggr0;
    const group = aggregate.raidGroups[0];
    const diskMib = (aggregate.stripes * 4096) / (1024 * 1024);
    /** Samples `percent` every virtual second until `finished`; returns the samples and the seconds it took. */
    const sample = (percent: () => number, finished: () => boolean): { percents: number[]; seconds: number } => {
      const started = world.now;
      const percents: number[] = [];
      while (!finished() && world.now - started < 120_000_000) {
        percents.push(percent());
        world.runFor(1_000_000, finished);
      }
      return { percents, seconds: (world.now - started) / 1_000_000 };
    };

    expect(adminFailDisk(storage, world.env('filerA'), '0a.17')).toBeNull();
    const recon = sample(() => reconstructionPercent(group), () => group.reconstruction === null);
    // 256 MiB disks at medium (20 MiB/s): about 13 s, whatever the few stripes in use.
    const expected = diskMib / RECONSTRUCT_MIB_PER_S.medium;
    expect(recon.seconds).toBeGreaterThan(expected * 0.95);
    expect(recon.seconds).toBeLessThan(expected * 1.15);
    expect(recon.percents.some((percent) => percent > 20 && percent < 80)).toBe(true);
    expect(recon.percents.every((percent, index) => percent < 100 && (index === 0 || percent >= recon.percents[index - 1]))).toBe(true);
    expect(group.failed).toEqual([]);
    expect(world.ems.some((event) => event.source === 'raid.rg.recons.done')).toBe(true);
    expect(readBack(world, 'filerA', 'paced.bin')).toEqual(data);

    // High impact rebuilds twice as fast as medium.
    // As the lab file would set it (the console's `options` is not part of this storage-only world).
    (world.filers.filerA.config.options as Record<string, string>)['raid.reconstruct.perf_impact'] = 'high';
    expect(adminFailDisk(storage, world.env('filerA'), '0a.18')).toBeNull();
    const fast = sample(() => reconstructionPercent(group), () => group.reconstruction === null);
    expect(fast.seconds).toBeLessThan(recon.seconds * 0.6);

    startScrub(storage, world.env('filerA'), aggregate);
    const scrub = sample(() => scrubPercent(aggregate), () => aggregate.scrub?.running === false);
    expect(scrub.seconds).toBeGreaterThan((diskMib / SCRUB_MIB_PER_S) * 0.95);
    expect(scrub.percents.some((percent) => percent > 20 && percent < 80)).toBe(true);
    expect(aggregate.scrub?.mismatches).toEqual([]);
    expect(aggregate.scrub?.stripesChecked).toBeGreaterThan(0);

    // Both spares were used: take the first failed disk back as a spare, not zeroed, and zero it.
    const spare = storage.disks['shelf1.1'];
    expect(spare.role).toBe('broken');
    Object.assign(spare, { role: 'spare', zeroed: false, failReason: null });
    expect(zeroSpares(storage, world.env('filerA'))).toBe(1);
    const zeroing = sample(() => spare.zeroingPercent ?? 100, () => spare.zeroed);
    expect(zeroing.seconds).toBeGreaterThan((diskMib / ZERO_MIB_PER_S) * 0.95);
    expect(zeroing.percents.some((percent) => percent > 20 && percent < 80)).toBe(true);
    expect(zeroing.percents.every((percent) => percent < 100)).toBe(true);

    // Two members of rg0 are now rebuilt spares: after a reboot with an empty NVRAM log, the file comes
    // from their blocks, byte for byte.
    world.crash('filerA');
    world.filers.filerA.chassis.nvram.local.entries = [];
    world.boot('filerA');
    const rebooted = world.storage('filerA').aggregates.aggr0.raidGroups[0];
    expect(rebooted.failed).toEqual([]);
    expect(rebooted.members.slice(1, 3)).toEqual(['shelf1.4', 'shelf1.5']);
    expect(readBack(world, 'filerA', 'paced.bin')).toEqual(data);
  });

  it('takes the aggregate offline on a second failure in the group', () => {
    const world = pair();
    writeFile(world, 'filerA', 'x.bin', bytesOf(10_000, 5));
    world.storage('filerA').disks['shelf1.4'].role = 'broken';
    world.storage('filerA').disks['shelf1.5'].role = 'broken';
    expect(adminFailDisk(world.storage('filerA'), world.env('filerA'), '0a.16')).toBeNull();
    expect(world.storage('filerA').aggregates.aggr0.status).toBe('online');
    expect(adminFailDisk(world.storage('filerA'), world.env('filerA'), '0a.17')).toBeNull();
    expect(world.storage('filerA').aggregates.aggr0.status).toBe('failed');
    expect(world.storage('filerA').volumes.vol0.status).toBe('offline');
    expect(world.ems).toContainEqual(expect.objectContaining({
      filer: 'filerA', source: 'raid.vol.failed', severity: 'critical', text: expect.stringContaining('Aggregate aggr0: Failed due to multi-disk error') }));
  });

  it('answers unmirrored when the interconnect is down, and says so', () => {
    const world = pair();
    world.interconnectUp = false;
    const root = rootHandle(world.storage('filerA'), 'vol0');
    if (typeof root === 'string') throw new Error(root);
    const answer = perform(world, 'filerA', { kind: 'create', dir: root.fileId, name: 'alone' });
    expect(answer.mirrored).toBe(false);
    expect(world.storage('filerA').log.mirror).toBe('unmirrored');
    expect(world.ems.some((event) => event.source === 'cf.nvram.unmirrored')).toBe(true);
  });

  it('fsck finds an injected corruption and nothing on a clean volume', () => {
    const world = pair();
    writeFile(world, 'filerA', 'a.bin', bytesOf(20_000, 6));
    waitForCp(world, 'filerA');
    const clean = startFsck(world.storage('filerA'), world.env('filerA'), 'vol0');
    if (typeof clean === 'string') throw new Error(clean);
    world.runFor(1_000_000, () => world.storage('filerA').fsck[clean].done);
    expect(world.storage('filerA').fsck[clean].problems).toEqual([]);
    world.subsystem.handle(world.storage('filerA'), world.filers.filerA,
      { type: 'input', input: { kind: 'fault', fault: 'fs-corrupt', args: ['vol0'] } }, world.context('filerA'));
    world.runFor(10_000);
    const damaged = startFsck(world.storage('filerA'), world.env('filerA'), 'vol0');
    if (typeof damaged === 'string') throw new Error(damaged);
    world.runFor(1_000_000, () => world.storage('filerA').fsck[damaged].done);
    const problems = world.storage('filerA').fsck[damaged].problems;
    expect(problems.some((problem) => problem.includes('checksum mismatch'))).toBe(true);
    expect(problems.some((problem) => problem.includes('free inode'))).toBe(true);
  });

  it('scrub reports a parity mismatch', () => {
    const world = pair();
    writeFile(world, 'filerA', 'p.bin', bytesOf(20_000, 7));
    waitForCp(world, 'filerA');
    const aggregate = world.storage('filerA').aggregates.aggr0;
    startScrub(world.storage('filerA'), world.env('filerA'), aggregate);
    world.runFor(60_000_000, () => aggregate.scrub?.running === false);
    expect(aggregate.scrub?.mismatches).toEqual([]);
    const disk = world.disks.disk({ shelf: 'shelf1', bay: 0 });
    const [lba, block] = [...disk.blocks.entries()].find(([candidate]) => candidate > 3) ?? [0, new Uint8Array(4096)];
    block[0] ^= 0xff;
    startScrub(world.storage('filerA'), world.env('filerA'), aggregate);
    world.runFor(60_000_000, () => aggregate.scrub?.running === false);
    expect(aggregate.scrub?.mismatches).toContain(lba - 1);
  });
});
