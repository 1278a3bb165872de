// Operator actions on disks: `disk fail`, `disk replace start`, `disk zero spares`. Zeroing sweeps the
// whole disk at the paced zeroing rate (raid-pace.ts: 1% of the disk's blocks a step, ~20 s for a lab
// disk, where a 36 GB spare takes hours on the real product) and ends writing a fresh spare label; the
// zeros themselves are not written (the blocks a new member will use are written whole by
// reconstruction or CPs, and the memory behind a disk is sparse).
import { logEms } from '../ems.ts';
import { CP_RETRY_US, lostPath } from './disk-access.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { displayName, failDisk, startReconstruction } from './raid-ops.ts';
import type { IoBatch, StorageState } from './types.ts';
import { encodeLabel } from './wafl-format.ts';
import { DISK_USABLE_BLOCKS } from './boot.ts';
import { sweepUs, ZERO_MIB_PER_S } from './raid-pace.ts';

/** Virtual time to zero 1% of a disk of `blocks` blocks. */
export function zeroStepUs(blocks: number): number {
  return sweepUs(Math.ceil(blocks / 100), ZERO_MIB_PER_S);
}

export type DiskActionError = 'no-such-disk' | 'not-a-member' | 'not-a-spare' | 'already-failed' | 'busy';

/** `disk fail <disk>`: the disk is failed as if it had died; its group runs degraded. */
export function adminFailDisk(state: StorageState, env: StorageEnv, diskName: string): DiskActionError | null {
  const disk = findDisk(state, env, diskName);
  if (!disk) return 'no-such-disk';
  const record = state.disks[disk];
  if (record.role === 'broken') return 'already-failed';
  failDisk(state, env, disk, 'admin failed');
  return null;
}

/** `disk replace start <disk> <spare>`: the spare takes the member's place (rebuilt from parity). */
export function replaceDisk(state: StorageState, env: StorageEnv, diskName: string, spareName: string): DiskActionError | null {
  const disk = findDisk(state, env, diskName);
  const spare = findDisk(state, env, spareName);
  if (!disk || !spare) return 'no-such-disk';
  const record = state.disks[disk];
  if ((record.role !== 'data' && record.role !== 'parity') || !record.aggregate) return 'not-a-member';
  if (state.disks[spare].role !== 'spare') return 'not-a-spare';
  const aggregate = state.aggregates[record.aggregate];
  const group = aggregate.raidGroups[record.raidGroup ?? 0];
  if (group.failed.length > 0 || group.reconstruction) return 'busy';
  group.failed.push(group.members.indexOf(disk));
  logEms(env.filer, env.ctx, 'raid.rg.diskcopy.start', 'notice', `/${aggregate.name}/plex0/rg${group.index}: starting disk copy from ${displayName(state, env, disk)} to ${displayName(state, env, spare)}`);
  startReconstruction(state, env, aggregate, group, spare);
  record.role = 'spare';
  record.aggregate = null;
  record.raidGroup = null;
  record.zeroed = false;
  return null;
}

/** `disk zero spares`: zeroes every spare that is not zeroed yet. Returns how many started. */
export function zeroSpares(state: StorageState, env: StorageEnv): number {
  let started = 0;
  for (const record of Object.values(state.disks)) {
    if (record.role !== 'spare' || record.zeroed || record.zeroingPercent !== null) continue;
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
