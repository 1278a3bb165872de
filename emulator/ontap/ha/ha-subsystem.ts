// The HA subsystem of a filer (slot 'ha', DESIGN.md §5): the cf state machine beside storage, file
// service and console. It beats and watches the partner (watch.ts), takes over (takeover.ts), gives
// back (giveback.ts), negotiates a takeover on a fault (negotiation.ts), keeps a filer that booted
// while taken over waiting and halts one whose partner has taken it over (own-storage.ts, halt.ts).
// Its invariants are checked after every event (invariants.ts).
import type { ActorContext, ActorEvent } from '../../engine/actor.ts';
import type { FilerLifecycle, FilerState, FilerSubsystem } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import { optionValue } from '../options/options.ts';
import type { DiskIo } from '../storage/disk-io.ts';
import { reassertPartnerReservations } from '../storage/partner.ts';
import { progressGiveback, transitionToDownFromWaiting } from './giveback.ts';
import { storageEnv, storageOf, type HaEnv } from './ha-env.ts';
import { haltOs, haltTakenOver } from './halt.ts';
import { checkHaInvariants } from './invariants.ts';
import { counterName, parseHaMessage, sendHa, type HaMessage } from './messages.ts';
import { compilationReceived, sendCompilation } from './compilation.ts';
import { diagnoseRequested, diagnosisReceived } from './diagnosis.ts';
import { askForGiveback, givebackRequested } from './giveback.ts';
import {
  beginNegotiatedShutdown, cancelShutdownIfCured, negotiatedShutdownDrained, partnerCancelled, takeoverRefused, takeoverRequested,
  watchCountdown, watchOwnHealth, watchProbe,
} from './negotiation.ts';
import { checkPairOptions } from './option-match.ts';
import { considerReclaim, considerResume, partnerKnownDown, startWaiting, watchOwnStorage } from './own-storage.ts';
import { HA_SUBSYSTEM } from './slots.ts';
import { summarizeHa } from './summary.ts';
import { progressTakeover, transitionToTakingOverFromUp } from './takeover.ts';
import { step } from './transitions.ts';
import { createFailoverMonitorState, createHaState, createPartnerWatch, type HaState } from './types.ts';
import { partnerDiskOwner, partnerSetOption } from './operator.ts';
import { publishHaView } from './view.ts';
import { HA_TICK_US, haTick } from './watch.ts';

const TICK = 'ha.tick';
/** How long a `cf takeover` waits for the partner to announce its halt before taking over anyway. */
const SHUTDOWN_WAIT_US = 5_000_000;

export function createHaSubsystem(io: DiskIo): FilerSubsystem<HaState> {
  const envOf = (filer: FilerState, ctx: ActorContext): HaEnv => ({ filer, ctx, io });
  return {
    name: HA_SUBSYSTEM,
    create: () => createHaState(),
    handle: (ha, filer, event, ctx) => handleHaEvent(ha, envOf(filer, ctx), event),
    lifecycle: (ha, filer, phase, ctx) => haLifecycle(ha, envOf(filer, ctx), phase),
    afterEvent: (ha, filer, ctx) => afterHaEvent(ha, envOf(filer, ctx)),
    summarize: (ha, filer) => summarizeHa(ha, filer),
  };
}

function handleHaEvent(ha: HaState, env: HaEnv, event: ActorEvent): boolean {
  switch (event.type) {
    case 'timer':
      if (event.payload.kind !== TICK) return false;
      if (event.payload['epoch'] === ha.epoch) tick(ha, env);
      return true;
    case 'message': {
      if (!event.payload.kind.startsWith('ha.')) return false;
      if (!env.filer.config.interconnectPorts.includes(event.port)) return true;
      const message = parseHaMessage(event.payload);
      if (message === null) {
        ha.counters.recv['malformed'] = (ha.counters.recv['malformed'] ?? 0) + 1;
        return true;
      }
      if (!ha.osBooted && message.kind !== 'ha.heartbeat') return true;
      receive(ha, env, message, event.port);
      return true;
    }
    default:
      return false;
  }
}

/** Ticks between re-assertions of the partner's disk reservations while in takeover (5 s). */
const REASSERT_EVERY_TICKS = 10;

function tick(ha: HaState, env: HaEnv): void {
  haTick(ha, env);
  const storage = storageOf(env.filer);
  if (ha.state === 'takeover' && storage && ha.heartbeatSeq % REASSERT_EVERY_TICKS === 0) reassertPartnerReservations(storage, storageEnv(env));
  if (ha.state === 'waiting-for-giveback') considerReclaim(ha, env);
  if (ha.state === 'up') considerResume(ha, env);
  if (ha.state === 'up') watchOwnHealth(ha, env);
  if (ha.state === 'up') watchProbe(ha, env);
  if (ha.state === 'up') watchCountdown(ha, env);
  if (ha.state === 'waiting-for-giveback') askForGiveback(ha, env);
  const pending = ha.pendingTakeover;
  // The partner never announced its halt (hung?): take over anyway; its disks are fenced by the preempt.
  if (pending && (pending.kind ?? 'operator') === 'operator' && ha.state === 'up' && env.ctx.now - pending.atUs >= SHUTDOWN_WAIT_US) {
    transitionToTakingOverFromUp(ha, env, 'operator', pending.trigger, ['op', 'please-shutdown', 'hb-lost']);
  }
  env.ctx.setTimer(HA_TICK_US, { kind: TICK, epoch: ha.epoch });
}

function receive(ha: HaState, env: HaEnv, message: HaMessage, port: string): void {
  const name = counterName(message.kind);
  ha.counters.recv[name] = (ha.counters.recv[name] ?? 0) + 1;
  switch (message.kind) {
    case 'ha.heartbeat': return heartbeatHeard(ha, env, message, port);
    case 'ha.please-shutdown': return shutdownForPartner(ha, env, message.trigger);
    case 'ha.halting': return partnerHalting(ha, env, message.mode, message.trigger);
    case 'ha.panic': return partnerPanicked(ha, env);
    case 'ha.giveback': return transitionToDownFromWaiting(ha, env);
    case 'ha.cf-enable': ha.enabled = message.enabled; publishHaView(ha, env); return;
    case 'ha.option': partnerSetOption(env, message.name, message.value); return;
    case 'ha.disk-owner': partnerDiskOwner(env, message.disk, message.change); return;
    case 'ha.takeover-request': if (ha.state === 'up') takeoverRequested(ha, env, message.faultType); return;
    case 'ha.refusal': takeoverRefused(ha, env, message.reason); return;
    case 'ha.takeover-command':
      if (ha.state !== 'up') return;
      if (ha.lastShutdown) step(ha.lastShutdown.steps, 'forced-halt');
      sendCompilation(ha, env);
      ha.askGivebackWhenCured = ha.lastShutdown?.steps[0] === 'fault';
      haltTakenOver(ha, env, 'ic');
      return;
    case 'ha.diagnose-request': if (ha.state === 'up') diagnoseRequested(ha, env, message.faultType); return;
    case 'ha.diagnosis': diagnosisReceived(ha, env, message.faultType, message.verdict, message.detail); return;
    case 'ha.takeover-cancel': partnerCancelled(ha, env, message.faultType); return;
    case 'ha.giveback-request': givebackRequested(ha, env); return;
    case 'ha.compilation': compilationReceived(ha, env, message.cause, message.atUs, message.requests); return;
  }
}

function heartbeatHeard(ha: HaState, env: HaEnv, message: Extract<HaMessage, { kind: 'ha.heartbeat' }>, port: string): void {
  const partner = ha.partner;
  partner.icHeardUs[port] = env.ctx.now;
  if (message.state === 'waiting-for-giveback' && partner.announced !== 'waiting-for-giveback') partner.waitingSinceUs = env.ctx.now;
  if (message.state !== 'down') partner.haltedNoTakeover = false;
  partner.announced = message.state;
  partner.mirrorInSync = message.mirrorInSync;
  partner.faults = [...message.faults];
  checkPairOptions(ha, env, message.pairOptions ?? {});
  considerResume(ha, env);
  if (message.state === 'takeover') ha.counters.recv['stayDown'] = (ha.counters.recv['stayDown'] ?? 0) + 1;
  // The partner holds our identity: if we are serving, we were taken over (forcetakeover, or we were
  // hung) and must halt; if we are booting, we wait for giveback.
  if (message.state === 'takeover' || message.state === 'taking-over') {
    if (ha.state === 'up') haltTakenOver(ha, env, 'ic');
    else if (ha.state === 'down' && ha.osBooted && storageOf(env.filer)?.status !== 'online') startWaiting(ha, env);
  }
}

/** `cf takeover` on the partner: halt now, announcing that the partner takes over. */
function shutdownForPartner(ha: HaState, env: HaEnv, trigger: string): void {
  if (ha.state !== 'up') return;
  if (ha.shuttingDown !== null) return;
  // Negotiated, this filer asked. Or an operator's `cf takeover` on the partner (seed 001 claim 22):
  // either way it refuses new requests, completes those in progress, writes a final CP and halts.
  if (!trigger.startsWith('fault:')) {
    logEms(env.filer, env.ctx, 'cf.fsm.takeoverByPartnerStarted', 'warning', `Takeover of this node by ${env.filer.config.partner} (${trigger}): shutting down.`);
    ha.lastShutdown = { steps: ['op'] };
  }
  beginNegotiatedShutdown(ha, env);
}

function partnerHalting(ha: HaState, env: HaEnv, mode: 'takeover' | 'notakeover', trigger: string): void {
  if (mode === 'notakeover') {
    ha.partner.haltedNoTakeover = true;
    ha.partner.announced = 'down';
    logEms(env.filer, env.ctx, 'cf.fsm.partnerNotResponding', 'notice', `Partner ${env.filer.config.partner} halted in notakeover mode.`);
    return;
  }
  ha.partner.announced = 'down';
  if (ha.state !== 'up') return;
  const pending = ha.pendingTakeover;
  if (pending && ha.negotiation.countdown.state === 'running') ha.negotiation.countdown.state = 'idle';
  if (pending) transitionToTakingOverFromUp(ha, env, pending.kind ?? 'operator', pending.trigger, [...(pending.steps ?? ['op', 'please-shutdown']), 'hb-lost']);
  else transitionToTakingOverFromUp(ha, env, 'operator', trigger, ['req', 'hb-lost']);
}

function partnerPanicked(ha: HaState, env: HaEnv): void {
  ha.partner.announced = 'down';
  logEms(env.filer, env.ctx, 'cf.fsm.partnerPanicked', 'warning', `Partner ${env.filer.config.partner} has panicked.`);
  if (ha.state === 'up' && ha.enabled) transitionToTakingOverFromUp(ha, env, 'hard', 'panic', ['panic', 'hb-lost']);
}

function haLifecycle(ha: HaState, env: HaEnv, phase: FilerLifecycle): HaState {
  switch (phase) {
    case 'os-boot': {
      const fresh: HaState = {
        ...createHaState(), enabled: ha.enabled, epoch: ha.epoch + 1, upSinceUs: env.ctx.now, osBooted: true,
        partner: createPartnerWatch(env.ctx.now), lastTakeover: ha.lastTakeover, lastGiveback: ha.lastGiveback, counters: ha.counters,
        lastShutdown: ha.lastShutdown, negotiation: ha.negotiation, askGivebackWhenCured: ha.askGivebackWhenCured, compilation: ha.compilation,
        violations: ha.violations,
      };
      env.ctx.setTimer(0, { kind: TICK, epoch: fresh.epoch });
      publishHaView(fresh, env);
      return fresh;
    }
    case 'os-halt':
      sendHa(ha, env.filer, env.ctx, { kind: 'ha.halting', mode: haltModeNow(ha), trigger: `operator@${env.filer.config.name}` });
      return goDown(ha, env);
    case 'panic':
      if (optionValue(env.filer, 'cf.takeover.on_panic') === 'on') sendHa(ha, env.filer, env.ctx, { kind: 'ha.panic' });
      return goDown(ha, env);
    case 'power-off':
      return goDown(ha, env);
    case 'hang':
      // A hung CPU does nothing (no heartbeat, no timer): its state stays as it was.
      return ha;
    case 'resume':
      return resumeAfterHang(ha, env);
    default:
      return ha;
  }
}

/** A halt asks for takeover unless it was `halt -f`, takeover is off, or this filer holds its partner. */
function haltModeNow(ha: HaState): 'takeover' | 'notakeover' {
  if (!ha.enabled || ha.state === 'takeover' || ha.state === 'taking-over' || ha.state === 'giving-back') return 'notakeover';
  return ha.haltMode;
}

/**
 * The hang is over. What this filer believed about its partner is stale (the partner may have taken
 * it over meanwhile): it judges afresh from the next heartbeats instead of from beliefs 15 s old.
 */
function resumeAfterHang(ha: HaState, env: HaEnv): HaState {
  if (!ha.osBooted) return ha;
  const resumed: HaState = { ...ha, epoch: ha.epoch + 1, partner: { ...createPartnerWatch(env.ctx.now), announced: ha.partner.announced } };
  env.ctx.setTimer(HA_TICK_US, { kind: TICK, epoch: resumed.epoch });
  return resumed;
}

function goDown(ha: HaState, env: HaEnv): HaState {
  const down: HaState = {
    ...ha, state: 'down', osBooted: false, epoch: ha.epoch + 1, pendingTakeover: null, haltMode: 'takeover', waitingShown: false,
    shuttingDown: null, fm: createFailoverMonitorState(),
  };
  publishHaView(down, env);
  return down;
}

function afterHaEvent(ha: HaState, env: HaEnv): void {
  if (ha.shuttingDown && ha.state === 'up' && !cancelShutdownIfCured(ha, env) && negotiatedShutdownDrained(ha, env)) {
    sendCompilation(ha, env);
    if (ha.lastShutdown) { step(ha.lastShutdown.steps, 'hb-stop'); step(ha.lastShutdown.steps, 'halt'); }
    ha.askGivebackWhenCured = ha.lastShutdown?.steps[0] === 'fault';
    ha.haltMode = 'takeover';
    haltOs(ha, env, 'negotiated takeover');
    return;
  }
  const storage = storageOf(env.filer);
  if (storage) storage.log.partnerDown = partnerKnownDown(ha);
  progressTakeover(ha, env);
  progressGiveback(ha, env);
  watchOwnStorage(ha, env);
  checkHaInvariants(ha, env);
}
