// RAID events over time: a disk failing (degraded mode, or the group failing on a second loss) and
// reconstruction onto a spare, swept over the whole disk at a paced rate (raid-pace.ts) with progress.
// EMS wording follows Data ONTAP's. Scrub is in scrub.ts.
import { consoleDiskName } from '../../protocol/disk-names.ts';
import { logEms } from '../ems.ts';
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { CP_RETRY_US, lostPath, markAccessLost } from './disk-access.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { blockKey, diskLba, mergeReads, ROOT_STRIPES, locateVbn, mergeWrites } from './raid-layout.ts';
import type { AggregateState, DiskId, DiskRecord, IoBatch, RaidGroupState, StorageState } from './types.ts';
import { labelExtras } from './aggregate-label.ts';
import { encodeLabel } from './wafl-format.ts';
import { parityOf } from './xor.ts';
import { reconstructRate, remainingUs, STRIPES_PER_BATCH, stripesPerStep, sweepPercent } from './raid-pace.ts';

export function displayName(state: StorageState, env: StorageEnv, disk: DiskId): string {
  const record = state.disks[disk];
  if (!record) return disk;
  return consoleDiskName(env.filer.config.fcPorts, record.address.shelf, record.address.bay) ?? disk;
}

/** The shelf's id as the product prints it (`Shelf 1`), not the lab's actor name. */
function shelfIdOf(env: StorageEnv, shelf: string): string {
  for (const port of env.filer.config.fcPorts) {
    const found = port.shelves.find((ref) => ref.actor === shelf);
    if (found) return String(found.shelfId);
  }
  return shelf;
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

/** failDisk's reason for a disk pulled out of its bay. */
export const DISK_MISSING = 'missing';

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
  const where = `Shelf ${shelfIdOf(env, record.address.shelf)} Bay ${record.address.bay}`;
  // A pulled disk did not fail: the product says it is missing (and then rebuilds as for a failure).
  if (reason === DISK_MISSING) logEms(env.filer, env.ctx, 'raid.disk.missing', wasSpare ? 'warning' : 'error', `Disk ${name} ${where} is missing from the system.`);
  if (wasSpare) {
    if (reason !== DISK_MISSING) logEms(env.filer, env.ctx, 'raid.disk.spare.fail', 'warning', `Spare disk ${name} failed.`);
    abandonReconstructionOnto(state, env, disk);
    return;
  }
  if (!member) {
    // The spare a reconstruction or a copy was writing: it is dropped, another spare takes over.
    abandonReconstructionOnto(state, env, disk);
    return;
  }
  const { aggregate, group, position } = member;
  if (group.reconstruction && group.reconstruction.spare === disk) return;
  // A member of a group under a disk copy fails: the copy stops (its spare is free again) and the
  // group is rebuilt from parity as after any failure.
  if (group.reconstruction?.copyFrom !== undefined) cancelCopy(state, group);
  if (!group.failed.includes(position)) group.failed.push(position);
  if (reason !== DISK_MISSING) logEms(env.filer, env.ctx, 'raid.disk.fail', 'error', `Disk ${name} ${where} failed (${reason}).`);
  if (group.failed.length > 1) {
    aggregate.status = 'failed';
    group.reconstruction = null;
    logEms(env.filer, env.ctx, 'raid.vol.failed', 'critical',
      `Aggregate ${productAggregateName(aggregate)}: Failed due to multi-disk error. RAID group /${productAggregateName(aggregate)}/plex0/rg${group.index} has ${group.failed.length} failed disks.`);
    for (const volume of Object.values(state.volumes)) if (volume.aggregate === aggregate.name) volume.status = 'offline';
    return;
  }
  logEms(env.filer, env.ctx, 'raid.rg.degraded', 'warning', `/${productAggregateName(aggregate)}/plex0/rg${group.index}: RAID group is degraded.`);
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
      const recon = group.reconstruction;
      if (recon?.spare !== spare) continue;
      group.reconstruction = null;
      // A copy that lost its spare: `disk fail` fails the source now (RAID rebuilds it), a replace stops.
      if (recon.copyFrom !== undefined) {
        if (recon.copyThen === 'fail') failDisk(state, env, recon.copyFrom, 'admin failed');
        continue;
      }
      startReconstruction(state, env, aggregate, group);
    }
  }
}

/** Stops a disk copy: the spare it was writing is a spare again (not zeroed), the source stays a member. */
function cancelCopy(state: StorageState, group: RaidGroupState): void {
  const recon = group.reconstruction;
  if (!recon || recon.copyFrom === undefined) return;
  group.reconstruction = null;
  const spare = state.disks[recon.spare];
  if (spare && spare.role !== 'broken') {
    spare.role = 'spare';
    spare.aggregate = null;
    spare.raidGroup = null;
    spare.zeroed = false;
  }
}

/** One of this filer's own spares (not the partner's, held in takeover). */
export function isOwnSpare(record: DiskRecord | undefined): boolean {
  return record?.role === 'spare' && record.partnerOf === undefined;
}

/**
 * A spare a RAID group may take now: not being zeroed, not unloaded by `disk remove`, and of the pool of
 * the group's owner (`partnerOf` of a partner's aggregate held in takeover; ours by default).
 */
export function isAvailableSpare(record: DiskRecord | undefined, partnerOf?: string): boolean {
  return record?.role === 'spare' && record.partnerOf === partnerOf && record.zeroingPercent === null && record.spunDown !== true;
}

/** The spare a copy or a reconstruction of the aggregate takes: the chosen one, else a zeroed one first. */
function pickSpare(state: StorageState, aggregate: AggregateState, chosen?: DiskId): DiskRecord | undefined {
  const pool = aggregate.partnerOf;
  if (chosen) {
    const record = state.disks[chosen];
    return record?.role === 'spare' && record.partnerOf === pool && record.spunDown !== true ? record : undefined;
  }
  const spares = Object.values(state.disks).filter((record) => isAvailableSpare(record, pool));
  spares.sort((a, b) => Number(b.zeroed) - Number(a.zeroed) || (a.id < b.id ? -1 : 1));
  return spares[0];
}

/**
 * Rapid RAID Recovery and `disk replace start`: copies a member onto a spare while it stays in the
 * group (the group stays normal, writes go to both), then swaps them; the source is then failed
 * (`then` 'fail') or becomes a spare. False when no spare can take the copy or the group is busy.
 */
export function startDiskCopy(state: StorageState, env: StorageEnv, disk: DiskId, then: 'fail' | 'spare', chosen?: DiskId): boolean {
  const member = memberOf(state, disk);
  if (!member || member.group.failed.length > 0 || member.group.reconstruction || member.aggregate.status !== 'online') return false;
  const { aggregate, group, position } = member;
  const spare = pickSpare(state, aggregate, chosen);
  if (!spare) return false;
  spare.role = position === group.members.length - 1 ? 'parity' : 'data';
  spare.aggregate = aggregate.name;
  spare.raidGroup = group.index;
  spare.zeroed = false;
  group.reconstruction = {
    position, spare: spare.id, totalStripes: aggregate.stripes, inUse: stripesInUse(aggregate, group),
    nextInUse: 0, done: 0, stepEnd: 0, stepStartedUs: env.ctx.now, startedUs: env.ctx.now, copyFrom: disk, copyThen: then,
  };
  logEms(env.filer, env.ctx, 'raid.rg.diskcopy.start', 'notice',
    `/${productAggregateName(aggregate)}/plex0/rg${group.index}: starting disk copy from ${displayName(state, env, disk)} to ${displayName(state, env, spare.id)}`);
  stepReconstruction(state, env, aggregate.name, group.index);
  return true;
}

/** Picks a spare (zeroed first) and starts rebuilding the group's missing member onto it. */
export function startReconstruction(state: StorageState, env: StorageEnv, aggregate: AggregateState, group: RaidGroupState, chosen?: DiskId): boolean {
  if (group.failed.length !== 1 || group.reconstruction || aggregate.status !== 'online') return false;
  const spare = pickSpare(state, aggregate, chosen);
  if (!spare) {
    logEms(env.filer, env.ctx, 'raid.rg.recons.missing', 'warning', `RAID group /${productAggregateName(aggregate)}/plex0/rg${group.index} is missing 1 disk(s). No suitable spare disk found.`);
    return false;
  }
  spare.role = group.failed[0] === group.members.length - 1 ? 'parity' : 'data';
  spare.aggregate = aggregate.name;
  spare.raidGroup = group.index;
  group.reconstruction = {
    position: group.failed[0], spare: spare.id, totalStripes: aggregate.stripes, inUse: stripesInUse(aggregate, group),
    nextInUse: 0, done: 0, stepEnd: 0, stepStartedUs: env.ctx.now, startedUs: env.ctx.now,
  };
  logEms(env.filer, env.ctx, 'raid.rg.recons.start', 'notice', `/${productAggregateName(aggregate)}/plex0/rg${group.index}: starting reconstruction, using disk ${displayName(state, env, spare.id)}`);
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
    // A copy reads the source alone; a reconstruction every surviving member.
    if (recon.copyFrom !== undefined) { reads.push({ disk: recon.copyFrom, lba: diskLba(stripe) }); continue; }
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
  const source = recon.copyFrom;
  const writes = stripes.map((stripe) => {
    if (source !== undefined) return { disk: recon.spare, lba: diskLba(stripe), data: batch.blocks[blockKey(source, diskLba(stripe))] ?? missing };
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
  // The old member is out of the group (unless a disk assigned into its own bay rebuilt it in place).
  const oldRecord = old === recon.spare ? undefined : state.disks[old];
  if (oldRecord) { oldRecord.aggregate = null; oldRecord.raidGroup = null; }
  // A pulled disk, out of its group now, is no longer this filer's (disk-bays.ts).
  if (oldRecord && state.bays?.[old] === 'missing') delete state.disks[old];
  const seconds = Math.max(1, Math.round((env.ctx.now - recon.startedUs) / 1_000_000));
  const where = `/${productAggregateName(aggregate)}/plex0/rg${group.index}`;
  if (recon.copyFrom === undefined) {
    logEms(env.filer, env.ctx, 'raid.rg.recons.done', 'notice', `${where}: reconstruction completed in ${formatDuration(seconds)}`);
  } else {
    logEms(env.filer, env.ctx, 'raid.rg.diskcopy.done', 'notice',
      `${where}: disk copy from ${displayName(state, env, old)} to ${displayName(state, env, recon.spare)} completed in ${formatDuration(seconds)}`);
  }
  writeGroupLabels(state, env, aggregate, group);
  if (oldRecord && recon.copyFrom !== undefined) retireCopied(state, env, oldRecord, recon.copyThen ?? 'spare');
}

/** The copied disk, out of its group: failed as `disk fail` asked, or a spare after `disk replace`. */
function retireCopied(state: StorageState, env: StorageEnv, record: DiskRecord, then: 'fail' | 'spare'): void {
  if (then === 'spare') { record.role = 'spare'; record.zeroed = false; return; }
  record.role = 'broken';
  record.failReason = 'admin failed';
  logEms(env.filer, env.ctx, 'raid.disk.fail', 'error', `Disk ${displayName(state, env, record.id)} Shelf ${shelfIdOf(env, record.address.shelf)} Bay ${record.address.bay} failed (admin failed).`);
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}.00`;
}

/**
 * The aggregate's name as its owner's labels spell it: a partner's aggregate is held here as
 * `<partner>:<name>`, but its disks go back to the partner, which looks for `<name>`.
 */
export function productAggregateName(aggregate: AggregateState): string {
  const prefix = aggregate.partnerOf === undefined ? '' : `${aggregate.partnerOf}:`;
  return prefix !== '' && aggregate.name.startsWith(prefix) ? aggregate.name.slice(prefix.length) : aggregate.name;
}

/** Rewrites the RAID labels of a group (after its membership changed). */
export function writeGroupLabels(state: StorageState, env: StorageEnv, aggregate: AggregateState, group: RaidGroupState): void {
  const batch = openBatch(state, { kind: 'reserve' });
  group.labelGeneration += 1;
  // The filer's failed disks go into every label it writes: after a reboot they stay broken, not spares.
  // Not a pulled one: its bay may hold a new disk by then, which must not come up broken.
  const failed = Object.values(state.disks).filter((record) => record.role === 'broken' && record.failReason !== DISK_MISSING).map((record) => record.id).sort();
  group.members.forEach((disk, position) => {
    if (group.failed.includes(position)) return;
    const data = encodeLabel({
      aggregate: productAggregateName(aggregate), group: group.index, position, members: group.members, stripes: aggregate.stripes,
      generation: group.labelGeneration, root: aggregate.root, zeroed: false, failed, ...labelExtras(aggregate, group),
    });
    issue(state, env, batch, disk, { op: 'write', lba: 0, blocks: 1, data });
  });
}
