// Giveback (seeds 000/001, DESIGN.md §5): the taker releases the partner's addresses (its clients stall),
// takes a CP of the partner's volumes, releases their reservations and drops them from memory; then it
// tells the partner, which mounts its own storage, replays its log and only then serves again.
import { logEms } from '../ems.ts';
import { releaseVserver } from '../fileservice/vserver-service.ts';
import { releasePartnerStorage } from '../storage/partner.ts';
import { mountOwnStorage } from '../storage/storage-subsystem.ts';
import { fileServiceOf, storageEnv, storageOf, type HaEnv } from './ha-env.ts';
import { sendHa } from './messages.ts';
import { partnerVservers } from './takeover.ts';
import { faultClassOf, monitoredFaults } from './monitor.ts';
import { moveTo, step } from './transitions.ts';
import type { GivebackTrigger, HaState } from './types.ts';

const GIVEBACK_FIRST_STEP: Readonly<Record<GivebackTrigger, string>> = { command: 'cmd', forced: 'cmd', auto: 'auto', 'partner-request': 'req' };

/** Why a giveback cannot start now (`force` skips the partner-readiness check), or null. */
export function givebackRefusal(ha: HaState, force: boolean): string | null {
  if (ha.state === 'giving-back') return 'a giveback is already in progress';
  if (ha.state === 'taking-over') return 'a takeover is in progress';
  if (ha.state !== 'takeover') return 'this filer is not in takeover';
  if (!force && ha.partner.announced !== 'waiting-for-giveback') return 'the partner is not waiting for giveback (boot it first, or use -f)';
  const fault = ha.partner.faults.find((type) => faultClassOf(type) === 'takeover');
  if (!force && fault !== undefined) return `the partner still reports a fault that needs a takeover (${fault})`;
  return null;
}

/** Ticks between a waiting filer's giveback requests while the partner does not give back (5 s). */
const ASK_EVERY_TICKS = 10;

/**
 * A, waiting for giveback after a takeover its own fault asked for: once the fault is cured (it could
 * boot, so it is), ask the partner to give back (seed 000 claims 38/59), again every few seconds.
 */
export function askForGiveback(ha: HaState, env: HaEnv): void {
  if (!ha.askGivebackWhenCured || ha.heartbeatSeq % ASK_EVERY_TICKS !== 0) return;
  if (monitoredFaults(env.filer).some((fault) => fault.class === 'takeover')) return;
  if (!sendHa(ha, env.filer, env.ctx, { kind: 'ha.giveback-request' })) return;
  if (ha.lastShutdown && !ha.lastShutdown.steps.includes('giveback-req')) {
    ha.lastShutdown.steps.push('giveback-req');
    logEms(env.filer, env.ctx, 'cf.fm.givebackRequested', 'notice', `Fault cured: asking partner ${env.filer.config.partner} to give back this node's resources.`);
  }
}

/** B: the taken-over filer asks for its resources back; refused while it still reports a fault. */
export function givebackRequested(ha: HaState, env: HaEnv): void {
  if (ha.state !== 'takeover') return;
  const refusal = givebackRefusal(ha, false);
  if (refusal !== null) {
    if (ha.negotiation.lastGivebackRefusal !== refusal) {
      logEms(env.filer, env.ctx, 'cf.fm.givebackRefused', 'warning', `Giveback requested by ${env.filer.config.partner} refused: ${refusal}.`);
    }
    ha.negotiation.lastGivebackRefusal = refusal;
    return;
  }
  transitionToGivingBackFromTakeover(ha, env, 'partner-request');
}

/** takeover → giving-back: stop serving the partner's identity and hand its storage back. */
export function transitionToGivingBackFromTakeover(ha: HaState, env: HaEnv, trigger: GivebackTrigger): string | null {
  const refusal = givebackRefusal(ha, trigger === 'forced');
  if (refusal !== null) return refusal;
  const storage = storageOf(env.filer);
  if (!storage) return 'storage is not running';
  ha.lastGiveback = { trigger, atUs: env.ctx.now, doneAtUs: null, steps: [GIVEBACK_FIRST_STEP[trigger]] };
  moveTo(ha, env, 'giving-back');
  logEms(env.filer, env.ctx, 'cf.fm.givebackStarted', 'notice', `Cluster monitor: giveback of ${env.filer.config.partner} started`);
  const fs = fileServiceOf(env.filer);
  if (fs) for (const vserver of partnerVservers(env)) releaseVserver(fs, env.filer, env.ctx, vserver.name);
  step(ha.lastGiveback.steps, 'ifdown');
  const released = releasePartnerStorage(storage, storageEnv(env));
  if (typeof released !== 'number' && released !== 'not-mounted') {
    logEms(env.filer, env.ctx, 'cf.fm.givebackFailed', 'error', `Giveback could not release the partner's storage (${released}); still in takeover.`);
    moveTo(ha, env, 'takeover');
    return `the partner's storage could not be released (${released})`;
  }
  step(ha.lastGiveback.steps, 'drain');
  return null;
}

/** After every event while giving back: once the partner's disks are released, hand back and go up. */
export function progressGiveback(ha: HaState, env: HaEnv): void {
  const record = ha.lastGiveback;
  const mount = storageOf(env.filer)?.partner;
  if (ha.state !== 'giving-back' || !record) return;
  if (mount && mount.status !== 'released') return;
  step(record.steps, 'release');
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.giveback' });
  step(record.steps, 'handback');
  delete env.filer.chassis.nvram.partner.shutdown; // the partner is back: its shutdown record is spent
  record.doneAtUs = env.ctx.now;
  ha.partner.waitingSinceUs = null;
  moveTo(ha, env, 'up');
  logEms(env.filer, env.ctx, 'cf.fm.givebackComplete', 'notice', `Cluster monitor: giveback of ${env.filer.config.partner} completed`);
}

/** The home filer, waiting: its disks are free again; mount them, replay, then serve (booting goes on). */
export function transitionToDownFromWaiting(ha: HaState, env: HaEnv): void {
  if (ha.state !== 'waiting-for-giveback') return;
  const storage = storageOf(env.filer);
  env.ctx.console('\r\nGiveback received from partner: mounting this node\'s storage.\r\n');
  logEms(env.filer, env.ctx, 'cf.fsm.givebackReceived', 'notice', `Partner ${env.filer.config.partner} has given back this node's resources.`);
  ha.askGivebackWhenCured = false;
  delete env.filer.chassis.nvram.local.shutdown; // given back: the shutdown it recorded is over
  moveTo(ha, env, 'down');
  if (storage) mountOwnStorage(storage, storageEnv(env));
}
