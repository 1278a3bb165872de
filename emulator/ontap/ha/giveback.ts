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
import { moveTo, step } from './transitions.ts';
import type { GivebackTrigger, HaState } from './types.ts';

/** Why a giveback cannot start now (`force` skips the partner-readiness check), or null. */
export function givebackRefusal(ha: HaState, force: boolean): string | null {
  if (ha.state === 'giving-back') return 'a giveback is already in progress';
  if (ha.state === 'taking-over') return 'a takeover is in progress';
  if (ha.state !== 'takeover') return 'this filer is not in takeover';
  if (!force && ha.partner.announced !== 'waiting-for-giveback') return 'the partner is not waiting for giveback (boot it first, or use -f)';
  return null;
}

/** takeover → giving-back: stop serving the partner's identity and hand its storage back. */
export function transitionToGivingBackFromTakeover(ha: HaState, env: HaEnv, trigger: GivebackTrigger): string | null {
  const refusal = givebackRefusal(ha, trigger === 'forced');
  if (refusal !== null) return refusal;
  const storage = storageOf(env.filer);
  if (!storage) return 'storage is not running';
  ha.lastGiveback = { trigger, atUs: env.ctx.now, doneAtUs: null, steps: [trigger === 'auto' ? 'auto' : 'cmd'] };
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
  moveTo(ha, env, 'down');
  if (storage) mountOwnStorage(storage, storageEnv(env));
}
