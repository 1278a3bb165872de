// RAID events over time: a disk failing (degraded mode, or the group failing on a second loss),
// reconstruction onto a spare with progress, scrub. EMS wording follows Data ONTAP's.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import {
  blockKey, dataWidth, diskLba, mergeReads, ROOT_STRIPES, locateVbn, mergeWrites,
} from './raid-layout.ts';
import type { AggregateState, DiskId, IoBatch, RaidGroupState, StorageState } from './types.ts';
import { encodeLabel } from './wafl-format.ts';
import { parityOf, xorInto } from './xor.ts';

/** Stripes rebuilt per step, and the pause between steps (so progress is visible on the console). */
export const RECON_STRIPES_PER_STEP = 8;
export const RECON_STEP_PAUSE_US = 100_000;

export function displayName(state: StorageState, env: StorageEnv, disk: DiskId): string {
  const record = state.disks[disk];
  if (!record) return disk;
  for (const port of env.filer.config.fcPorts) {
    const shelf = port.shelves.find((ref) => ref.actor === record.address.shelf);
    if (shelf) return `${port.port}.${shelf.shelfId * 16 + record.address.bay}`;
  }
  return disk;
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
    env.ctx.ems('raid.disk.spare.fail', 'warning', `Spare disk ${name} failed.`);
    abandonReconstructionOnto(state, env, disk);
    return;
  }
  if (!member) return;
  const { aggregate, group, position } = member;
  if (group.reconstruction && group.reconstruction.spare === disk) return;
  if (!group.failed.includes(position)) group.failed.push(position);
  env.ctx.ems('raid.disk.fail', 'error', `Disk ${name} Shelf ${record.address.shelf} Bay ${record.address.bay} failed (${reason}).`);
  if (group.failed.length > 1) {
    aggregate.status = 'failed';
    group.reconstruction = null;
    env.ctx.ems('raid.vol.failed', 'critical',
      `Aggregate ${aggregate.name}: Failed due to multi-disk error. RAID group /${aggregate.name}/plex0/rg${group.index} has ${group.failed.length} failed disks.`);
    env.ctx.console(`[raid.vol.failed:CRITICAL]: Aggregate ${aggregate.name}: Failed due to multi-disk error\r\n`);
    for (const volume of Object.values(state.volumes)) if (volume.aggregate === aggregate.name) volume.status = 'offline';
    return;
  }
  env.ctx.ems('raid.rg.degraded', 'warning', `/${aggregate.name}/plex0/rg${group.index}: RAID group is degraded.`);
  startReconstruction(state, env, aggregate, group);
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
    env.ctx.ems('raid.rg.recons.missing', 'warning', `RAID group /${aggregate.name}/plex0/rg${group.index} is missing 1 disk(s). No suitable spare disk found.`);
    return false;
  }
  spare.role = group.failed[0] === group.members.length - 1 ? 'parity' : 'data';
  spare.aggregate = aggregate.name;
  spare.raidGroup = group.index;
  group.reconstruction = { position: group.failed[0], spare: spare.id, stripes: stripesToRebuild(aggregate, group), done: 0, startedUs: env.ctx.now };
  env.ctx.ems('raid.rg.recons.start', 'notice', `/${aggregate.name}/plex0/rg${group.index}: starting reconstruction, using disk ${displayName(state, env, spare.id)}`);
  stepReconstruction(state, env, aggregate.name, group.index);
  return true;
}

/** Stripes worth rebuilding: the root slots and every stripe holding a block in use. */
function stripesToRebuild(aggregate: AggregateState, group: RaidGroupState): number[] {
  const stripes = new Set<number>();
  if (group.index === 0) for (let stripe = 0; stripe < ROOT_STRIPES; stripe++) stripes.add(stripe);
  for (const key of Object.keys(aggregate.used)) {
    const location = locateVbn(aggregate, Number(key));
    if (location && location.group === group.index) stripes.add(location.stripe);
  }
  return [...stripes].sort((a, b) => a - b);
}

export function reconstructionPercent(group: RaidGroupState): number {
  const recon = group.reconstruction;
  if (!recon) return 100;
  return recon.stripes.length === 0 ? 100 : Math.floor((recon.done * 100) / recon.stripes.length);
}

/** Reads the next few stripes from the surviving members. */
export function stepReconstruction(state: StorageState, env: StorageEnv, aggregateName: string, groupIndex: number): void {
  const aggregate = state.aggregates[aggregateName];
  const group = aggregate?.raidGroups[groupIndex];
  const recon = group?.reconstruction;
  if (!aggregate || !group || !recon || aggregate.status !== 'online') return;
  if (recon.done >= recon.stripes.length) { finishReconstruction(state, env, aggregate, group); return; }
  const stripes = recon.stripes.slice(recon.done, recon.done + RECON_STRIPES_PER_STEP);
  const batch = openBatch(state, { kind: 'recon', aggregate: aggregate.name, group: group.index, stripes: stripes.length }, { stripes });
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
  if (!aggregate || !group || !recon) return;
  if (batch.errors.length > 0) {
    for (const error of batch.errors) failDisk(state, env, error.disk, 'not responding');
    return;
  }
  const stripes = batch.carry.stripes as number[];
  const writes = stripes.map((stripe) => {
    const rebuilt = new Uint8Array(BLOCK_BYTES);
    group.members.forEach((disk, position) => {
      if (position !== recon.position) xorInto(rebuilt, batch.blocks[blockKey(disk, diskLba(stripe))] ?? new Uint8Array(BLOCK_BYTES));
    });
    return { disk: recon.spare, lba: diskLba(stripe), data: rebuilt };
  });
  const write = openBatch(state, { kind: 'recon-write', aggregate: aggregate.name, group: group.index, stripes: stripes.length });
  for (const run of mergeWrites(writes)) issue(state, env, write, run.disk, { op: 'write', lba: run.lba, blocks: run.blocks, data: run.data });
}

export function reconstructionWriteDone(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'recon-write') return;
  const aggregate = state.aggregates[batch.purpose.aggregate];
  const group = aggregate?.raidGroups[batch.purpose.group];
  const recon = group?.reconstruction;
  if (!aggregate || !group || !recon) return;
  if (batch.errors.length > 0) { failDisk(state, env, recon.spare, 'not responding'); return; }
  recon.done += batch.purpose.stripes;
  state.timers.recon = env.ctx.setTimer(RECON_STEP_PAUSE_US, { kind: 'storage.recon-step', aggregate: aggregate.name, group: group.index });
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
  env.ctx.ems('raid.rg.recons.done', 'notice', `/${aggregate.name}/plex0/rg${group.index}: reconstruction completed in ${formatDuration(seconds)}`);
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
  group.members.forEach((disk, position) => {
    if (group.failed.includes(position)) return;
    const data = encodeLabel({
      aggregate: aggregate.name, group: group.index, position, members: group.members, stripes: aggregate.stripes,
      generation: group.labelGeneration, root: aggregate.root, zeroed: false,
    });
    issue(state, env, batch, disk, { op: 'write', lba: 0, blocks: 1, data });
  });
}

/** Scrub: reads each stripe in use and checks that parity is the XOR of its data. */
export function startScrub(state: StorageState, env: StorageEnv, aggregate: AggregateState): void {
  aggregate.scrub = { stripesChecked: 0, mismatches: [], running: true };
  const batch = openBatch(state, { kind: 'scrub', aggregate: aggregate.name, stripe: 0, stripes: 0 });
  const targets: { group: number; stripe: number }[] = [];
  for (const group of aggregate.raidGroups) {
    for (const stripe of stripesToRebuild(aggregate, group)) targets.push({ group: group.index, stripe });
  }
  batch.carry.targets = targets;
  const reads: { disk: DiskId; lba: number }[] = [];
  for (const target of targets) {
    const group = aggregate.raidGroups[target.group];
    group.members.forEach((disk, position) => {
      if (!group.failed.includes(position)) reads.push({ disk, lba: diskLba(target.stripe) });
    });
  }
  for (const run of mergeReads(reads)) issue(state, env, batch, run.disk, { op: 'read', lba: run.lba, blocks: run.blocks });
}

export function scrubDone(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'scrub') return;
  const aggregate = state.aggregates[batch.purpose.aggregate];
  if (!aggregate?.scrub) return;
  const targets = batch.carry.targets as { group: number; stripe: number }[];
  for (const target of targets) {
    const group = aggregate.raidGroups[target.group];
    if (group.failed.length > 0) continue;
    const lba = diskLba(target.stripe);
    const data = group.members.slice(0, dataWidth(group)).map((disk) => batch.blocks[blockKey(disk, lba)] ?? new Uint8Array(BLOCK_BYTES));
    const parity = batch.blocks[blockKey(group.members[group.members.length - 1], lba)] ?? new Uint8Array(BLOCK_BYTES);
    aggregate.scrub.stripesChecked += 1;
    const expected = parityOf(data);
    if (!expected.every((byte, index) => byte === parity[index])) {
      aggregate.scrub.mismatches.push(target.stripe);
      env.ctx.ems('raid.rg.scrub.mismatch', 'error',
        `/${aggregate.name}/plex0/rg${group.index}: Inconsistent parity on volume ${aggregate.name}, RAID group ${group.index}, stripe #${target.stripe}.`);
    }
  }
  aggregate.scrub.running = false;
  env.ctx.ems('raid.scrub.summary', 'notice',
    `Scrub found ${aggregate.scrub.mismatches.length} parity inconsistencies in /${aggregate.name}/plex0 (${aggregate.scrub.stripesChecked} stripes checked).`);
}

