// Operator actions on disks: `disk fail`, `disk replace start`, `disk zero spares`. Zeroing sweeps the
// whole disk at the paced zeroing rate (raid-pace.ts: 1% of the disk's blocks a step, ~20 s for a lab
// disk, where a 36 GB spare takes hours on the real product) and ends writing a fresh spare label; the
// zeros themselves are not written (the blocks a new member will use are written whole by
// reconstruction or CPs, and the memory behind a disk is sparse).
import { logEms } from '../ems.ts';
import { CP_RETRY_US, lostPath } from './disk-access.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { displayName, failDisk, isOwnSpare, startDiskCopy } from './raid-ops.ts';
import type { IoBatch, StorageState } from './types.ts';
import { encodeLabel } from './wafl-format.ts';
import { DISK_USABLE_BLOCKS } from './boot.ts';
import { sweepUs, ZERO_MIB_PER_S } from './raid-pace.ts';

/** Virtual time to zero 1% of a disk of `blocks` blocks. */
export function zeroStepUs(blocks: number): number {
  return sweepUs(Math.ceil(blocks / 100), ZERO_MIB_PER_S);
}

export type DiskActionError = 'no-such-disk' | 'not-a-member' | 'not-a-spare' | 'already-failed' | 'busy';

/**
 * `disk fail <disk>`: with `immediate` (`-i`), or when no copy can start (a spare, no spare left, the
 * group already degraded), the disk is failed as if it had died and its group runs degraded. Otherwise
 * Rapid RAID Recovery: the disk is first copied onto a spare, the group staying normal, then failed.
 */
export function adminFailDisk(state: StorageState, env: StorageEnv, diskName: string, immediate = true): DiskActionError | 'copying' | null {
  const disk = findDisk(state, env, diskName);
  if (!disk) return 'no-such-disk';
  const record = state.disks[disk];
  if (record.role === 'broken') return 'already-failed';
  if (isBeingCopied(state, disk)) return 'busy';
  if (!immediate && startDiskCopy(state, env, disk, 'fail')) return 'copying';
  failDisk(state, env, disk, 'admin failed');
  return null;
}

/** Whether a copy of this disk is under way. */
export function isBeingCopied(state: StorageState, disk: string): boolean {
  return Object.values(state.aggregates).some((aggregate) => aggregate.raidGroups.some((group) => group.reconstruction?.copyFrom === disk));
}

/** `disk replace start <disk> <spare>`: the member is copied onto the spare, staying in its group, then becomes a spare. */
export function replaceDisk(state: StorageState, env: StorageEnv, diskName: string, spareName: string): DiskActionError | null {
  const disk = findDisk(state, env, diskName);
  const spare = findDisk(state, env, spareName);
  if (!disk || !spare) return 'no-such-disk';
  const record = state.disks[disk];
  if ((record.role !== 'data' && record.role !== 'parity') || !record.aggregate) return 'not-a-member';
  if (state.disks[spare].role !== 'spare' || state.disks[spare].partnerOf !== state.aggregates[record.aggregate]?.partnerOf) return 'not-a-spare';
  const aggregate = state.aggregates[record.aggregate];
  const group = aggregate.raidGroups[record.raidGroup ?? 0];
  if (group.failed.length > 0 || group.reconstruction) return 'busy';
  return startDiskCopy(state, env, disk, 'spare', spare) ? null : 'busy';
}

/** `disk zero spares`: zeroes every spare that is not zeroed yet. Returns how many started. */
export function zeroSpares(state: StorageState, env: StorageEnv): number {
  let started = 0;
  for (const record of Object.values(state.disks)) {
    if (!isOwnSpare(record) || record.zeroed || record.zeroingPercent !== null) continue;
    record.zeroingPercent = 0;
    env.ctx.setTimer(zeroStepUs(record.blocks), { kind: 'storage.zero-step', epoch: state.epoch, disk: record.id });
    started += 1;
  }
  return started;
}

export function zeroStep(state: StorageState, env: StorageEnv, disk: string): void {
  const record = state.disks[disk];
  if (!record || record.role !== 'spare' || record.zeroingPercent === null) return;
  if (record.zeroingPercent + 1 < 100) {
    record.zeroingPercent += 1;
    env.ctx.setTimer(zeroStepUs(record.blocks), { kind: 'storage.zero-step', epoch: state.epoch, disk });
    return;
  }
  // The last step ends with the label write: the disk is zeroed (and the figure leaves 99%) when it lands.
  const label = encodeLabel({ aggregate: '', group: 0, position: 0, members: [], stripes: DISK_USABLE_BLOCKS - 1, generation: 1, root: false, zeroed: true });
  issue(state, env, openBatch(state, { kind: 'zero', disk, lba: 0 }), disk, { op: 'write', lba: 0, blocks: 1, data: label });
}

export function zeroWritten(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'zero') return;
  const record = state.disks[batch.purpose.disk];
  if (!record) return;
  if (lostPath(batch)) {
    // The spare is out of reach, not failed: its last step is tried again.
    env.ctx.setTimer(CP_RETRY_US, { kind: 'storage.zero-step', epoch: state.epoch, disk: record.id });
    return;
  }
  record.zeroingPercent = null;
  if (batch.errors.length > 0) { failDisk(state, env, record.id, 'not responding'); return; }
  record.zeroed = true;
  logEms(env.filer, env.ctx, 'raid.disk.zero.done', 'notice', `${displayName(state, env, record.id)}: disk zeroing complete`);
}

/** A disk by its lab id (`shelf1.3`) or its console name (`0a.19`). */
export function findDisk(state: StorageState, env: StorageEnv, name: string): string | null {
  if (state.disks[name]) return name;
  return Object.keys(state.disks).find((disk) => displayName(state, env, disk) === name) ?? null;
}
