// A partner replays the mirrored half after a takeover, on the REAL engine with the built-in ha-pair lab
// (while its four clients work): filerA writes a file, answered once filerB's NVRAM holds it, and loses
// power before its next CP; filerB preempts filerA's disks, mounts its aggregate as `filerA:aggr0` and
// replays its partner half, and the file reads back from filerB. A control run with filerB's partner
// half emptied shows the file missing. A powered back on is fenced off; after giveback it mounts again.
import { describe, it, expect } from 'vitest';
import type { HaState } from '../../../emulator/ontap/ha/types.ts';
import { lookup, modify, read } from '../../../emulator/ontap/storage/index.ts';
import { issue, openBatch, type StorageEnv } from '../../../emulator/ontap/storage/io.ts';
import { logEntries, replaceEntries } from '../../../emulator/ontap/storage/nvram-log.ts';
import type { StorageState } from '../../../emulator/ontap/storage/types.ts';
import { ROOT_FILE_ID } from '../../../emulator/ontap/storage/wafl-fs.ts';
import { bytesOf } from './harness.ts';
import { haPair, type Bench } from './ha-pair-bench.ts';

const FILE = 'takeover-proof';
const CONTENT = bytesOf(3 * 4096 + 123, 77);

interface Outcome {
  readonly bench: Bench;
  readonly found: ReturnType<typeof lookup>;
  readonly data: Uint8Array | null;
  readonly writtenSeq: number;
  readonly cpSeqOnDisk: number;
  readonly replayed: number;
}

/** filerA writes FILE, loses power before its next CP, filerB takes over its storage. */
async function takeover(emptyPartnerHalf: boolean): Promise<Outcome> {
  const bench = await haPair();
  const a = () => bench.storage('filerA');
  const b = () => bench.storage('filerB');
  let writeOp = 0;
  let cpsBefore = 0;
  await bench.call('filerA', (storage, env) => {
    cpsBefore = storage.cp.count;
    modify(storage, env, 'vol1', { kind: 'create', dir: ROOT_FILE_ID, name: FILE });
    const created = lookup(storage, 'vol1', ROOT_FILE_ID, FILE);
    if (typeof created === 'string') throw new Error(created);
    writeOp = modify(storage, env, 'vol1', { kind: 'write', fileId: created.fileId, offset: 0, data: CONTENT });
  });
  // Answered only once filerB's partner half holds the write (the op leaves `waiting` on the ack).
  const writtenSeq = logEntries(bench.filers.filerA.chassis.nvram.local).at(-1)?.seq ?? 0;
  expect(await bench.until(() => !a().ops.waiting.some((op) => op.opId === writeOp), 1)).toBe(true);
  expect(a().log.ackedSeq).toBeGreaterThanOrEqual(writtenSeq);
  expect(logEntries(bench.filers.filerB.chassis.nvram.partner).some((entry) => entry.seq === writtenSeq && entry.op.op === 'write')).toBe(true);
  // No CP of filerA's began after the write (a CP takes its image when it starts): its disks lack the file.
  expect(a().cp.count).toBe(cpsBefore);
  const running = a().cp.running;
  expect(running === null || running.seq < writtenSeq).toBe(true);
  expect(bench.lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'power', on: false } })).toEqual({ ok: true });
  await bench.lab.runFor(1000);
  expect(bench.filers.filerA.chassis.power).toBe('off');
  expect(logEntries(bench.filers.filerA.chassis.nvram.local).some((entry) => entry.seq === writtenSeq)).toBe(true);

  if (emptyPartnerHalf) await bench.call('filerB', (_storage, env) => replaceEntries(env.filer.chassis.nvram.partner, []));
  // filerB's HA takes over once both of filerA's heartbeats have been silent for the detection time.
  expect(await bench.until(() => (bench.filers.filerB.subsystems.ha as HaState).state === 'takeover' || b().partner?.status === 'failed', 30)).toBe(true);
  expect(await bench.until(() => b().partner?.status === 'online' || b().partner?.status === 'failed', 30)).toBe(true);
  expect(b().partner?.error ?? null).toBeNull();
  const aggregate = b().aggregates['filerA:aggr0'];
  const found = lookup(b(), 'filerA:vol1', ROOT_FILE_ID, FILE);
  const got = typeof found === 'string' ? null : read(b(), 'filerA:vol1', found.fileId, 0, CONTENT.length + 10);
  return {
    bench, found, writtenSeq, replayed: b().partner?.replayed ?? 0, cpSeqOnDisk: aggregate.generation > 0 ? aggregate.cpSeq : -1,
    data: got && typeof got !== 'string' ? got.data : null,
  };
}

describe('partner storage after a takeover (ha-pair, real engine)', () => {
  it('filerB replays its partner half on top of filerA\'s last CP: the acknowledged write reads back byte for byte', async () => {
    const outcome = await takeover(false);
    const { bench } = outcome;
    try {
      const b = bench.storage('filerB');
      expect(typeof outcome.found).toBe('object');
      expect(outcome.data).not.toBeNull();
      expect(outcome.data?.length).toBe(CONTENT.length);
      expect(Buffer.from(outcome.data ?? []).equals(Buffer.from(CONTENT))).toBe(true);
      expect(outcome.replayed).toBeGreaterThan(0);
      expect(Object.keys(b.aggregates).sort()).toEqual(['aggr0', 'filerA:aggr0']);
      expect(Object.keys(b.volumes).sort()).toEqual(['filerA:vol0', 'filerA:vol1', 'vol0', 'vol2']);
      expect(b.aggregates['filerA:aggr0'].raidGroups.flatMap((group) => group.members).every((disk) => disk.startsWith('shelf1.'))).toBe(true);
      expect(bench.consoles.filerB).toMatch(/GMT \[filerB: raid\.vol\.replay\.nvram:info\]: Performing raid replay on partner volume\(s\) vol0, vol1\r?\n/);
      expect(bench.consoles.filerB).toMatch(/GMT \[filerB: wafl\.replay\.done:info\]: WAFL log replay completed, \d+ seconds/);
      console.log(`partner replay: ${outcome.replayed} entries of filerA's log replayed on filerB (write at seq ${outcome.writtenSeq}); ${b.partner?.disks.length} disks preempted; mount and replay took ${b.partner?.seconds} s`);

      // filerB keeps the partner's volume usable through the same file-system API.
      let op = 0;
      await bench.call('filerB', (storage, env) => {
        const found = lookup(storage, 'filerA:vol1', ROOT_FILE_ID, FILE);
        if (typeof found === 'string') throw new Error(found);
        op = modify(storage, env, 'filerA:vol1', { kind: 'write', fileId: found.fileId, offset: 0, data: new Uint8Array([1, 2, 3]) });
      }, 0.1);
      expect(op).toBeGreaterThan(0);
      const again = lookup(bench.storage('filerB'), 'filerA:vol1', ROOT_FILE_ID, FILE);
      if (typeof again === 'string') throw new Error(again);
      expect([...(read(bench.storage('filerB'), 'filerA:vol1', again.fileId, 0, 4) as { data: Uint8Array }).data]).toEqual([1, 2, 3, CONTENT[3]]);

      // filerA powered back on is fenced: its disks are held by filerB, it does not mount or write.
      expect(bench.lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'power', on: true } })).toEqual({ ok: true });
      await bench.lab.runFor(60_000_000);
      const a = bench.storage('filerA');
      expect(a.reservationConflict).toBe(true);
      expect(a.status).not.toBe('online');
      expect(bench.consoles.filerA).toMatch(/cf\.fsm\.waitingForGiveback:notice\]: (14 disks are reserved by system|This node was declared dead by filerB)/);
      // A write with filerA's key to its old disk is refused by the disk.
      let refused: { status: string }[] = [];
      await bench.call('filerA', (storage, env) => {
        const batch = openProbe(storage, env, 'shelf1.0');
        refused = batch.errors;
      }, 0.1);
      expect(refused.map((error) => error.status)).toEqual(['reservation-conflict']);
      expect(bench.storage('filerB').partner?.status).toBe('online');

      // Giveback: filerB writes a CP of filerA's volumes and releases the disks; filerA then mounts them.
      expect(bench.lab.input({ kind: 'actor', actor: 'filerB', input: { kind: 'console', data: 'cf giveback\r' } })).toEqual({ ok: true });
      expect(await bench.until(() => bench.storage('filerB').partner?.status === 'released', 20)).toBe(true);
      expect(Object.keys(bench.storage('filerB').volumes).sort()).toEqual(['vol0', 'vol2']);
      expect(await bench.until(() => bench.storage('filerA').status === 'online', 90)).toBe(true);
      const home = bench.storage('filerA');
      const back = lookup(home, 'vol1', ROOT_FILE_ID, FILE);
      if (typeof back === 'string') throw new Error(back);
      const content = read(home, 'vol1', back.fileId, 0, CONTENT.length) as { data: Uint8Array };
      expect([...content.data.slice(0, 4)]).toEqual([1, 2, 3, CONTENT[3]]);
      expect(Buffer.from(content.data.slice(3)).equals(Buffer.from(CONTENT.slice(3)))).toBe(true);
      expect(home.reservationConflict).toBe(false);
    } finally {
      await bench.lab.dispose();
    }
  }, 240_000);

  it('control: with filerB\'s partner half emptied first, the file is missing (filerA\'s disks do not have it)', async () => {
    const outcome = await takeover(true);
    try {
      expect(outcome.found).toBe('noent');
      expect(outcome.replayed).toBe(0);
      expect(outcome.cpSeqOnDisk).toBeLessThan(outcome.writtenSeq);
      console.log(`control: lookup of ${FILE} on filerA:vol1 → ${String(outcome.found)}; filerA's last CP holds up to seq ${outcome.cpSeqOnDisk} < write seq ${outcome.writtenSeq}`);
    } finally {
      await outcome.bench.lab.dispose();
    }
  }, 120_000);
});

/** Writes one block (far past any data) with this filer's key straight to a disk; the batch's errors say what the disk answered. */
function openProbe(storage: StorageState, env: StorageEnv, disk: string): { errors: { status: string }[] } {
  const batch = openBatch(storage, { kind: 'corrupt' });
  issue(storage, env, batch, disk, { op: 'write', lba: 8_000_000, blocks: 1, data: new Uint8Array(4096) });
  return batch;
}
