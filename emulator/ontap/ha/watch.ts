// Watching the partner (seed 000, DESIGN.md §5): every HA tick this filer sends a heartbeat on each
// interconnect link and judges the partner's. When the interconnect goes quiet it reads the partner's
// mailbox disks too: a partner whose mailbox heartbeat still moves is alive (only the interconnect is
// lost: no takeover, no split brain); one silent on both channels for `cf.takeover.detection.seconds`
// is taken over (a hard takeover). In takeover the heartbeat says so: it is the stay-down request.
import type { Micros } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { optionNumber, optionValue } from '../options/options.ts';
import { readMailbox } from '../storage/mailbox.ts';
import { storageEnv, storageOf, type HaEnv } from './ha-env.ts';
import { interconnectUp, sendHa } from './messages.ts';
import { monitoredFaults } from './monitor.ts';
import { pairOptionsForHeartbeat } from './option-match.ts';
import { transitionToGivingBackFromTakeover } from './giveback.ts';
import { transitionToTakingOverFromUp } from './takeover.ts';
import { publishHeartbeatView, publishHaView } from './view.ts';
import type { HaState } from './types.ts';

/** How often HA beats and looks at its partner. */
export const HA_TICK_US: Micros = 500_000;
/** Heartbeats missed on the interconnect before the mailbox is consulted. */
const MISSED_BEATS_BEFORE_MAILBOX = 3;

export function detectionUs(filer: FilerState): Micros {
  const seconds = optionNumber(filer, 'cf.takeover.detection.seconds', 15);
  return Math.max(1, Math.min(180, seconds)) * 1_000_000;
}

/** Whether the partner's NVRAM log reaches us (the mirror of its writes): its heartbeat says so. */
function lastIcHeardUs(ha: HaState): Micros | null {
  const heard = Object.values(ha.partner.icHeardUs);
  return heard.length === 0 ? null : Math.max(...heard);
}

export function icAlive(ha: HaState, env: HaEnv): boolean {
  const heard = lastIcHeardUs(ha);
  return heard !== null && env.ctx.now - heard <= MISSED_BEATS_BEFORE_MAILBOX * HA_TICK_US;
}

export function mailboxAlive(ha: HaState, env: HaEnv): boolean {
  return env.ctx.now - ha.partner.mailboxChangedUs < detectionUs(env.filer);
}

/** One HA tick: beat, read the mailbox when the interconnect is quiet, decide. */
export function haTick(ha: HaState, env: HaEnv): void {
  beat(ha, env);
  if (!env.filer.config.partner) return;
  watchMailbox(ha, env);
  const seen = { ic: icAlive(ha, env) ? 'ok' : 'lost', mailbox: mailboxAlive(ha, env) ? 'ok' : 'lost' } as const;
  if (seen.ic !== ha.partner.seen.ic || seen.mailbox !== ha.partner.seen.mailbox) publishHeartbeatView(ha, env, seen.ic === 'ok', seen.mailbox === 'ok');
  ha.partner.seen = seen;
  if (ha.state === 'up') judgePartner(ha, env);
  if (ha.state === 'takeover') considerAutoGiveback(ha, env);
}

/** A heartbeat now: every tick, and at once on every state change (the partner learns in a millisecond). */
export function beat(ha: HaState, env: HaEnv): void {
  ha.heartbeatSeq += 1;
  const storage = storageOf(env.filer);
  const mirrorInSync = storage?.log.mirror === 'mirrored' || (storage?.log.nextSeq ?? 1) <= 1;
  const faults = monitoredFaults(env.filer).map((fault) => fault.type);
  // The pair options go only when some differ from the defaults: the built-in labs' heartbeats stay as they were.
  const pairOptions = pairOptionsForHeartbeat(env.filer);
  const heartbeat = { kind: 'ha.heartbeat' as const, seq: ha.heartbeatSeq, state: ha.state, enabled: ha.enabled, mirrorInSync, faults };
  const sent = sendHa(ha, env.filer, env.ctx, pairOptions === undefined ? heartbeat : { ...heartbeat, pairOptions }, true);
  // In takeover the heartbeat is the stay-down request (seed 000 claims 37/58).
  if (sent && ha.state === 'takeover') ha.counters.sent['stayDown'] = (ha.counters.sent['stayDown'] ?? 0) + 1;
}

function watchMailbox(ha: HaState, env: HaEnv): void {
  const storage = storageOf(env.filer);
  const disks = env.filer.config.partnerMailboxDisks ?? [];
  if (!storage || storage.status !== 'online' || disks.length === 0) return;
  const pending = ha.partner.mailboxRead;
  if (pending !== null) {
    const result = storage.mailbox.reads[pending];
    if (result === null) return; // still in flight
    delete storage.mailbox.reads[pending];
    ha.partner.mailboxRead = null;
    const counters = Object.values(result?.records ?? {}).flatMap((record) => (record && record.owner === env.filer.config.partner ? [record.heartbeat] : []));
    // No readable record of the partner's (or ours declaring it dead) proves nothing; the first
    // reading after boot only sets the base: a counter that moves is what proves life.
    const counter = counters.length === 0 ? -1 : Math.max(...counters);
    if (counter !== -1) {
      if (ha.partner.mailboxCounter !== -1 && counter !== ha.partner.mailboxCounter) ha.partner.mailboxChangedUs = env.ctx.now;
      ha.partner.mailboxCounter = counter;
    }
  }
  // The disk heartbeat is read while the interconnect is quiet (it costs disk I/O on the partner's loop).
  if (!icAlive(ha, env)) ha.partner.mailboxRead = readMailbox(storage, storageEnv(env), disks);
  else ha.partner.mailboxChangedUs = env.ctx.now;
}

/** Up, with a partner: take over when both of its heartbeats have been silent for the detection time. */
function judgePartner(ha: HaState, env: HaEnv): void {
  const heard = lastIcHeardUs(ha);
  const icSilentUs = env.ctx.now - (heard ?? ha.upSinceUs);
  const detection = detectionUs(env.filer);
  const previous = ha.takeoverImpossible;
  ha.takeoverImpossible = impossibleReason(ha, env);
  if (previous !== ha.takeoverImpossible) publishHaView(ha, env);
  if (icSilentUs < detection || mailboxAlive(ha, env)) return;
  // Only a partner that was seen up is taken over: a halted (-f) or never-booted one is left alone.
  const announced = ha.partner.announced;
  if (!ha.enabled || ha.partner.haltedNoTakeover || announced === null || announced === 'down' || announced === 'waiting-for-giveback') return;
  transitionToTakingOverFromUp(ha, env, 'hard', 'heartbeat', ['hb-lost']);
}

function impossibleReason(ha: HaState, env: HaEnv): string | null {
  const partner = env.filer.config.partner;
  if (!ha.enabled) return 'cf is disabled';
  if (ha.partner.haltedNoTakeover) return `partner halted in notakeover mode`;
  if (interconnectUp(env.filer, env.ctx).length === 0 && mailboxAlive(ha, env) && ha.partner.announced !== null) {
    return `interconnect error: ${partner} is alive on its mailbox disks`;
  }
  if (icAlive(ha, env) && !ha.partner.mirrorInSync) return 'NVRAM mirror not in sync';
  return null;
}

/** `options cf.giveback.auto.enable on`: give back once the partner has waited for the delay. */
function considerAutoGiveback(ha: HaState, env: HaEnv): void {
  if (optionValue(env.filer, 'cf.giveback.auto.enable') !== 'on') return;
  const since = ha.partner.waitingSinceUs;
  if (since === null || ha.partner.announced !== 'waiting-for-giveback') return;
  const delayUs = optionNumber(env.filer, 'cf.giveback.auto.delay.seconds', 600) * 1_000_000;
  if (env.ctx.now - since < delayUs) return;
  transitionToGivingBackFromTakeover(ha, env, 'auto');
}
