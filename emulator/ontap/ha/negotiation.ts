// The negotiated graceful takeover (seeds 000 claims 21-64, 002 claims 1-20; DESIGN.md §5), first part:
// A's failover monitor finds a fault that needs a takeover and asks B, with the fault type; B checks
// that it can take over before anything else and refuses with a reason, or sends "please shut down"
// and starts the countdown; A stops taking requests, writes a final CP and halts (announcing it); B
// takes over. If A is still up when the countdown ends, B forces the takeover over the interconnect.
import type { Micros } from '../../engine/actor.ts';
import { logEms } from '../ems.ts';
import { stopAcceptingRequests } from '../fileservice/fileservice-subsystem.ts';
import { optionNumber } from '../options/options.ts';
import { shutdownCpDone, startShutdownCp } from '../storage/storage-subsystem.ts';
import { storageOf, type HaEnv } from './ha-env.ts';
import { sendHa } from './messages.ts';
import { diagnosisClass, monitoredFaults } from './monitor.ts';
import { takeoverRefusal, transitionToTakingOverFromUp } from './takeover.ts';
import { step } from './transitions.ts';
import type { HaState } from './types.ts';
import { publishNegotiationView } from './view.ts';
import { icAlive } from './watch.ts';

/** `options cf.takeover.countdown.seconds`: how long B waits for A to shut down before forcing it. */
export function countdownUs(env: HaEnv): Micros {
  return Math.max(1, optionNumber(env.filer, 'cf.takeover.countdown.seconds', 30)) * 1_000_000;
}

/** A, every tick while up: report new faults; ask for a takeover when one needs it (once per fault). */
export function watchOwnHealth(ha: HaState, env: HaEnv): void {
  const faults = monitoredFaults(env.filer);
  for (const fault of faults) {
    if (ha.fm.reported.includes(fault.type)) continue;
    ha.fm.reported.push(fault.type);
    const severity = fault.class === 'warning' ? 'notice' : 'error';
    logEms(env.filer, env.ctx, 'cf.fm.faultDetected', severity, `${fault.text}: ${fault.class === 'warning' ? 'warning only' : 'takeover required'}.`);
  }
  ha.fm.reported = ha.fm.reported.filter((type) => faults.some((fault) => fault.type === type));
  const needing = faults.find((fault) => fault.class === 'takeover');
  if (ha.fm.requested !== null && !needing) ha.fm.requested = null;
  if (!needing || ha.fm.requested !== null || ha.state !== 'up' || env.filer.config.partner === undefined) return;
  ha.fm.requested = needing.type;
  ha.lastShutdown = { steps: ['fault', 'req', 'type'] };
  logEms(env.filer, env.ctx, 'cf.fm.takeoverRequested', 'warning', `Asking partner ${env.filer.config.partner} to take over (${needing.type}).`);
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.takeover-request', faultType: needing.type });
}

/** Why B cannot take A over now (the can-takeover check of seed 000 claims 27/48), or null. */
function cannotTakeOver(ha: HaState, env: HaEnv): string | null {
  if (!ha.enabled) return 'cluster failover is disabled';
  const refusal = takeoverRefusal(ha, env);
  if (refusal !== null) return refusal;
  if (diagnosisClass(monitoredFaults(env.filer)) === 'takeover') return `${env.filer.config.name} has a fault of its own`;
  if (storageOf(env.filer)?.diskAccess.state === 'lost') return `${env.filer.config.name} has lost access to its disks`;
  if (!ha.partner.mirrorInSync) return 'NVRAM not in sync';
  return null;
}

/** B: A asks to be taken over. Check first; refuse, or ask A to shut down and start the countdown. */
export function takeoverRequested(ha: HaState, env: HaEnv, faultType: string): void {
  const partner = env.filer.config.partner ?? 'partner';
  ha.negotiation.partnerFaultType = faultType;
  logEms(env.filer, env.ctx, 'cf.fm.partnerRequest', 'warning', `Partner ${partner} requests takeover (${faultType}).`);
  const reason = cannotTakeOver(ha, env);
  if (reason !== null) {
    ha.negotiation.lastRefusal = reason;
    logEms(env.filer, env.ctx, 'cf.fm.takeoverRefused', 'error', `Takeover of ${partner} not possible: ${reason}.`);
    sendHa(ha, env.filer, env.ctx, { kind: 'ha.refusal', reason });
    return;
  }
  const trigger = `fault:${faultType}`;
  ha.pendingTakeover = { trigger, atUs: env.ctx.now, kind: 'negotiated', steps: ['req', 'type', 'check-ok', 'please-shutdown', 'countdown'] };
  const endsAtUs = env.ctx.now + countdownUs(env);
  ha.negotiation.countdown = { state: 'running', starts: ha.negotiation.countdown.starts + 1, endsAtUs };
  logEms(env.filer, env.ctx, 'cf.fm.takeoverCheck', 'notice', `Takeover check: ${partner}'s disks reachable, NVRAM in sync, takeover enabled: OK. Please-shutdown sent; countdown ${Math.round((endsAtUs - env.ctx.now) / 1_000_000)} s.`);
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.please-shutdown', trigger });
  publishNegotiationView(ha, env);
}

/** A: the partner refused. Stay up, degraded, and say so. */
export function takeoverRefused(ha: HaState, env: HaEnv, reason: string): void {
  ha.negotiation.lastRefusal = reason;
  logEms(env.filer, env.ctx, 'cf.fm.partnerRefused', 'error', `Partner refused takeover (${reason}); continuing degraded.`);
}

/** A: asked to shut down. Refuse new requests, write a final CP, then halt (tick/afterEvent finish it). */
export function beginNegotiatedShutdown(ha: HaState, env: HaEnv): void {
  const steps = ha.lastShutdown?.steps ?? [];
  ha.lastShutdown = { steps };
  step(steps, 'shutdown-rcvd');
  stopAcceptingRequests(env.filer);
  step(steps, 'refuse-new');
  ha.shuttingDown = { cpTarget: startShutdownCp(env.filer, env.ctx), sinceUs: env.ctx.now };
  logEms(env.filer, env.ctx, 'cf.fm.shutdownRequested', 'warning', `Please-shutdown from ${env.filer.config.partner}: no longer accepting requests; completing those in progress.`);
}

/** A: the final CP is on disk. Returns true when the filer may halt now. */
export function negotiatedShutdownDrained(ha: HaState, env: HaEnv): boolean {
  const shutting = ha.shuttingDown;
  if (!shutting) return false;
  if (shutting.cpTarget !== null && !shutdownCpDone(env.filer, shutting.cpTarget)) return false;
  const steps = ha.lastShutdown?.steps ?? [];
  step(steps, 'drained');
  step(steps, 'save-state');
  step(steps, 'hb-stop');
  step(steps, 'halt');
  return true;
}

/** B, every tick: the countdown runs out with A still up: force it (seed 000 claims 34/55). */
export function watchCountdown(ha: HaState, env: HaEnv): void {
  // The window's view as of this tick, right after watchOwnHealth (view.ts publishes only changes).
  publishNegotiationView(ha, env);
  const pending = ha.pendingTakeover;
  const countdown = ha.negotiation.countdown;
  if (!pending || pending.kind !== 'negotiated' || countdown.state !== 'running' || countdown.endsAtUs === null) return;
  if (env.ctx.now < countdown.endsAtUs) return;
  countdown.state = 'expired';
  if (!icAlive(ha, env) && ha.partner.announced !== 'up') return; // it went down: the halt path takes over
  logEms(env.filer, env.ctx, 'cf.fm.countdownExpired', 'error', `${env.filer.config.partner} still up after the countdown; forcing takeover.`);
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.takeover-command' });
  transitionToTakingOverFromUp(ha, env, 'forced-countdown', pending.trigger, [...(pending.steps ?? []), 'forced', 'hb-lost']);
}
