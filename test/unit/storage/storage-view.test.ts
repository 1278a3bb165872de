import { describe, expect, it } from 'vitest';
import type { ActorContext } from '../../../emulator/engine/actor.ts';
import { createStorageState } from '../../../emulator/ontap/storage/storage-subsystem.ts';
import { publishStorageView } from '../../../emulator/ontap/storage/storage-view.ts';
import type { DiskRecord, StorageState } from '../../../emulator/ontap/storage/types.ts';

/** A context that only records what was published (the view code uses nothing else). */
function recorder(): { ctx: ActorContext; published: [string, unknown][] } {
  const published: [string, unknown][] = [];
  const ctx = { publish: (path: string, value: unknown) => { published.push([path, value]); } } as unknown as ActorContext;
  return { ctx, published };
}

function disk(id: string, bay: number, role: DiskRecord['role']): DiskRecord {
  return {
    id, address: { shelf: 'shelf1', bay }, blocks: 1000, role,
    aggregate: null, raidGroup: null, zeroed: false, zeroingPercent: null, failReason: null,
  };
}

function storageWithDisks(): StorageState {
  const state = createStorageState('filerA');
  state.disks['0a.1'] = disk('0a.1', 1, 'data');
  state.disks['0a.2'] = disk('0a.2', 2, 'parity');
  state.disks['0a.3'] = disk('0a.3', 3, 'spare');
  return state;
}

describe('storage view publishing', () => {
  it('publishes every path once, then only what changed, and null for what went away', () => {
    const state = storageWithDisks();
    const first = recorder();
    publishStorageView(state, first.ctx);
    expect(first.published).toEqual([
      ['filerA.disks.shelf1.1.role', 'data'],
      ['filerA.disks.shelf1.2.role', 'parity'],
      ['filerA.disks.shelf1.3.role', 'spare'],
    ]);

    const quiet = recorder();
    publishStorageView(state, quiet.ctx);
    publishStorageView(state, quiet.ctx);
    expect(quiet.published).toEqual([]);

    state.disks['0a.1'].role = 'broken';
    const failed = recorder();
    publishStorageView(state, failed.ctx);
    publishStorageView(state, failed.ctx);
    expect(failed.published).toEqual([['filerA.disks.shelf1.1.role', 'failed']]);

    // Back to its old value: still a change against what was published last.
    state.disks['0a.1'].role = 'data';
    const back = recorder();
    publishStorageView(state, back.ctx);
    expect(back.published).toEqual([['filerA.disks.shelf1.1.role', 'data']]);

    delete state.disks['0a.3'];
    const gone = recorder();
    publishStorageView(state, gone.ctx);
    expect(gone.published).toEqual([['filerA.disks.shelf1.3.role', null]]);
  });

  it('checks a fresh published record (a restored or rebooted state) against its own values', () => {
    const state = storageWithDisks();
    publishStorageView(state, recorder().ctx);
    publishStorageView(state, recorder().ctx);
    // As after a restore: the same disk records, a published record that says otherwise.
    state.published = { 'filerA.disks.shelf1.1.role': 'spare', 'filerA.disks.shelf1.2.role': 'parity', 'filerA.disks.shelf1.3.role': 'spare' };
    const again = recorder();
    publishStorageView(state, again.ctx);
    expect(again.published).toEqual([['filerA.disks.shelf1.1.role', 'data']]);
  });
});
