// The storage OS as a filer subsystem (slot 'storage'): mounts on os-boot, loses its buffer cache on
// power-off and panic (the NVRAM log survives in the chassis), dispatches disk completions to the
// continuation each batch names, runs the CP and mailbox heartbeat timers, keeps the partner's NVRAM
// mirror, and takes the `fs-corrupt` fault.
import { takeScheduledSnapshots } from './snapshot-schedule.ts';
import { logEms } from '../ems.ts';
import { accountWipedEntries, summarizeBatteryLosses } from './battery-loss.ts';
import type { ActorContext, ActorEvent, ActorId } from '../../engine/actor.ts';
import type { FilerConfig } from '../../hardware/filer/chassis.ts';
import { activeListOrNone } from '../../hardware/filer/active-subsystems.ts';
import type { FilerLifecycle, FilerState, FilerSubsystem, SummaryFragment } from '../../hardware/filer/subsystem.ts';
import { SHELF_DISK_REPORT_KIND, type ShelfDiskReportFrame } from '../../hardware/scsi.ts';
import { bootMailboxRead, labelsRead, beginBoot, lostLogAnswered, reservationsRead } from './boot.ts';
import { rootsRead, treeRoundRead } from './mount.ts';
import { armCpTimer, cpDataWritten, cpNeeded, cpProbed, cpRootWritten, startCp } from './cp.ts';
import { createDiskAccess, mailboxWritten } from './disk-access.ts';
import type { DiskIo } from './disk-io.ts';
import { corruptVolume, fsckRead } from './fsck.ts';
import { REPAIR_TIMER, repairStep } from './repair.ts';
import { completeIo, dropAllIo, type StorageEnv } from './io.ts';
import { MAILBOX_HEARTBEAT_US, mailboxFenced, mailboxRead, writeMailbox } from './mailbox.ts';
import { DURABLE_CP_TIMER, mirrorAcked, mirrorFailed, receiveMirror, resendWholeLog, upInterconnect } from './mirror.ts';
import { logEntries, type LogEntry, type MirrorMessage } from './nvram-log.ts';
import { moveLabelsRead, moveReleased, stepVserverMoves } from './vserver-move.ts';
import { diskInquired, unownedDisks as notOwnedDisks } from './disk-admin.ts';
import { partnerLabelsRead, partnerScanned, partnerUnreserved, stepPartnerRelease } from './partner.ts';
import { DISK_MISSING, diskReportedFailed, isOwnSpare, reconstructionReadDone, reconstructionWriteDone, stepReconstruction } from './raid-ops.ts';
import { scrubDone, stepScrub } from './scrub.ts';
import { diskReportedInserted, diskReportedMissing } from './disk-bays.ts';
import { zeroStep, zeroWritten } from './spares.ts';
import { groupStatus, publishStorageView } from './storage-view.ts';
import { consoleDiskName } from '../../protocol/disk-names.ts';
import type { IoBatch, StorageState } from './types.ts';

export const STORAGE_SUBSYSTEM = 'storage';

export function createStorageState(self: ActorId): StorageState {
  return {
    self, status: 'down', disks: {}, aggregates: {}, volumes: {},
    log: { nextSeq: 1, mirror: 'unmirrored', ackedSeq: 0, resync: true, warnedUnmirrored: false, partnerDown: false },
    cp: { running: null, nextId: 1, lastUs: 0, count: 0, again: false },
    io: { nextTag: 1, nextBatch: 1, pending: {}, batches: {} },
    ops: { nextOpId: 1, waiting: [], durable: [], completed: [] },
    mailbox: { heartbeat: 0, takeoverState: 'normal', reads: {}, nextRequest: 1 },
    fsck: {}, nextFsckId: 1,
    timers: { cp: null, mirror: null, recon: null, heartbeat: null, durable: null },
    bootStartedUs: 0, boot: { aggregatesLeft: [] }, epoch: 0, initiator: null, diskAccess: createDiskAccess(), reservationConflict: false, lastReplay: null,
    mirrorIn: { expectSeq: 'needs-reset', resyncsAsked: 0 },
    partner: null, replayedRequests: [], reclaimFrom: null, published: {}, moves: {}, movedAway: [],
  };
}

/** Continuations of finished I/O batches: an exhaustive switch on what the batch was for. */
export function runContinuation(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  switch (batch.purpose.kind) {
    case 'labels': labelsRead(state, env, batch); return;
    case 'mount-root': rootsRead(state, env, batch); return;
    case 'mount-tree': treeRoundRead(state, env, batch); return;
    case 'cp-data': cpDataWritten(state, env, batch); return;
    case 'cp-root': cpRootWritten(state, env, batch); return;
    case 'cp-probe': cpProbed(state, env, batch); return;
    case 'recon': reconstructionReadDone(state, env, batch); return;
    case 'recon-write': reconstructionWriteDone(state, env, batch); return;
    case 'scrub': scrubDone(state, env, batch); return;
    case 'zero': zeroWritten(state, env, batch); return;
    case 'mailbox-read': mailboxRead(state, batch); return;
    case 'fsck': fsckRead(state, env, batch); return;
    case 'boot-reservations': reservationsRead(state, env, batch); return;
    case 'boot-mailbox': bootMailboxRead(state, env, batch); return;
    case 'partner-scan': partnerScanned(state, env, batch); return;
    case 'partner-labels': partnerLabelsRead(state, env, batch); return;
    case 'partner-release': partnerUnreserved(state, env); return;
    case 'move-release': moveReleased(state, env, batch); return;
    case 'move-labels': moveLabelsRead(state, env, batch); return;
    case 'mailbox-write': mailboxWritten(state, env, batch); mailboxFenced(state, env, batch); return;
    case 'disk-inquiry': diskInquired(state, env, batch); return;
    case 'reserve': case 'corrupt': return;
  }
}

/** Forgets everything volatile: buffer cache, I/O in flight, operations not yet answered. */
function loseVolatile(state: StorageState): StorageState {
  const fresh = createStorageState(state.self);
  fresh.epoch = state.epoch + 1;
  fresh.io.nextTag = state.io.nextTag;
  fresh.io.nextBatch = state.io.nextBatch;
  fresh.published = state.published;
  fresh.batteryLosses = state.batteryLosses ?? [];
  fresh.requesters = state.requesters ?? {}; // the log survives the buffer cache
  if (state.bays) fresh.bays = state.bays; // what the shelves reported of their bays: ownership is on disk
  // Not volatile: the record of aggregates taken in by a vserver move is on the root volume.
  if (state.movedIn) fresh.movedIn = state.movedIn;
  if (state.ownership) fresh.ownership = state.ownership;
  dropAllIo(fresh);
  return fresh;
}

function handleTimer(state: StorageState, env: StorageEnv, payload: Record<string, unknown>): void {
  if (payload.epoch !== undefined && payload.epoch !== state.epoch) return;
  switch (payload.kind) {
    case 'storage.cp-timer':
      state.timers.cp = null;
      if (state.status !== 'online') return;
      if (takeScheduledSnapshots(state, env.ctx.now)) startCp(state, env, 'snapshot');
      else if (cpNeeded(state, env)) startCp(state, env, 'timer');
      else armCpTimer(state, env);
      return;
    case DURABLE_CP_TIMER:
      state.timers.durable = null;
      if (state.status === 'online' && state.ops.durable.length > 0) startCp(state, env, 'unmirrored writes');
      return;
    case 'storage.log-fetch-timeout':
      lostLogAnswered(state, env, null);
      return;
    case 'storage.mirror-timeout':
      state.timers.mirror = null;
      if (state.ops.waiting.length > 0) mirrorFailed(state, env, 'partner not responding');
      return;
    case 'storage.recon-step':
      state.timers.recon = null;
      stepReconstruction(state, env, payload.aggregate as string, payload.group as number, payload.spare as string);
      return;
    case 'storage.scrub-step':
      stepScrub(state, env, payload.aggregate as string);
      return;
    case 'storage.heartbeat':
      state.timers.heartbeat = null;
      if (state.status !== 'online') return;
      state.mailbox.heartbeat += 1;
      writeMailbox(state, env, state.mailbox.takeoverState);
      state.timers.heartbeat = env.ctx.setTimer(MAILBOX_HEARTBEAT_US, { kind: 'storage.heartbeat', epoch: state.epoch });
      return;
    case 'storage.zero-step':
      zeroStep(state, env, payload.disk as string);
      return;
    case REPAIR_TIMER:
      repairStep(state, env, String(payload.volume), String(payload.step), (reason) => startCp(state, env, reason));
      return;
  }
}

function isFcPort(env: StorageEnv, port: string): boolean {
  return env.filer.config.fcPorts.some((fc) => fc.port === port);
}

export function handleStorageEvent(state: StorageState, env: StorageEnv, event: ActorEvent): boolean {
  const disk = env.io.accept(env.filer, event, env.ctx);
  if (disk) {
    for (const completion of disk.completions) {
      const batch = completeIo(state, completion.cookie, completion.response, env.ctx.now);
      if (batch) runContinuation(state, env, batch);
    }
    if (disk.consumed) return true;
  }
  switch (event.type) {
    case 'timer':
      if (!event.payload.kind.startsWith('storage.')) return false;
      handleTimer(state, env, event.payload);
      return true;
    case 'message': {
      const kind = event.payload.kind;
      if (kind === SHELF_DISK_REPORT_KIND && isFcPort(env, event.port)) {
        const report = event.payload as unknown as ShelfDiskReportFrame;
        if (report.health === 'failed') diskReportedFailed(state, env, report.shelf, report.bay);
        else if (report.health === 'missing') diskReportedMissing(state, env, report.shelf, report.bay);
        else diskReportedInserted(state, env, report.shelf, report.bay);
        return true;
      }
      if (kind === 'nvram.mirror-ack') { mirrorAcked(state, env, event.payload.upToSeq as number); return true; }
      if (kind === 'nvram.mirror-resync') { resendWholeLog(state, env); return true; }
      if (kind === 'nvram.fetch') {
        // The partner lost its NVRAM contents: our half mirrors its log (hardware: answered whatever our OS is doing).
        env.ctx.send(event.port, { kind: 'nvram.restore', entries: [...logEntries(env.filer.chassis.nvram.partner)] });
        return true;
      }
      if (kind === 'nvram.restore') { lostLogAnswered(state, env, (event.payload as unknown as { entries: LogEntry[] }).entries); return true; }
      if (kind === 'nvram.mirror' || kind === 'nvram.trim') {
        receiveMirror(state, env, event.port, event.payload as unknown as MirrorMessage);
        return true;
      }
      return false;
    }
    case 'link':
      // Not consumed: HA watches the interconnect too.
      if (env.filer.config.interconnectPorts.includes(event.port) && !event.up && !upInterconnect(env)) {
        mirrorFailed(state, env, 'interconnect down');
      }
      return false;
    case 'input':
      if (event.input.kind === 'fault' && event.input.fault === 'fs-corrupt') {
        const problem = corruptVolume(state, env, event.input.args[0] ?? '');
        if (problem) logEms(env.filer, env.ctx, 'wafl.fault.rejected', 'warning', problem);
        return true;
      }
      return false;
    default:
      return false;
  }
}

/** Called after os-boot's mount went online: start the disk heartbeat. */
export function startHeartbeat(state: StorageState, env: StorageEnv): void {
  if (state.timers.heartbeat !== null) return;
  state.timers.heartbeat = env.ctx.setTimer(MAILBOX_HEARTBEAT_US, { kind: 'storage.heartbeat', epoch: state.epoch });
}

/**
 * Mounts this filer's own storage from scratch: at os-boot, and for HA after a giveback or to reclaim
 * disks that `reclaimFrom` (the partner's key) still holds though it is not in takeover.
 */
export function mountOwnStorage(state: StorageState, env: StorageEnv, reclaimFrom: string | null = null): StorageState {
  const fresh = loseVolatile(state);
  fresh.reclaimFrom = reclaimFrom;
  // The disk door keeps its initiator in this slot: the fresh state must be in place before I/O.
  env.filer.subsystems[STORAGE_SUBSYSTEM] = fresh;
  beginBoot(fresh, env);
  startHeartbeat(fresh, env);
  return fresh;
}

/** HA: this filer lets go of its own storage (the partner holds it): as at a halt, nothing is mounted. */
export function unmountOwnStorage(state: StorageState, env: StorageEnv): void {
  env.filer.subsystems[STORAGE_SUBSYSTEM] = loseVolatile(state);
}

export function storageLifecycle(state: StorageState, env: StorageEnv, phase: FilerLifecycle): StorageState {
  switch (phase) {
    case 'os-boot':
      return mountOwnStorage(state, env);
    case 'power-off':
      return loseVolatile({ ...state, batteryLosses: accountWipedEntries(state.batteryLosses ?? [], state.requesters ?? {}, env.filer, env.ctx.now) });
    case 'os-halt':
    case 'panic':
      return loseVolatile(state);
    default:
      return state;
  }
}

export function summarizeStorage(state: StorageState, filer: FilerState): SummaryFragment {
  const aggregates: Record<string, string> = {};
  for (const aggregate of Object.values(state.aggregates)) aggregates[aggregate.name] = aggregate.status;
  const volumes: Record<string, string> = {};
  for (const volume of Object.values(state.volumes)) volumes[volume.name] = volume.inconsistent ? 'inconsistent' : volume.status;
  // Each RAID group's state (`raid.aggr0.rg1`: normal, degraded, reconstructing, failed) and the disks
  // this filer holds broken, by their console names: what `sysconfig -r` shows, for lab scripts.
  const raid: Record<string, Record<string, string>> = {};
  for (const aggregate of Object.values(state.aggregates)) {
    raid[aggregate.name] = Object.fromEntries(aggregate.raidGroups.map((group) => [`rg${group.index}`, groupStatus(group)]));
  }
  // A pulled disk is not broken, it is gone: `missingDisks`, until its group lets go of it.
  const lost = Object.values(state.disks).filter((record) => record.role === 'broken');
  const brokenDisks = lost.filter((record) => record.failReason !== DISK_MISSING)
    .map((record) => consoleDiskName(filer.config.fcPorts, record.address.shelf, record.address.bay) ?? record.id).sort();
  const missingDisks = lost.filter((record) => record.failReason === DISK_MISSING)
    .map((record) => consoleDiskName(filer.config.fcPorts, record.address.shelf, record.address.bay) ?? record.id).sort();
  const unownedDisks = notOwnedDisks(state).map((id) => consoleDiskName(filer.config.fcPorts, id.replace(/\.\d+$/, ''), Number(id.slice(id.lastIndexOf('.') + 1))) ?? id);
  const spareDisks = Object.values(state.disks).filter(isOwnSpare)
    .map((record) => consoleDiskName(filer.config.fcPorts, record.address.shelf, record.address.bay) ?? record.id).sort();
  // `snapshots.vol3`: each volume's snapshot names, newest first (as `snap list`); only volumes with some.
  const snapshots = Object.fromEntries(Object.values(state.volumes)
    .filter((volume) => (volume.snapshots?.length ?? 0) > 0)
    .map((volume) => [volume.name, (volume.snapshots ?? []).map((snapshot) => snapshot.name).reverse()]));
  return {
    filers: {
      [filer.config.name]: {
        storage: { status: state.status, nvram: state.log.mirror, diskAccess: state.diskAccess.state, aggregates, volumes, raid, brokenDisks, missingDisks, unownedDisks, spareDisks, cps: state.cp.count,
          nvlogEntries: filer.chassis.nvram.local.entries.length, batteryLosses: summarizeBatteryLosses(state.batteryLosses ?? []),
          mirrorAckedSeq: state.log.ackedSeq, partnerLogThrough: typeof state.mirrorIn?.expectSeq === 'number' ? state.mirrorIn.expectSeq - 1 : null,
          mirrorResyncsAsked: state.mirrorIn?.resyncsAsked ?? 0, epoch: state.epoch,
          ...(Object.keys(snapshots).length > 0 ? { snapshots } : {}) },
      },
    },
    ...repairedVolumes(state),
  };
}

/** Claim 21: `volumes.<v>.{state,repairs}` for each volume damage was found in (by its name on its owner). */
function repairedVolumes(state: StorageState): SummaryFragment {
  const repaired = Object.values(state.volumes).filter((volume) => volume.repair !== undefined);
  if (repaired.length === 0) return {};
  return { volumes: Object.fromEntries(repaired.map((volume) => [volume.name.slice(volume.name.indexOf(':') + 1), { state: volume.repair?.state, repairs: volume.repair?.repairs, problems: volume.repair?.problems }])) };
}

/** The storage subsystem carries its disk door, for code that runs in another subsystem's event. */
export interface StorageSubsystem extends FilerSubsystem<StorageState> {
  readonly diskIo: DiskIo;
}

/** Storage's environment for code that runs in another subsystem's event (a console command, HA). */
export function storageEnvDuringEvent(filer: FilerState, ctx: ActorContext): StorageEnv | null {
  const subsystem = activeListOrNone().find((candidate) => candidate.name === STORAGE_SUBSYSTEM) as StorageSubsystem | undefined;
  return subsystem ? { filer, ctx, io: subsystem.diskIo } : null;
}

/**
 * A clean halt or reboot writes everything to disk first, as the real one does (the partner's volumes
 * too, in takeover: their log entries would otherwise be stranded in this filer's NVRAM). Starts that
 * CP and returns the CP count that means it is done, or null when there is nothing to wait for.
 */
export function startShutdownCp(filer: FilerState, ctx: ActorContext): number | null {
  const state = filer.subsystems[STORAGE_SUBSYSTEM] as StorageState | undefined;
  const env = storageEnvDuringEvent(filer, ctx);
  if (!state || !env || state.status !== 'online') return null;
  const target = state.cp.count + (state.cp.running ? 2 : 1);
  startCp(state, env, 'halt');
  return target;
}

/**
 * Whether the shutdown CP is on disk (or storage went down meanwhile: nothing more to wait for). A
 * plain halt does not wait for disks it cannot reach; a negotiated shutdown does (`evenWithoutAccess`),
 * for the partner's countdown bounds it.
 */
export function shutdownCpDone(filer: FilerState, target: number, evenWithoutAccess = false): boolean {
  const state = filer.subsystems[STORAGE_SUBSYSTEM] as StorageState | undefined;
  if (!state || state.status !== 'online' || state.cp.count >= target) return true;
  return !evenWithoutAccess && state.diskAccess.state === 'lost';
}

/**
 * Called after every event: the NVRAM battery went low while the log holds entries no partner mirrors
 * (answered from local NVRAM alone, the partner down): a CP now puts them on disk before a power loss
 * can take them. Writes answered from then on wait for a CP themselves (answerUnmirrored).
 */
function flushOnLowBattery(state: StorageState, env: StorageEnv): void {
  const nvram = env.filer.chassis.nvram;
  if (nvram.batteryOk) { if (state.log.lowBatteryCp) state.log.lowBatteryCp = false; return; }
  if (state.log.lowBatteryCp || state.status !== 'online' || state.log.mirror === 'mirrored' || nvram.local.entries.length === 0) return;
  state.log.lowBatteryCp = true;
  logEms(env.filer, env.ctx, 'nvram.battery.flush', 'warning', 'NVRAM battery is low and the log is not mirrored: writing a consistency point now.');
  startCp(state, env, 'nvram-battery');
}

/** The storage subsystem over a disk door: the FC initiator in a lab, memory disks in tests. */
export function createStorageSubsystem(io: DiskIo): StorageSubsystem {
  const envOf = (filer: FilerState, ctx: ActorContext): StorageEnv => ({ filer, ctx, io });
  return {
    name: STORAGE_SUBSYSTEM,
    diskIo: io,
    create: (_config: FilerConfig, self: ActorId) => createStorageState(self),
    handle: (state, filer, event, ctx) => {
      const env = envOf(filer, ctx);
      const consumed = handleStorageEvent(state, env, event);
      stepPartnerRelease(state, env);
      stepVserverMoves(state, env);
      flushOnLowBattery(state, env);
      publishStorageView(state, ctx);
      return consumed;
    },
    lifecycle: (state, filer, phase, ctx) => {
      const next = storageLifecycle(state, envOf(filer, ctx), phase);
      publishStorageView(next, ctx);
      return next;
    },
    summarize: (state, filer) => summarizeStorage(state, filer),
  };
}
