// RAID events over time: a disk failing (degraded mode, or the group failing on a second loss) and
// reconstruction onto a spare, swept over the whole disk at a paced rate (raid-pace.ts) with progress.
// EMS wording follows Data ONTAP's. Scrub is in scrub.ts.
import { consoleDiskName } from '../../protocol/disk-names.ts';
import { logEms } from '../ems.ts';
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { CP_RETRY_US, lostPath, markAccessLost } from './disk-access.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { blockKey, diskLba, mergeReads, ROOT_STRIPES, locateVbn, mergeWrites } from './raid-layout.ts';
import type { AggregateState, DiskId, IoBatch, RaidGroupState, StorageState } from './types.ts';
import { encodeLabel } from './wafl-format.ts';
import { parityOf } from './xor.ts';
import { reconstructRate, remainingUs, STRIPES_PER_BATCH, stripesPerStep, sweepPercent } from './raid-pace.ts';

export function displayName(state: StorageState, env: StorageEnv, disk: DiskId): string {
  const record = state.disks[disk];
  if (!record) return disk;
  return consoleDiskName(env.filer.config.fcPorts, record.address.shelf, record.address.bay) ?? disk;
}

function memberOf(state: StorageState, disk: DiskId): { aggregate: AggregateState; group: RaidGroupState; position: number } | null {
  for (const aggregate of Object.values(state.aggregates)) {
    for (const group of aggregate.raidGroups) {
      const position = group.members.indexOf(disk);
      if (position >= 0) return { aggregate, group, position };
    }
  }
  return null;
}

/**
 * A disk is gone (I/O error, `disk fail`, pulled). A member: its group runs degraded and
 * reconstruction starts on a spare; a second missing member fails the group and the aggregate.
 */
export function failDisk(state: StorageState, env: StorageEnv, disk: DiskId, reason: string): void {
  const record = state.disks[disk];
  if (!record || record.role === 'broken') return;
  const name = displayName(state, env, disk);
  const member = memberOf(state, disk);
  const wasSpare = record.role === 'spare';
  record.role = 'broken';
  record.failReason = reason;
  if (wasSpare) {
    logEms(env.filer, env.ctx, 'raid.disk.spare.fail', 'warning', `Spare disk ${name} failed.`);
    abandonReconstructionOnto(state, env, disk);
    return;
  }
  if (!member) return;
  const { aggregate, group, position } = member;
  if (group.reconstruction && group.reconstruction.spare === disk) return;
  if (!group.failed.includes(position)) group.failed.push(position);
  logEms(env.filer, env.ctx, 'raid.disk.fail', 'error', `Disk ${name} Shelf ${record.address.shelf} Bay ${record.address.bay} failed (${reason}).`);
  if (group.failed.length > 1) {
    aggregate.status = 'failed';
    group.reconstruction = null;
    logEms(env.filer, env.ctx, 'raid.vol.failed', 'critical',
      `Aggregate ${aggregate.name}: Failed due to multi-disk error. RAID group /${aggregate.name}/plex0/rg${group.index} has ${group.failed.length} failed disks.`);
    for (const volume of Object.values(state.volumes)) if (volume.aggregate === aggregate.name) volume.status = 'offline';
    return;
  }
  logEms(env.filer, env.ctx, 'raid.rg.degraded', 'warning', `/${aggregate.name}/plex0/rg${group.index}: RAID group is degraded.`);
  // The survivors' labels leave the failed disk out (a newer generation without it): whoever assembles
  // the group next — this filer after a reboot, the partner at a takeover — must not read a disk that
  // an admin failed (still readable, its blocks stale since) as a member.
  writeGroupLabels(state, env, aggregate, group);
  startReconstruction(state, env, aggregate, group);
}

/**
 * The disk's shelf reported it failed (scsi.ts 'shelf.disk-report', heard on either loop): one of ours
 * fails now, as at an I/O error, instead of when the filer next happens to read or write it — a spare, or
 * a member of a group the CPs are not writing to, could otherwise sit failed and unnoticed for minutes.
 */
export function diskReportedFailed(state: StorageState, env: StorageEnv, shelf: string, bay: number): void {
  if (state.status !== 'online') return;
  for (const record of Object.values(state.disks)) {
    if (record.address.shelf === shelf && record.address.bay === bay) failDisk(state, env, record.id, 'reported failed by its shelf');
  }
}

function abandonReconstructionOnto(state: StorageState, env: StorageEnv, spare: DiskId): void {
  for (const aggregate of Object.values(state.aggregates)) {
    for (const group of aggregate.raidGroups) {
      if (group.reconstruction?.spare !== spare) continue;
      group.reconstruction = null;
      startReconstruction(state, env, aggregate, group);
    }
  }
}

/** Picks a spare (zeroed first) and starts rebuilding the group's missing member onto it. */
export function startReconstruction(state: StorageState, env: StorageEnv, aggregate: AggregateState, group: RaidGroupState, chosen?: DiskId): boolean {
  if (group.failed.length !== 1 || group.reconstruction || aggregate.status !== 'online') return false;
  const spares = Object.values(state.disks).filter((disk) => disk.role === 'spare' && disk.zeroingPercent === null);
  spares.sort((a, b) => Number(b.zeroed) - Number(a.zeroed) || (a.id < b.id ? -1 : 1));
  const spare = chosen ? state.disks[chosen] : spares[0];
  if (!spare || spare.role !== 'spare') {
    logEms(env.filer, env.ctx, 'raid.rg.recons.missing', 'warning', `RAID group /${aggregate.name}/plex0/rg${group.index} is missing 1 disk(s). No suitable spare disk found.`);
    return false;
  }
  spare.role = group.failed[0] === group.members.length - 1 ? 'parity' : 'data';
  spare.aggregate = aggregate.name;
  spare.raidGroup = group.index;
  group.reconstruction = {
    position: group.failed[0], spare: spare.id, totalStripes: aggregate.stripes, inUse: stripesInUse(aggregate, group),
    nextInUse: 0, done: 0, stepEnd: 0, stepStartedUs: env.ctx.now, startedUs: env.ctx.now,
  };
  logEms(env.filer, env.ctx, 'raid.rg.recons.start', 'notice', `/${aggregate.name}/plex0/rg${group.index}: starting reconstruction, using disk ${displayName(state, env, spare.id)}`);
  stepReconstruction(state, env, aggregate.name, group.index);
  return true;
}

/** Stripes holding data: the root slots and every stripe holding a block in use (ascending). */
export function stripesInUse(aggregate: AggregateState, group: RaidGroupState): number[] {
  const stripes = new Set<number>();
  if (group.index === 0) for (let stripe = 0; stripe < ROOT_STRIPES; stripe++) stripes.add(stripe);
  for (const key of Object.keys(aggregate.used)) {
    const location = locateVbn(aggregate, Number(key));
    if (location && location.group === group.index) stripes.add(location.stripe);
  }
  return [...stripes].sort((a, b) => a - b);
}

/** Whole percent of the disk rebuilt: 100 only once every stripe is (and then the group is normal). */
export function reconstructionPercent(group: RaidGroupState): number {
  const recon = group.reconstruction;
  return recon ? sweepPercent(recon.done, recon.totalStripes) : 100;
}

/** Starts the next paced step: the next stripes of the disk, at the `raid.reconstruct.perf_impact` rate. */
export function stepReconstruction(state: StorageState, env: StorageEnv, aggregateName: string, groupIndex: number, spare?: DiskId): void {
  const aggregate = state.aggregates[aggregateName];
  const group = aggregate?.raidGroups[groupIndex];
  const recon = group?.reconstruction;
  if (!aggregate || !group || !recon || aggregate.status !== 'online') return;
  // The step timer of a reconstruction abandoned for another spare must not drive the new one.
  if (spare !== undefined && spare !== recon.spare) return;
  if (recon.done >= recon.totalStripes) { finishReconstruction(state, env, aggregate, group); return; }
  recon.stepEnd = Math.min(recon.totalStripes, recon.done + stripesPerStep(reconstructRate(env.filer)));
  recon.stepStartedUs = env.ctx.now;
  rebuildNext(state, env, aggregate, group);
}

/**
 * Reads the next stripes in use of the step from the surviving members; with none left, the step's
 * stripes are all done (the unused ones need no I/O, see raid-pace.ts) and the next step waits out the pace.
 */
function rebuildNext(state: StorageState, env: StorageEnv, aggregate: AggregateState, group: RaidGroupState): void {
  const recon = group.reconstruction;
  if (!recon) return;
  const stripes: number[] = [];
  while (stripes.length < STRIPES_PER_BATCH && recon.nextInUse < recon.inUse.length && recon.inUse[recon.nextInUse] < recon.stepEnd) {
    stripes.push(recon.inUse[recon.nextInUse++]);
  }
  if (stripes.length === 0) {
    const swept = recon.stepEnd - recon.done;
    recon.done = recon.stepEnd;
    // The last stripe done is the end: no "100%" shown while nothing is left to do.
    if (recon.done >= recon.totalStripes) { finishReconstruction(state, env, aggregate, group); return; }
    const wait = remainingUs(recon.stepStartedUs, swept, reconstructRate(env.filer), env.ctx.now);
    state.timers.recon = env.ctx.setTimer(wait, { kind: 'storage.recon-step', epoch: state.epoch, aggregate: aggregate.name, group: group.index, spare: recon.spare });
    return;
  }
  const batch = openBatch(state, { kind: 'recon', aggregate: aggregate.name, group: group.index, stripes: stripes.length }, { stripes, spare: recon.spare });
  const reads: { disk: DiskId; lba: number }[] = [];
  for (const stripe of stripes) {
    for (let position = 0; position < group.members.length; position++) {
      if (position !== recon.position) reads.push({ disk: group.members[position], lba: diskLba(stripe) });
    }
  }
  for (const run of mergeReads(reads)) issue(state, env, batch, run.disk, { op: 'read', lba: run.lba, blocks: run.blocks });
}

/** The surviving blocks are in: XOR them and write the missing member's blocks onto the spare. */
export function reconstructionReadDone(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'recon') return;
  const aggregate = state.aggregates[batch.purpose.aggregate];
  const group = aggregate?.raidGroups[batch.purpose.group];
  const recon = group?.reconstruction;
  // A batch of an abandoned reconstruction (its spare failed, another one took over) is dropped.
  if (!aggregate || !group || !recon || recon.spare !== batch.carry.spare) return;
  const stripes = batch.carry.stripes as number[];
  if (lostPath(batch)) { pauseReconstruction(state, env, aggregate, group, stripes.length); return; }
  if (batch.errors.length > 0) {
    for (const error of batch.errors) failDisk(state, env, error.disk, 'not responding');
    return;
  }
  const missing = new Uint8Array(BLOCK_BYTES);
  const writes = stripes.map((stripe) => {
    const survivors = group.members
      .filter((_, position) => position !== recon.position)
      .map((disk) => batch.blocks[blockKey(disk, diskLba(stripe))] ?? missing);
    return { disk: recon.spare, lba: diskLba(stripe), data: parityOf(survivors) };
  });
  const write = openBatch(state, { kind: 'recon-write', aggregate: aggregate.name, group: group.index, stripes: stripes.length }, { spare: recon.spare });
  for (const run of mergeWrites(writes)) issue(state, env, write, run.disk, { op: 'write', lba: run.lba, blocks: run.blocks, data: run.data });
}

/** The rebuilt blocks are on the spare: go on with the step (the pace is kept at the step's end). */
export function reconstructionWriteDone(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'recon-write') return;
  const aggregate = state.aggregates[batch.purpose.aggregate];
  const group = aggregate?.raidGroups[batch.purpose.group];
  const recon = group?.reconstruction;
  if (!aggregate || !group || !recon || recon.spare !== batch.carry.spare) return;
  if (lostPath(batch)) { pauseReconstruction(state, env, aggregate, group, batch.purpose.stripes); return; }
  if (batch.errors.length > 0) { failDisk(state, env, recon.spare, 'not responding'); return; }
  rebuildNext(state, env, aggregate, group);
}

/**
 * No path carried the batch (disk-access.ts): the disks are not failed, they are out of reach. Its
 * stripes are done again, from the reads, once a retry finds a path.
 */
function pauseReconstruction(state: StorageState, env: StorageEnv, aggregate: AggregateState, group: RaidGroupState, stripes: number): void {
  const recon = group.reconstruction;
  if (!recon) return;
  markAccessLost(state, env, aggregate.name);
  recon.nextInUse = Math.max(0, recon.nextInUse - stripes);
  state.timers.recon = env.ctx.setTimer(CP_RETRY_US, { kind: 'storage.recon-step', epoch: state.epoch, aggregate: aggregate.name, group: group.index, spare: recon.spare });
}

function finishReconstruction(state: StorageState, env: StorageEnv, aggregate: AggregateState, group: RaidGroupState): void {
  const recon = group.reconstruction;
  if (!recon) return;
  const old = group.members[recon.position];
  group.members[recon.position] = recon.spare;
  group.failed = group.failed.filter((position) => position !== recon.position);
  group.reconstruction = null;
  const oldRecord = state.disks[old];
  if (oldRecord) { oldRecord.aggregate = null; oldRecord.raidGroup = null; }
  const seconds = Math.max(1, Math.round((env.ctx.now - recon.startedUs) / 1_000_000));
  logEms(env.filer, env.ctx, 'raid.rg.recons.done', 'notice', `/${aggregate.name}/plex0/rg${group.index}: reconstruction completed in ${formatDuration(seconds)}`);
  writeGroupLabels(state, env, aggregate, group);
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}.00`;
}

/** Rewrites the RAID labels of a group (after its membership changed). */
export function writeGroupLabels(state: StorageState, env: StorageEnv, aggregate: AggregateState, group: RaidGroupState): void {
  const batch = openBatch(state, { kind: 'reserve' });
  group.labelGeneration += 1;
  // The filer's failed disks go into every label it writes: after a reboot they stay broken, not spares.
  const failed = Object.values(state.disks).filter((record) => record.role === 'broken').map((record) => record.id).sort();
  group.members.forEach((disk, position) => {
    if (group.failed.includes(position)) return;
    const data = encodeLabel({
      aggregate: aggregate.name, group: group.index, position, members: group.members, stripes: aggregate.stripes,
      generation: group.labelGeneration, root: aggregate.root, zeroed: false, failed,
    });
    issue(state, env, batch, disk, { op: 'write', lba: 0, blocks: 1, data });
  });
}
