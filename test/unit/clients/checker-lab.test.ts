// The checker can fail: on a real lab, a saboteur subsystem on the filer tampers with the buffer cache
// behind the file service's back, and the client's checker must see it — a lost write when old data
// comes back for good, a stale read when it comes back only for a moment.
import { describe, it, expect } from 'vitest';
import type { ActorContext, ActorEvent } from '../../../emulator/engine/actor.ts';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { subsystemState, type FilerLifecycle, type FilerState, type FilerSubsystem } from '../../../emulator/hardware/filer/subsystem.ts';
import type { StorageState } from '../../../emulator/ontap/storage/types.ts';
import { clientConfig, clientFigures, smallLab } from './lab-fixture.ts';

type Contents = Record<number, Uint8Array>;
interface SaboteurState { saved: Contents; planted: Contents }

function clientFiles(filer: FilerState): Record<number, { data: Uint8Array; size: number }> {
  const volume = subsystemState<StorageState>(filer, 'storage')?.volumes.vol1;
  const dir = volume?.inodes[volume.inodes[2].entries.c1];
  const files: Record<number, { data: Uint8Array; size: number }> = {};
  for (const id of Object.values(dir?.entries ?? {})) {
    const inode = volume?.inodes[id];
    if (inode) files[id] = inode as unknown as { data: Uint8Array; size: number };
  }
  return files;
}

function contentsOf(filer: FilerState): Contents {
  const out: Contents = {};
  for (const [id, inode] of Object.entries(clientFiles(filer))) out[Number(id)] = inode.data.slice(0, inode.size);
  return out;
}

function plant(filer: FilerState, contents: Contents, onlyIf?: Contents): void {
  for (const [id, inode] of Object.entries(clientFiles(filer))) {
    const wanted = contents[Number(id)];
    const current = inode.data.slice(0, inode.size);
    if (!wanted || (onlyIf && !same(current, onlyIf[Number(id)]))) continue;
    const data = new Uint8Array(Math.max(wanted.length, 1));
    data.set(wanted);
    inode.data = data;
    inode.size = wanted.length;
  }
}

function same(a: Uint8Array, b: Uint8Array | undefined): boolean {
  return !!b && a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** Snapshot at 10 s; at 12 s put the snapshot back; with `restoreAfterUs`, put the newer data back then. */
function saboteur(restoreAfterUs: number | null): FilerSubsystem<SaboteurState> {
  return {
    name: 'saboteur',
    create: () => ({ saved: {}, planted: {} }),
    lifecycle(state, _filer, phase: FilerLifecycle, ctx: ActorContext) {
      if (phase === 'os-boot') ctx.setTimer(10 * MICROS_PER_SECOND, { kind: 'saboteur.snapshot' });
      return state;
    },
    handle(state, filer, event: ActorEvent, ctx) {
      if (event.type !== 'timer' || !event.payload.kind.startsWith('saboteur.')) return false;
      if (event.payload.kind === 'saboteur.snapshot') {
        state.saved = contentsOf(filer);
        ctx.setTimer(2 * MICROS_PER_SECOND, { kind: 'saboteur.revert' });
      } else if (event.payload.kind === 'saboteur.revert') {
        const newer = contentsOf(filer);
        plant(filer, state.saved);
        state.planted = contentsOf(filer);
        state.saved = newer;
        if (restoreAfterUs !== null) ctx.setTimer(restoreAfterUs, { kind: 'saboteur.restore' });
      } else {
        plant(filer, state.saved, state.planted);
      }
      return true;
    },
  };
}

const readHeavy = { mix: { create: 1, write: 2, read: 20, rename: 0, remove: 0 }, maxFiles: 4, opsPerSecond: 40 };

describe('the checker on a real lab', () => {
  it('finds lost writes when old data comes back for good', async () => {
    const { lab } = await smallLab([clientConfig('c1', 'nfs', 1, { workload: readHeavy })], 21, false, [saboteur(null)]);
    await lab.runFor(30 * MICROS_PER_SECOND);
    const figures = await clientFigures(lab);
    expect(figures.c1.lostWrites).toBeGreaterThan(0);
    const { violations } = await lab.summary();
    expect(violations).toContainEqual(expect.objectContaining({ kind: 'lost-write', client: 'c1' }));
    await lab.dispose();
  });

  it('finds stale reads, and no lost write, when old data comes back for a moment', async () => {
    const { lab } = await smallLab([clientConfig('c1', 'nfs', 1, { workload: readHeavy })], 21, false, [saboteur(400_000)]);
    await lab.runFor(30 * MICROS_PER_SECOND);
    const figures = await clientFigures(lab);
    expect(figures.c1.staleReads).toBeGreaterThan(0);
    expect(figures.c1.lostWrites).toBe(0);
    const { violations } = await lab.summary();
    expect(violations.length).toBeGreaterThan(0);
    // The exhaustive per-file check finds the same reads not linearizable; nothing is a lost write.
    expect(violations).toEqual(violations.map(() => expect.objectContaining({ kind: expect.stringMatching(/^(stale-read|not-linearizable)$/), client: 'c1' })));
    expect(violations).toContainEqual(expect.objectContaining({ kind: 'not-linearizable', atMs: expect.any(Number), detail: expect.stringMatching(/returned .* which no permissible order gives/) }));
    await lab.dispose();
  });

  it('finds nothing when nobody tampers', async () => {
    const { lab } = await smallLab([clientConfig('c1', 'nfs', 1, { workload: readHeavy })], 21);
    await lab.runFor(30 * MICROS_PER_SECOND);
    const figures = await clientFigures(lab);
    expect(figures.c1).toMatchObject({ lostWrites: 0, staleReads: 0, opsFailed: 0 });
    expect((await lab.summary()).violations).toEqual([]);
    await lab.dispose();
  });
});
