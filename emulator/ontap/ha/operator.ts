// What the operator asks of HA from the console (`cf …`, `halt`): each returns the lines to print, so
// the commands stay thin and HA keeps every decision. Refusals name their reason as the real product's.
import { logEms } from '../ems.ts';
import { appliesToBothNodes, setOption } from '../options/options.ts';
import { partnerChangedDiskOwner } from '../storage/disk-admin.ts';
import { transitionToGivingBackFromTakeover } from './giveback.ts';
import { haOf, storageOf, type HaEnv } from './ha-env.ts';
import { sendHa } from './messages.ts';
import { takeoverRefusal, transitionToTakingOverFromUp } from './takeover.ts';
import { publishHaView } from './view.ts';
import { icAlive } from './watch.ts';
import type { HaState } from './types.ts';

export type OperatorAnswer = { readonly ok: boolean; readonly lines: readonly string[] };

const refused = (line: string): OperatorAnswer => ({ ok: false, lines: [line] });

function haOrRefusal(env: HaEnv): HaState | OperatorAnswer {
  const ha = haOf(env.filer);
  if (!ha || env.filer.config.partner === undefined) return refused('cf: this filer is not in an HA pair.');
  return ha;
}

/** `cf takeover`: checks, then asks the partner to shut down; the takeover starts when it is down. */
export function operatorTakeover(env: HaEnv): OperatorAnswer {
  const ha = haOrRefusal(env);
  if (!('state' in ha)) return ha;
  const partner = env.filer.config.partner as string;
  if (!ha.enabled) return refused('cf: takeover disabled: cluster failover is disabled (cf enable).');
  const refusal = takeoverRefusal(ha, env);
  if (refusal !== null) return refused(`cf: takeover cannot proceed: ${refusal}.`);
  if (ha.pendingTakeover !== null) return refused(`cf: takeover cannot proceed: a takeover of ${partner} is already under way.`);
  if (!icAlive(ha, env) || ha.partner.announced !== 'up') {
    return refused(`cf: takeover cannot proceed: partner ${partner} is not up (use cf forcetakeover).`);
  }
  if (!ha.partner.mirrorInSync) return refused('cf: takeover cannot proceed: NVRAM mirror is not in sync (use cf forcetakeover).');
  const trigger = `operator@${env.filer.config.name}`;
  ha.pendingTakeover = { trigger, atUs: env.ctx.now };
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.please-shutdown', trigger });
  logEms(env.filer, env.ctx, 'cf.misc.operatorTakeover', 'notice', `Failover monitor: takeover of ${partner} initiated by operator.`);
  return { ok: true, lines: [`cf: takeover initiated by operator; ${partner} is shutting down.`] };
}

/** `cf forcetakeover`: takes over whatever the partner's state; its disks are fenced by the preempt. */
export function operatorForceTakeover(env: HaEnv): OperatorAnswer {
  const ha = haOrRefusal(env);
  if (!('state' in ha)) return ha;
  const refusal = takeoverRefusal(ha, env);
  if (refusal !== null) return refused(`cf: forcetakeover cannot proceed: ${refusal}.`);
  logEms(env.filer, env.ctx, 'cf.misc.operatorForcedTakeover', 'warning', `Failover monitor: forced takeover of ${env.filer.config.partner} initiated by operator.`);
  transitionToTakingOverFromUp(ha, env, 'forcetakeover', `operator@${env.filer.config.name}`, ['op', 'forced']);
  return { ok: true, lines: [] };
}

/** `cf giveback [-f]` and `cf forcegiveback`. */
export function operatorGiveback(env: HaEnv, force: boolean): OperatorAnswer {
  const ha = haOrRefusal(env);
  if (!('state' in ha)) return ha;
  const refusal = transitionToGivingBackFromTakeover(ha, env, force ? 'forced' : 'command');
  if (refusal !== null) return refused(`cf: giveback cannot proceed: ${refusal}.`);
  return { ok: true, lines: [`cf: giveback of ${env.filer.config.partner} started.`] };
}

/** `cf enable|disable`: for both filers (the partner hears it over the interconnect). */
export function operatorEnable(env: HaEnv, enabled: boolean): OperatorAnswer {
  const ha = haOrRefusal(env);
  if (!('state' in ha)) return ha;
  ha.enabled = enabled;
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.cf-enable', enabled });
  publishHaView(ha, env);
  logEms(env.filer, env.ctx, 'cf.misc.operatorEnable', 'info', `Cluster failover ${enabled ? 'enabled' : 'disabled'} by the operator.`);
  return { ok: true, lines: [] };
}

/**
 * `options cf.…`: an option of the pair, set here, is sent to the partner, which sets it too. False when
 * the partner cannot be told now (no interconnect link up): the operator sets it there.
 */
export function operatorPairOption(env: HaEnv, name: string, value: string): boolean {
  const ha = haOf(env.filer);
  return !!ha && env.filer.config.partner !== undefined && sendHa(ha, env.filer, env.ctx, { kind: 'ha.option', name, value });
}

/**
 * `disk assign`: this filer took a disk or gave one up; the partner is told over the interconnect so its
 * `disk show` follows. False when no interconnect link is up.
 */
export function operatorDiskOwner(env: HaEnv, disk: string, change: 'taken' | 'released'): boolean {
  const ha = haOf(env.filer);
  return !!ha && env.filer.config.partner !== undefined && sendHa(ha, env.filer, env.ctx, { kind: 'ha.disk-owner', disk, change });
}

/** The partner took or gave up a disk: this filer's view of who owns it follows. */
export function partnerDiskOwner(env: HaEnv, disk: string, change: 'taken' | 'released'): void {
  const storage = storageOf(env.filer);
  if (storage) partnerChangedDiskOwner(storage, disk, change);
}

/** The partner set an option of the pair: it takes effect here too, if valid here. */
export function partnerSetOption(env: HaEnv, name: string, value: string): void {
  if (!appliesToBothNodes(name) || setOption(env.filer, name, value) !== 'ok') return;
  logEms(env.filer, env.ctx, 'mgr.opt.changed', 'info', `Option ${name} changed to ${value} by the partner ${env.filer.config.partner ?? ''}.`.replace(' .', '.'));
}

/**
 * `halt` / `reboot`: a plain `halt` asks the partner to take over (announced as the OS goes down);
 * `halt -f` and `reboot` go down in notakeover mode. Returns the line to print before halting.
 */
export function prepareHalt(env: HaEnv, how: 'halt' | 'reboot', force: boolean): string | null {
  const ha = haOf(env.filer);
  const partner = env.filer.config.partner;
  if (!ha || partner === undefined) return null;
  const takeover = how === 'halt' && !force && ha.enabled && ha.state === 'up' && storageOf(env.filer)?.status === 'online';
  ha.haltMode = takeover ? 'takeover' : 'notakeover';
  return takeover ? `halt: asking partner ${partner} to take over.` : null;
}
