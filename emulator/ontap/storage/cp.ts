// Running a consistency point: every online aggregate's image goes to disk (data first, then the
// fsinfo root once every data write is done), then the NVRAM log is trimmed up to the sequence number
// the CP contains, here and in the partner's mirror. At most one CP runs; a request during one runs next.
//
// A CP whose writes no path could carry (disk-access.ts: every loop down, the shelf without power) is
// not complete: the aggregate's root is not written (or not committed), the inodes it moved are dirty
// again, the log is kept whole and the CP is retried every CP_RETRY_US, each retry first probing the
// disks. A single failed disk is not that: RAID-4 degrades around it and the CP completes.
import { checkBeforeCp, repairsWritten } from './repair.ts';
import { reclaimsUnderWay } from './vserver-move.ts';
import { logEms } from '../ems.ts';
import {
  accessLost, accessRestoredIfAll, aggregateReachable, CP_RETRY_US, lostPath, markAccessLost, probeAggregate, reportCpFailed,
} from './disk-access.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { logEntries, trimEntries } from './nvram-log.ts';
import { forgetRequestersBefore } from './battery-loss.ts';
import { failDisk, productAggregateName } from './raid-ops.ts';
import { answerDurable, armDurableCp, sendToPartner } from './mirror.ts';
import type { AggregateState, IoBatch, StorageState } from './types.ts';
import { snapshotsCommitted } from './snapshot-tree.ts';
import { buildCp, commitCp, NoSpaceError, redirtyAfterFailedCp, type CpImage, type RewrittenInode } from './wafl-cp.ts';

/** A CP at least this often (DESIGN.md §4: "at least every 10 s"). */
export const CP_INTERVAL_US = 10_000_000;

/** The next CP by timer: in CP_INTERVAL_US, or in CP_RETRY_US while disk access is lost. */
export function armCpTimer(state: StorageState, env: StorageEnv): void {
  if (state.timers.cp !== null) env.ctx.cancelTimer(state.timers.cp);
  const delay = state.diskAccess.state === 'lost' ? CP_RETRY_US : CP_INTERVAL_US;
  state.timers.cp = env.ctx.setTimer(delay, { kind: 'storage.cp-timer', epoch: state.epoch });
}

export function cpNeeded(state: StorageState, env: StorageEnv): boolean {
  return state.diskAccess.state === 'lost' || env.filer.chassis.nvram.local.entries.length > 0
    || Object.values(state.volumes).some((volume) => volume.dirty || (volume.snapshotRequests?.length ?? 0) > 0);
}

export function startCp(state: StorageState, env: StorageEnv, reason: string): void {
  if (state.status !== 'online') return;
  if (state.cp.running) { state.cp.again = true; return; }
  // Without disk access only the retry timer starts a CP: a filling log must not start one per request.
  if (state.diskAccess.state === 'lost' && reason === 'nvlog') return;
  checkBeforeCp(state, env);
  const seq = state.log.nextSeq - 1;
  const id = state.cp.nextId++;
  // A partner's aggregate is online once its tree is read, but its log is replayed only when the whole
  // takeover mount ends: until then it is in no CP (its image lacks the entries the log still holds).
  const mountingPartner = state.partner?.status === 'mounting' ? state.partner.name : null;
  const heldBack = Object.values(state.aggregates).filter((aggregate) => aggregate.partnerOf !== undefined && aggregate.partnerOf === mountingPartner);
  const online = Object.values(state.aggregates).filter((aggregate) => aggregate.status === 'online' && !heldBack.includes(aggregate));
  state.cp.running = {
    id, seq, aggregatesLeft: online.map((aggregate) => aggregate.name), failed: [],
    heldBack: [...heldBack.map((aggregate) => aggregate.name), ...reclaimsUnderWay(state)],
    startedUs: env.ctx.now, reason,
  };
  state.cp.lastStartUs = env.ctx.now;
  state.cp.lastReason = reason;
  state.cp.again = false;
  for (const aggregate of online) {
    if (accessLost(state, aggregate.name)) {
      const probe = probeAggregate(state, env, aggregate, id);
      if (probe.outstanding === 0) { delete state.io.batches[probe.id]; cpProbed(state, env, probe); }
    } else {
      writeAggregateCp(state, env, aggregate, id, seq);
    }
  }
  if (online.length === 0) finishCp(state, env);
  armCpTimer(state, env);
}

/** Builds one aggregate's image and issues its data writes (the root follows in cpDataWritten). */
function writeAggregateCp(state: StorageState, env: StorageEnv, aggregate: AggregateState, id: number, seq: number): void {
  // A volume the operator took offline stays in the image, with its offline mark, so a reboot keeps both.
  const volumes = Object.values(state.volumes).filter((volume) => volume.aggregate === aggregate.name && (volume.status === 'online' || volume.adminOffline === true));
  // A partner's aggregate (takeover) keeps the partner's log sequence: our log does not number its entries.
  const cpSeq = aggregate.partnerOf === undefined ? seq : aggregate.cpSeq;
  const prefix = aggregate.partnerOf === undefined ? '' : `${aggregate.partnerOf}:`;
  try {
    const image = buildCp(aggregate, volumes, cpSeq, env.ctx.now, prefix);
    const batch = openBatch(state, { kind: 'cp-data', aggregate: aggregate.name, cpId: id }, {
      rootWrites: image.rootWrites, generation: image.generation, free: image.freeAfterCommit, cpSeq, rewritten: image.rewritten,
      snapshotsTaken: image.snapshotsTaken,
    });
    for (const run of image.dataWrites) issue(state, env, batch, run.disk, { op: 'write', lba: run.lba, blocks: run.blocks, data: run.data });
    if (batch.outstanding === 0) { delete state.io.batches[batch.id]; cpDataWritten(state, env, batch); }
  } catch (error) {
    if (!(error instanceof NoSpaceError)) throw error;
    logEms(env.filer, env.ctx, 'wafl.vol.full', 'error', `Aggregate ${productAggregateName(aggregate)} is full: the consistency point could not be written.`);
    aggregateCommitted(state, env, aggregate.name);
  }
}

/** The disks answered the probe of a retried CP (or did not: the CP fails again, quietly). */
export function cpProbed(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  const running = state.cp.running;
  if (batch.purpose.kind !== 'cp-probe' || running?.id !== batch.purpose.cpId) return;
  const aggregate = state.aggregates[batch.purpose.aggregate];
  if (!aggregate || aggregate.status !== 'online') { aggregateCommitted(state, env, batch.purpose.aggregate); return; }
  if (lostPath(batch)) { aggregateFailed(state, env, aggregate.name); return; }
  writeAggregateCp(state, env, aggregate, running.id, running.seq);
}

function handleWriteErrors(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  for (const error of batch.errors) {
    if (error.status === 'reservation-conflict') {
      // Fenced on our own disks: the partner took this filer over (HA halts it). A conflict on a
      // partner's disk we hold in takeover is the partner taking them back: not a reason to halt.
      const aggregate = state.aggregates[state.disks[error.disk]?.aggregate ?? ''];
      if (aggregate?.partnerOf !== undefined) continue;
      if (!state.reservationConflict) logEms(env.filer, env.ctx, 'disk.reservation.conflict', 'error', 'Reservation conflict found on this node\'s disks!');
      state.reservationConflict = true;
    } else if (error.status !== 'transport-failure') {
      failDisk(state, env, error.disk, error.status === 'medium-error' ? 'media error' : 'not responding');
    }
  }
}

/**
 * Some of the aggregate's CP writes reached no disk: its image is not on disk (or its root may be only
 * partly), so nothing is committed. The previous image stays the one on disk; what the CP moved is dirty again.
 */
function cpWritesLost(state: StorageState, env: StorageEnv, batch: IoBatch, aggregate: AggregateState): void {
  redirtyAfterFailedCp(aggregate, state.volumes, {
    freeAfterCommit: batch.carry.free as number[], rewritten: batch.carry.rewritten as RewrittenInode[],
  });
  markAccessLost(state, env, aggregate.name);
  aggregateFailed(state, env, aggregate.name);
}

export function cpDataWritten(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'cp-data' || state.cp.running?.id !== batch.purpose.cpId) return;
  handleWriteErrors(state, env, batch);
  const aggregate = state.aggregates[batch.purpose.aggregate];
  if (!aggregate || aggregate.status !== 'online') { aggregateCommitted(state, env, batch.purpose.aggregate); return; }
  if (lostPath(batch)) { cpWritesLost(state, env, batch, aggregate); return; }
  const root = openBatch(state, { kind: 'cp-root', aggregate: aggregate.name, cpId: batch.purpose.cpId }, {
    generation: batch.carry.generation, free: batch.carry.free, cpSeq: batch.carry.cpSeq, rewritten: batch.carry.rewritten,
    snapshotsTaken: batch.carry.snapshotsTaken,
  });
  for (const run of batch.carry.rootWrites as { disk: string; lba: number; blocks: number; data: Uint8Array }[]) {
    issue(state, env, root, run.disk, { op: 'write', lba: run.lba, blocks: run.blocks, data: run.data });
  }
  if (root.outstanding === 0) { delete state.io.batches[root.id]; cpRootWritten(state, env, root); }
}

export function cpRootWritten(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'cp-root' || !state.cp.running || state.cp.running.id !== batch.purpose.cpId) return;
  handleWriteErrors(state, env, batch);
  const aggregate = state.aggregates[batch.purpose.aggregate];
  if (aggregate && aggregate.status === 'online') {
    if (lostPath(batch)) { cpWritesLost(state, env, batch, aggregate); return; }
    commitCp(aggregate, { generation: batch.carry.generation as number, freeAfterCommit: batch.carry.free as number[] }, Math.max(aggregate.cpSeq, batch.carry.cpSeq as number));
    for (const taken of (batch.carry.snapshotsTaken ?? []) as CpImage['snapshotsTaken']) {
      const volume = state.volumes[taken.volume];
      if (volume) snapshotsCommitted(volume, taken.snapshots);
    }
    aggregateReachable(state, aggregate.name);
  }
  aggregateCommitted(state, env, batch.purpose.aggregate);
}

/** This aggregate's part of the running CP failed for want of a path. */
function aggregateFailed(state: StorageState, env: StorageEnv, name: string): void {
  const running = state.cp.running;
  if (!running) return;
  reportCpFailed(state, env, name);
  running.failed.push(name);
  aggregateCommitted(state, env, name);
}

function aggregateCommitted(state: StorageState, env: StorageEnv, name: string): void {
  const running = state.cp.running;
  if (!running) return;
  running.aggregatesLeft = running.aggregatesLeft.filter((left) => left !== name);
  if (running.aggregatesLeft.length === 0) finishCp(state, env);
}

function finishCp(state: StorageState, env: StorageEnv): void {
  const running = state.cp.running;
  if (!running) return;
  if (running.failed.length > 0) {
    // Not complete: the log keeps every entry (those of aggregates that did commit are skipped at
    // replay by their cpSeq), nothing is counted, and the retry timer, not a back-to-back CP, runs next.
    state.cp.running = null;
    state.cp.again = false;
    armCpTimer(state, env);
    return;
  }
  // Entries for a partner's aggregate that is not mounted here (this filer went down in takeover), or
  // whose resumed takeover mount was still reading it when this CP started, are in no CP of ours: they
  // are kept for the resumed takeover to replay them (partner.ts).
  const heldBack = new Set(running.heldBack);
  trimEntries(env.filer.chassis.nvram.local, running.seq, (entry) => !Object.hasOwn(state.aggregates, entry.aggregate) || heldBack.has(entry.aggregate));
  forgetRequestersBefore(state.requesters, logEntries(env.filer.chassis.nvram.local)[0]?.seq ?? running.seq + 1);
  sendToPartner(state, env, { kind: 'nvram.trim', upToSeq: running.seq });
  answerDurable(state, running.seq);
  armDurableCp(state, env);
  state.cp.busyUs = (state.cp.busyUs ?? 0) + (env.ctx.now - running.startedUs);
  state.cp.running = null;
  state.cp.count += 1;
  state.cp.lastUs = env.ctx.now;
  accessRestoredIfAll(state, env);
  repairsWritten(state, env);
  if (state.cp.again) startCp(state, env, 'back-to-back');
}
