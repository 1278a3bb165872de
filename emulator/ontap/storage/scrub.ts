// Scrub: sweeps every stripe of an aggregate's RAID groups (all groups in parallel) at a paced rate
// (raid-pace.ts) and checks, on each stripe in use of a healthy group, that parity is the XOR of the
// data. Unused stripes are swept without I/O: they hold nothing anybody reads before a consistency
// point writes them whole with fresh parity. Mismatches are reported with the product's EMS wording.
import { logEms } from '../ems.ts';
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { CP_RETRY_US, lostPath, markAccessLost } from './disk-access.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { remainingUs, SCRUB_MIB_PER_S, STRIPES_PER_BATCH, stripesPerStep, sweepPercent } from './raid-pace.ts';
import { productAggregateName, stripesInUse } from './raid-ops.ts';
import { blockKey, dataWidth, diskLba, mergeReads } from './raid-layout.ts';
import type { AggregateState, DiskId, IoBatch, ScrubTarget, StorageState } from './types.ts';
import { parityOf } from './xor.ts';

/** Starts a scrub of the aggregate; false when one is already running (it goes on). */
export function startScrub(state: StorageState, env: StorageEnv, aggregate: AggregateState): boolean {
  if (aggregate.scrub?.running) return false;
  const targets: ScrubTarget[] = [];
  for (const group of aggregate.raidGroups) {
    if (group.failed.length > 0) continue;
    for (const stripe of stripesInUse(aggregate, group)) targets.push({ group: group.index, stripe });
  }
  targets.sort((a, b) => a.stripe - b.stripe || a.group - b.group);
  aggregate.scrub = {
    stripesChecked: 0, mismatches: [], running: true, totalStripes: aggregate.stripes, targets, nextTarget: 0,
    done: 0, stepEnd: 0, stepStartedUs: env.ctx.now,
  };
  stepScrub(state, env, aggregate.name);
  return true;
}

export function scrubPercent(aggregate: AggregateState): number {
  return aggregate.scrub ? sweepPercent(aggregate.scrub.done, aggregate.scrub.totalStripes) : 100;
}

export function stepScrub(state: StorageState, env: StorageEnv, aggregateName: string): void {
  const aggregate = state.aggregates[aggregateName];
  const scrub = aggregate?.scrub;
  if (!aggregate || !scrub?.running) return;
  if (aggregate.status !== 'online') { scrub.running = false; return; }
  scrub.stepEnd = Math.min(scrub.totalStripes, scrub.done + stripesPerStep(SCRUB_MIB_PER_S));
  scrub.stepStartedUs = env.ctx.now;
  checkNext(state, env, aggregate);
}

/** Reads the next stripes in use of the step; with none left, the step is done and the next one waits out the pace. */
function checkNext(state: StorageState, env: StorageEnv, aggregate: AggregateState): void {
  const scrub = aggregate.scrub;
  if (!scrub) return;
  const targets: ScrubTarget[] = [];
  while (targets.length < STRIPES_PER_BATCH && scrub.nextTarget < scrub.targets.length && scrub.targets[scrub.nextTarget].stripe < scrub.stepEnd) {
    targets.push(scrub.targets[scrub.nextTarget++]);
  }
  if (targets.length === 0) {
    const swept = scrub.stepEnd - scrub.done;
    scrub.done = scrub.stepEnd;
    if (scrub.done >= scrub.totalStripes) { finishScrub(env, aggregate); return; }
    env.ctx.setTimer(remainingUs(scrub.stepStartedUs, swept, SCRUB_MIB_PER_S, env.ctx.now),
      { kind: 'storage.scrub-step', epoch: state.epoch, aggregate: aggregate.name });
    return;
  }
  const batch = openBatch(state, { kind: 'scrub', aggregate: aggregate.name, stripe: targets[0].stripe, stripes: targets.length }, { targets });
  const reads: { disk: DiskId; lba: number }[] = [];
  for (const target of targets) {
    for (const disk of aggregate.raidGroups[target.group].members) reads.push({ disk, lba: diskLba(target.stripe) });
  }
  for (const run of mergeReads(reads)) issue(state, env, batch, run.disk, { op: 'read', lba: run.lba, blocks: run.blocks });
}

export function scrubDone(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'scrub') return;
  const aggregate = state.aggregates[batch.purpose.aggregate];
  const scrub = aggregate?.scrub;
  if (!aggregate || !scrub?.running) return;
  if (lostPath(batch)) {
    // Out of reach, not wrong: these stripes are checked again once a retry finds a path.
    markAccessLost(state, env, aggregate.name);
    scrub.nextTarget = Math.max(0, scrub.nextTarget - (batch.carry.targets as ScrubTarget[]).length);
    env.ctx.setTimer(CP_RETRY_US, { kind: 'storage.scrub-step', epoch: state.epoch, aggregate: aggregate.name });
    return;
  }
  for (const target of batch.carry.targets as ScrubTarget[]) {
    const group = aggregate.raidGroups[target.group];
    // A member failed since the scrub began: its stripes cannot be checked.
    if (group.failed.length > 0) continue;
    const lba = diskLba(target.stripe);
    const missing = new Uint8Array(BLOCK_BYTES);
    const data = group.members.slice(0, dataWidth(group)).map((disk) => batch.blocks[blockKey(disk, lba)] ?? missing);
    const parity = batch.blocks[blockKey(group.members[group.members.length - 1], lba)] ?? missing;
    scrub.stripesChecked += 1;
    const expected = parityOf(data);
    if (!expected.every((byte, index) => byte === parity[index])) {
      scrub.mismatches.push(target.stripe);
      logEms(env.filer, env.ctx, 'raid.rg.scrub.mismatch', 'error',
        `/${productAggregateName(aggregate)}/plex0/rg${group.index}: Inconsistent parity on volume ${productAggregateName(aggregate)}, RAID group ${group.index}, stripe #${target.stripe}.`);
    }
  }
  checkNext(state, env, aggregate);
}

function finishScrub(env: StorageEnv, aggregate: AggregateState): void {
  const scrub = aggregate.scrub;
  if (!scrub) return;
  scrub.running = false;
  logEms(env.filer, env.ctx, 'raid.scrub.summary', 'notice',
    `Scrub found ${scrub.mismatches.length} parity inconsistencies in /${productAggregateName(aggregate)}/plex0 (${scrub.stripesChecked} stripes checked).`);
}
