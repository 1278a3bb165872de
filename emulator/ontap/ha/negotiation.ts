// The negotiated graceful takeover (seeds 000 claims 21-64, 002 claims 1-20; DESIGN.md §5), first part:
// A's failover monitor finds a fault that needs a takeover and asks B, with the fault type; B checks
// that it can take over before anything else and refuses with a reason, or sends "please shut down"
// and starts the countdown; A stops taking requests, writes a final CP and halts (announcing it); B
// takes over. If A is still up when the countdown ends, B forces the takeover over the interconnect.
import type { Micros } from '../../engine/actor.ts';
import { logEms } from '../ems.ts';
import { requestsPending, resumeAcceptingRequests, stopAcceptingRequests } from '../fileservice/fileservice-subsystem.ts';
import { optionNumber } from '../options/options.ts';
import { shutdownCpDone, startShutdownCp } from '../storage/storage-subsystem.ts';
import { storageOf, type HaEnv } from './ha-env.ts';
import { sendHa } from './messages.ts';
import { diagnoseFromProbe, probeAnswered, probePartnerDisks } from './diagnosis.ts';
import { diagnosisClass, faultsAsDiagnosed, monitoredFaults, NETWORK_PORTS, type MonitoredFault } from './monitor.ts';
import { partnerVservers, takeoverRefusal, transitionToTakingOverFromUp } from './takeover.ts';
import { step } from './transitions.ts';
import type { HaState } from './types.ts';
import { publishNegotiationView } from './view.ts';
import { icAlive } from './watch.ts';

/** `options cf.takeover.countdown.seconds`: how long B waits for A to shut down before forcing it. */
export function countdownUs(env: HaEnv): Micros {
  return Math.max(1, optionNumber(env.filer, 'cf.takeover.countdown.seconds', 30)) * 1_000_000;
}

/** A, every tick while up: report new faults; have one diagnosed, or ask for a takeover (once per fault). */
export function watchOwnHealth(ha: HaState, env: HaEnv): void {
  const faults = faultsAsDiagnosed(env.filer, ha.fm.partnerDiagnosis);
  for (const fault of faults) {
    if (ha.fm.reported.includes(fault.type)) continue;
    ha.fm.reported.push(fault.type);
    const severity = fault.class === 'warning' ? 'notice' : 'error';
    const outcome = fault.class === 'warning' ? 'warning only' : fault.needsDiagnosis ? 'asking partner to diagnose' : 'takeover required';
    logEms(env.filer, env.ctx, 'cf.fm.faultDetected', severity, `${fault.text}: ${outcome}.`);
  }
  ha.fm.reported = ha.fm.reported.filter((type) => faults.some((fault) => fault.type === type));
  forgetCuredFaults(ha, faults);
  const needing = faults.find((fault) => fault.class === 'takeover');
  if (!needing || ha.fm.requested !== null || ha.state !== 'up' || env.filer.config.partner === undefined || ha.shuttingDown !== null) return;
  if (needing.needsDiagnosis && ha.fm.partnerDiagnosis?.faultType !== needing.type) {
    if (ha.fm.diagnoseRequested === needing.type) return; // the verdict is on its way
    if (!sendHa(ha, env.filer, env.ctx, { kind: 'ha.diagnose-request', faultType: needing.type })) return;
    ha.fm.diagnoseRequested = needing.type;
    ha.lastShutdown = { steps: ['fault', 'diag-req'] };
    logEms(env.filer, env.ctx, 'cf.fm.diagnoseRequested', 'warning', `Cannot localise the fault (${needing.type}): asking partner ${env.filer.config.partner} to diagnose.`);
    return;
  }
  // With the interconnect down the request cannot go: the next tick tries again.
  if (!sendHa(ha, env.filer, env.ctx, { kind: 'ha.takeover-request', faultType: needing.type })) return;
  ha.fm.requested = needing.type;
  const steps = needing.needsDiagnosis && ha.lastShutdown ? ha.lastShutdown.steps : ['fault'];
  ha.lastShutdown = { steps: [...steps, 'req', 'type'] };
  logEms(env.filer, env.ctx, 'cf.fm.takeoverRequested', 'warning', `Asking partner ${env.filer.config.partner} to take over (${needing.type}).`);
}

/** A fault that is gone leaves nothing behind: no pending request, no diagnosis, no verdict. */
function forgetCuredFaults(ha: HaState, faults: readonly MonitoredFault[]): void {
  const present = (type: string | null): boolean => type !== null && faults.some((fault) => fault.type === type);
  if (ha.fm.requested !== null && !faults.some((fault) => fault.class === 'takeover')) ha.fm.requested = null;
  if (!present(ha.fm.diagnoseRequested)) ha.fm.diagnoseRequested = null;
  if (ha.fm.partnerDiagnosis !== null && !present(ha.fm.partnerDiagnosis.faultType)) ha.fm.partnerDiagnosis = null;
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

/**
 * The fault type feeds the decision (seed 002 claim 10): failed network ports are cured by a takeover
 * only if this filer's ports on the same networks work. If they are down here too, the network failed.
 */
function cannotCoverFault(env: HaEnv, faultType: string): string | null {
  if (faultType !== NETWORK_PORTS) return null;
  const ports = [...new Set(partnerVservers(env).flatMap((vserver) => vserver.addresses.map((address) => address.port)))].sort();
  const down = ports.filter((port) => env.filer.chassis.ports[port]?.link !== true);
  if (down.length === 0) return null;
  return `${env.filer.config.name}'s ports ${down.join(', ')} have no link either: the network has failed, not ${env.filer.config.partner}'s ports`;
}

/** B: A asks to be taken over. Check what can be checked at once, then probe A's disks from here. */
export function takeoverRequested(ha: HaState, env: HaEnv, faultType: string): void {
  const partner = env.filer.config.partner ?? 'partner';
  ha.negotiation.partnerFaultType = faultType;
  logEms(env.filer, env.ctx, 'cf.fm.partnerRequest', 'warning', `Partner ${partner} requests takeover (${faultType}).`);
  const reason = cannotTakeOver(ha, env) ?? cannotCoverFault(env, faultType);
  if (reason !== null) { refuseTakeover(ha, env, reason); return; }
  if (!probePartnerDisks(ha, env, 'check', faultType)) refuseTakeover(ha, env, `${env.filer.config.name} cannot probe ${partner}'s disks`);
}

/** B, every tick: a probe of A's disks is in — finish the diagnosis or the can-takeover check. */
export function watchProbe(ha: HaState, env: HaEnv): void {
  const probe = probeAnswered(ha, env);
  if (probe === null) return;
  if (probe.purpose === 'diagnose') { diagnoseFromProbe(ha, env, probe.faultType, probe.answered); return; }
  const partner = env.filer.config.partner ?? 'partner';
  if (probe.answered === 0) { refuseTakeover(ha, env, `${env.filer.config.name} cannot reach ${partner}'s disks on any loop`); return; }
  const reason = cannotTakeOver(ha, env) ?? cannotCoverFault(env, probe.faultType); // the probe took a moment: check again
  if (reason !== null) { refuseTakeover(ha, env, reason); return; }
  acceptTakeover(ha, env, probe.faultType);
}

function refuseTakeover(ha: HaState, env: HaEnv, reason: string): void {
  ha.negotiation.lastRefusal = reason;
  logEms(env.filer, env.ctx, 'cf.fm.takeoverRefused', 'error', `Takeover of ${env.filer.config.partner ?? 'partner'} not possible: ${reason}.`);
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.refusal', reason });
}

/** B: the check passed. Ask A to shut down and start the countdown. */
function acceptTakeover(ha: HaState, env: HaEnv, faultType: string): void {
  const partner = env.filer.config.partner ?? 'partner';
  const trigger = `fault:${faultType}`;
  ha.pendingTakeover = { trigger, atUs: env.ctx.now, kind: 'negotiated', steps: ['req', 'type', 'probe', 'check-ok', 'please-shutdown', 'countdown'] };
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
  const cause = steps[0] === 'op' ? 'operator' : 'fault';
  ha.shuttingDown = { cause, cpTarget: startShutdownCp(env.filer, env.ctx), sinceUs: env.ctx.now };
  logEms(env.filer, env.ctx, 'cf.fm.shutdownRequested', 'warning', `Please-shutdown from ${env.filer.config.partner}: no longer accepting requests; completing those in progress.`);
}

/**
 * A, shutting down: the fault that asked for the takeover was cured before the halt (a loop plugged
 * back, the battery charged). Take requests again, and tell the partner, which cancels its countdown.
 */
export function cancelShutdownIfCured(ha: HaState, env: HaEnv): boolean {
  if (!ha.shuttingDown || ha.shuttingDown.cause === 'operator') return false; // an operator's: no fault to cure
  if (faultsAsDiagnosed(env.filer, ha.fm.partnerDiagnosis).some((fault) => fault.class === 'takeover')) return false;
  const faultType = ha.fm.requested ?? 'fault';
  ha.shuttingDown = null;
  ha.fm.requested = null;
  resumeAcceptingRequests(env.filer);
  if (ha.lastShutdown) { step(ha.lastShutdown.steps, 'cured'); step(ha.lastShutdown.steps, 'cancel'); }
  logEms(env.filer, env.ctx, 'cf.fm.shutdownCancelled', 'notice', `Fault cured (${faultType}): shutdown cancelled; accepting requests again.`);
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.takeover-cancel', faultType });
  return true;
}

/** B: the requester's fault was cured before it halted: the countdown stops, no takeover. */
export function partnerCancelled(ha: HaState, env: HaEnv, faultType: string): void {
  const pending = ha.pendingTakeover;
  if (!pending || pending.kind !== 'negotiated' || ha.negotiation.countdown.state !== 'running') return;
  ha.pendingTakeover = null;
  ha.negotiation.countdown.state = 'cancelled';
  logEms(env.filer, env.ctx, 'cf.fm.countdownCancelled', 'notice', `Partner ${env.filer.config.partner}'s fault (${faultType}) was cured: takeover cancelled.`);
}

/** A: what was in progress is done and the final CP is on disk. Returns true when the filer may halt now. */
export function negotiatedShutdownDrained(ha: HaState, env: HaEnv): boolean {
  const shutting = ha.shuttingDown;
  if (!shutting) return false;
  // Seed 002 claim 5: what was in progress completes, and the final CP is on disk, before the halt.
  if (requestsPending(env.filer) > 0) return false;
  if (shutting.cpTarget !== null && !shutdownCpDone(env.filer, shutting.cpTarget, true)) return false;
  if (ha.lastShutdown) step(ha.lastShutdown.steps, 'drained');
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
