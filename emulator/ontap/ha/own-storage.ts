// This filer's own storage as HA sees it: coming up when storage is online, waiting for giveback when
// the partner holds the disks, halting when fenced, and the two ways out of a wait that no giveback will
// end: the partner resumes a takeover it went down in, or this filer reclaims its disks.
import { withdrawHomeService } from '../fileservice/fileservice-subsystem.ts';
import { logEms } from '../ems.ts';
import { logEntries } from '../storage/nvram-log.ts';
import { mountOwnStorage, unmountOwnStorage } from '../storage/storage-subsystem.ts';
import { fileServiceOf, storageEnv, storageOf, type HaEnv } from './ha-env.ts';
import { haltTakenOver } from './halt.ts';
import { transitionToTakingOverFromUp } from './takeover.ts';
import { moveTo } from './transitions.ts';
import type { HaState } from './types.ts';

/** Ticks the partner must announce itself up (not in takeover) before a waiting filer reclaims its disks. */
const RECLAIM_AFTER_TICKS = 4;

/**
 * This filer went down in takeover (a panic) with writes to the partner's volumes only in its own
 * NVRAM, and the partner waits for giveback: resume the takeover, which replays them, rather than let
 * the partner reclaim its disks without them. Giveback then goes as usual.
 */
export function considerResume(ha: HaState, env: HaEnv): void {
  const partner = env.filer.config.partner;
  if (ha.state !== 'up' || partner === undefined || ha.partner.announced !== 'waiting-for-giveback') return;
  const prefix = `${partner}:`;
  if (!logEntries(env.filer.chassis.nvram.local).some((entry) => entry.aggregate.startsWith(prefix))) return;
  logEms(env.filer, env.ctx, 'cf.fsm.resumeTakeover', 'notice', `This node went down in takeover of ${partner} with its log entries in NVRAM: resuming the takeover.`);
  transitionToTakingOverFromUp(ha, env, 'hard', 'resume', ['resume']);
}

/**
 * Waiting for a giveback that cannot come: the partner is up and not in takeover (it went down while
 * holding our disks and came back knowing nothing of it). After a few steady heartbeats that say so,
 * this filer reclaims its disks (preempting the partner's stale reservation) and boots on.
 */
export function considerReclaim(ha: HaState, env: HaEnv): void {
  // The partner up, or waiting as we are (two forced takeovers fenced each other): neither holds the
  // other in takeover, so each takes its own disks back.
  const partnerUp = (ha.partner.announced === 'up' || ha.partner.announced === 'waiting-for-giveback') && ha.partner.seen.ic === 'ok';
  ha.partnerUpWhileWaitingTicks = partnerUp ? ha.partnerUpWhileWaitingTicks + 1 : 0;
  const storage = storageOf(env.filer);
  if (ha.partnerUpWhileWaitingTicks < RECLAIM_AFTER_TICKS || !storage || !env.filer.config.partnerSystemId) return;
  ha.partnerUpWhileWaitingTicks = 0;
  env.ctx.console(`\r\nPartner ${env.filer.config.partner} is up and not in takeover mode: reclaiming this node's disks.\r\n`);
  logEms(env.filer, env.ctx, 'cf.fsm.partnerNotInTakeover', 'notice', `Partner ${env.filer.config.partner} is not in takeover mode; this node reclaims its disks.`);
  moveTo(ha, env, 'down');
  mountOwnStorage(storage, storageEnv(env), env.filer.config.partnerSystemId);
}

/** The partner cannot hold a mirror of our writes: we hold its identity, or it said it went down. */
export function partnerKnownDown(ha: HaState): boolean {
  if (ha.state === 'takeover' || ha.state === 'taking-over' || ha.state === 'giving-back') return true;
  const announced = ha.partner.announced;
  return ha.partner.haltedNoTakeover || announced === 'down' || announced === 'waiting-for-giveback';
}

/** Boot and fencing: come up with storage, wait when the partner holds our disks, halt when fenced. */
export function watchOwnStorage(ha: HaState, env: HaEnv): void {
  const storage = storageOf(env.filer);
  if (!storage || !env.filer.config.partner) {
    if (ha.state === 'down' && storage?.status === 'online') moveTo(ha, env, 'up');
    return;
  }
  if (ha.state === 'down' && ha.osBooted) {
    if (storage.status === 'online') moveTo(ha, env, 'up');
    else if (storage.reservationConflict) startWaiting(ha, env);
    return;
  }
  // A write to our own disks hit the partner's reservation: we were taken over while we thought we
  // were up (or while we thought we had taken it over: two forced takeovers at once). Halt, whatever
  // this filer believed: serving beside the partner would be a split brain.
  if ((ha.state === 'up' || ha.state === 'takeover' || ha.state === 'taking-over' || ha.state === 'giving-back') && storage.reservationConflict) {
    haltTakenOver(ha, env, 'disk');
  }
}

/** down → waiting-for-giveback: the partner holds this filer's disks. Print the real waiting block. */
export function startWaiting(ha: HaState, env: HaEnv): void {
  moveTo(ha, env, 'waiting-for-giveback');
  // The boot may have mounted our disks already (their reservations lost in a shelf power cycle): the
  // partner serves our identity, so this filer lets go of its storage and serves nothing.
  const storage = storageOf(env.filer);
  if (storage && storage.status !== 'down') unmountOwnStorage(storage, storageEnv(env));
  const fs = fileServiceOf(env.filer);
  if (fs) withdrawHomeService(fs, env.filer, env.ctx);
  if (ha.waitingShown) return;
  ha.waitingShown = true;
  env.ctx.console([
    '', 'Waiting for giveback...(Press Ctrl-C to abort wait)', 'This node was previously declared dead.',
    'Pausing to check HA partner status ...', 'partner is operational and in takeover mode.',
    'You must initiate a giveback or shutdown on the HA partner in order to bring this node online.', '',
  ].join('\r\n'));
}
