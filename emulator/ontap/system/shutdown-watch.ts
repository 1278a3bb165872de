// The two reasons the OS shuts itself down (issue 18), watched after every event:
//  - a RAID group degraded with no spare to rebuild on: the real filer logs "Data disk 0a.22 is broken.
//    Halting in 23 hours." every hour and halts once `options raid.timeout` hours (24) have passed
//    (NetApp KB "What happens when a disk fails and does not have a hot spare installed?"); a reboot
//    gives it another raid.timeout hours. With a partner, the halt is a takeover (the plain `halt` path).
//  - an NVRAM battery dangerously low on a filer no partner can take over (no partner, no HA,
//    `cf disable`d): `monitor.nvramLowBattery` at once, a warning every hour, and after `raid.timeout` hours
//    the shutdown (NetApp EMS reference, monitor.nvramLowBattery and its .notice). With a partner that can
//    take over, the failover monitor (ha/monitor.ts) negotiates the takeover instead.
//  - a critical chassis temperature. With a partner that can take over, the failover monitor
//    (ha/monitor.ts) makes it a negotiated takeover and this watch leaves it alone; when that
//    negotiation is impossible — no partner, no HA, `cf disable`d, this filer holds its partner, or the
//    partner answered the request with a refusal — the environmental shutdown applies at once. A filer waiting for giveback serves nothing: it is the
//    partner's business (it reports its fault in its heartbeat).
// The halt itself is the one `halt` uses: the partner asked to take over when HA allows it, no new
// requests, a final consistency point, then the OS goes down.
import type { ActorContext, Payload } from '../../engine/actor.ts';
import type { FilerState, FilerSubsystem } from '../../hardware/filer/subsystem.ts';
import { shutdownOs } from '../console/boot.ts';
import { logEms } from '../ems.ts';
import { stopAcceptingRequests } from '../fileservice/fileservice-subsystem.ts';
import { consoleOf, haEnvDuringEvent, haOf, storageOf } from '../ha/ha-env.ts';
import { prepareHalt } from '../ha/operator.ts';
import { optionNumber } from '../options/options.ts';
import { displayName } from '../storage/raid-ops.ts';
import { shutdownCpDone, startShutdownCp, storageEnvDuringEvent } from '../storage/storage-subsystem.ts';
import type { StorageState } from '../storage/types.ts';

export const SHUTDOWN_WATCH = 'shutdown-watch';
const TICK = 'shutdown-watch.hour';
const FLUSH = 'shutdown-watch.flush';

export const HOUR_US = 3_600_000_000;
/** How often the final CP is looked at, and how long it is waited for at most (as `halt` does). */
const FLUSH_POLL_US = 50_000;
const FLUSH_WAIT_MAX_US = 10_000_000;

export interface ShutdownWatchState {
  /** Bumped whenever the OS stops: timers of an older epoch are stale. */
  epoch: number;
  /** Since when a group has been degraded with nothing rebuilding it, and the hours warned so far. */
  degradedSinceUs: number | null;
  hoursWarned: number;
  /** A shutdown under way (waiting for its final CP), and why. */
  shuttingDown: { readonly why: ShutdownReason; readonly target: number; readonly startedUs: number } | null;
  /** The partner's refusals received when the over-temperature began (one more: it refused this one), or null. */
  refusalsAtOvertemp: number | null;
  /**
   * Since when the NVRAM battery has been low with no takeover possible, the hours warned, and the epoch
   * of its hourly timer (bumped when the battery is good again). Optional: older saved labs.
   */
  battery?: { sinceUs: number; hoursWarned: number } | null;
  batteryEpoch?: number;
}

type ShutdownReason = 'raid-timeout' | 'overtemp' | 'nvram-battery';

export function createShutdownWatch(): ShutdownWatchState {
  return { epoch: 0, degradedSinceUs: null, hoursWarned: 0, shuttingDown: null, refusalsAtOvertemp: null, battery: null, batteryEpoch: 0 };
}

/** The first member of this filer's own groups that is missing with nothing rebuilding it, as the product names it. */
export function brokenUnrebuilt(filer: FilerState, ctx: ActorContext): string | null {
  const storage = storageOf(filer);
  if (!storage || storage.status !== 'online') return null;
  // Called after every event: the common case (nothing degraded) answers without sorting or naming,
  // and without a closure or an array (a per-event cost that was 3% of a ha-pair run).
  if (!anyDegraded(storage.aggregates)) return null;
  for (const name of Object.keys(storage.aggregates).sort()) {
    const aggregate = storage.aggregates[name];
    if (aggregate.partnerOf !== undefined || aggregate.status !== 'online') continue;
    for (const group of aggregate.raidGroups) {
      if (group.failed.length !== 1 || group.reconstruction) continue;
      const position = group.failed[0];
      const env = storageEnvDuringEvent(filer, ctx);
      const disk = env ? displayName(storage, env, group.members[position]) : group.members[position];
      return `${position === group.members.length - 1 ? 'Parity' : 'Data'} disk ${disk} is broken.`;
    }
  }
  return null;
}

function anyDegraded(aggregates: StorageState['aggregates']): boolean {
  for (const name in aggregates) {
    const aggregate = aggregates[name];
    if (aggregate.partnerOf !== undefined || aggregate.status !== 'online') continue;
    for (const group of aggregate.raidGroups) if (group.failed.length === 1 && !group.reconstruction) return true;
  }
  return false;
}

/** Whether the partner could take this filer over for its temperature (see the file's comment). */
export function takeoverPossible(filer: FilerState, refusalsAtOvertemp: number | null): boolean {
  const ha = haOf(filer);
  if (filer.config.partner === undefined || !ha || !ha.enabled) return false;
  if (refusalsAtOvertemp !== null && (ha.counters.recv['refusal'] ?? 0) > refusalsAtOvertemp) return false;
  return ha.state === 'up' || ha.state === 'waiting-for-giveback';
}

function osRunning(filer: FilerState): boolean {
  const console = consoleOf(filer);
  return filer.chassis.boot === 'running' && console !== undefined && console.mode !== 'booting' && console.mode !== 'dark' && console.mode !== 'loader';
}

function check(state: ShutdownWatchState, filer: FilerState, ctx: ActorContext): void {
  if (state.shuttingDown || !osRunning(filer)) return;
  const hot = filer.chassis.faults.includes('overtemp');
  if (!hot) state.refusalsAtOvertemp = null;
  else state.refusalsAtOvertemp ??= haOf(filer)?.counters.recv['refusal'] ?? 0;
  if (hot && !takeoverPossible(filer, state.refusalsAtOvertemp)) {
    logEms(filer, ctx, 'monitor.shutdown.chassisOverTemp', 'emergency',
      `Chassis temperature is too high (${filer.chassis.sensors.temperatureC}C): environmental shutdown.`);
    beginShutdown(state, filer, ctx, 'overtemp');
    return;
  }
  if (watchBattery(state, filer, ctx)) return;
  const broken = brokenUnrebuilt(filer, ctx);
  if (broken === null) {
    if (state.degradedSinceUs !== null) { state.degradedSinceUs = null; state.hoursWarned = 0; state.epoch += 1; }
    return;
  }
  if (state.degradedSinceUs !== null) return;
  state.degradedSinceUs = ctx.now;
  state.hoursWarned = 0;
  warnHour(state, filer, ctx, broken);
}

/** The hourly warning; after raid.timeout hours, the shutdown. */
function warnHour(state: ShutdownWatchState, filer: FilerState, ctx: ActorContext, broken: string): void {
  const timeoutHours = Math.max(1, optionNumber(filer, 'raid.timeout', 24));
  const left = timeoutHours - state.hoursWarned;
  if (left <= 0) {
    logEms(filer, ctx, 'raid.timeout.shutdown', 'alert',
      `When a disk is broken, the system shuts down automatically every ${timeoutHours} hours to encourage you to replace the disk. `
      + `If you reboot the system it will run for another ${timeoutHours} hours before shutting down.`);
    beginShutdown(state, filer, ctx, 'raid-timeout');
    return;
  }
  logEms(filer, ctx, 'raid.rg.degraded.timeout', 'warning', `${broken} Halting in ${left} hour${left === 1 ? '' : 's'}.`);
  ctx.setTimer(HOUR_US, { kind: TICK, epoch: state.epoch });
}

/** The NVRAM battery: true when this check began a shutdown. */
function watchBattery(state: ShutdownWatchState, filer: FilerState, ctx: ActorContext): boolean {
  // Only where no negotiation can begin (no partner, no HA, cf disabled): otherwise ha/monitor.ts owns it.
  const ha = haOf(filer);
  const low = !filer.chassis.nvram.batteryOk && (filer.config.partner === undefined || !ha || !ha.enabled);
  if (!low) {
    if (state.battery) { state.battery = null; state.batteryEpoch = (state.batteryEpoch ?? 0) + 1; }
    return false;
  }
  if (state.battery) return false;
  state.battery = { sinceUs: ctx.now, hoursWarned: 0 };
  logEms(filer, ctx, 'monitor.nvramLowBattery', 'emergency', 'NVRAM battery is dangerously low.');
  return warnBatteryHour(state, filer, ctx);
}

/** The hourly battery warning; after raid.timeout hours, the shutdown (true when it began). */
function warnBatteryHour(state: ShutdownWatchState, filer: FilerState, ctx: ActorContext): boolean {
  const battery = state.battery;
  if (!battery) return false;
  const timeoutHours = Math.max(1, optionNumber(filer, 'raid.timeout', 24));
  const left = timeoutHours - battery.hoursWarned;
  if (left <= 0) {
    logEms(filer, ctx, 'monitor.nvramLowBattery.notice', 'notice',
      `If the NVRAM battery is dangerously low, the system shuts down automatically every ${timeoutHours} hours to encourage you to replace it. `
      + `If you reboot the system it will run for another ${timeoutHours} hours before shutting down.`);
    beginShutdown(state, filer, ctx, 'nvram-battery');
    return true;
  }
  logEms(filer, ctx, 'monitor.nvramLowBattery.timeout', 'warning', `NVRAM battery is dangerously low. Halting in ${left} hour${left === 1 ? '' : 's'}.`);
  ctx.setTimer(HOUR_US, { kind: TICK, battery: true, epoch: state.batteryEpoch ?? 0 });
  return false;
}

function beginShutdown(state: ShutdownWatchState, filer: FilerState, ctx: ActorContext, why: ShutdownReason): void {
  const env = haEnvDuringEvent(filer, ctx);
  if (env) prepareHalt(env, 'halt', false);
  stopAcceptingRequests(filer);
  const target = startShutdownCp(filer, ctx);
  if (target === null) { halt(state, filer, ctx); return; }
  state.shuttingDown = { why, target, startedUs: ctx.now };
  ctx.setTimer(FLUSH_POLL_US, { kind: FLUSH, epoch: state.epoch });
}

function halt(state: ShutdownWatchState, filer: FilerState, ctx: ActorContext): void {
  const console = consoleOf(filer);
  state.shuttingDown = null;
  if (console && osRunning(filer)) shutdownOs(filer, console, ctx, 'halt');
}

function timerFired(state: ShutdownWatchState, filer: FilerState, ctx: ActorContext, payload: Payload): void {
  if (payload['battery'] === true) {
    if (payload['epoch'] !== (state.batteryEpoch ?? 0) || !state.battery || state.shuttingDown || !osRunning(filer)) return;
    state.battery.hoursWarned += 1;
    warnBatteryHour(state, filer, ctx);
    return;
  }
  if (payload['epoch'] !== state.epoch) return;
  if (payload.kind === FLUSH) {
    const shutdown = state.shuttingDown;
    if (!shutdown) return;
    if (!shutdownCpDone(filer, shutdown.target) && ctx.now - shutdown.startedUs < FLUSH_WAIT_MAX_US) {
      ctx.setTimer(FLUSH_POLL_US, payload);
      return;
    }
    halt(state, filer, ctx);
    return;
  }
  const broken = brokenUnrebuilt(filer, ctx);
  if (broken === null || state.degradedSinceUs === null || !osRunning(filer)) return;
  state.hoursWarned += 1;
  warnHour(state, filer, ctx, broken);
}

export const shutdownWatchSubsystem: FilerSubsystem<ShutdownWatchState> = {
  name: SHUTDOWN_WATCH,
  create: () => createShutdownWatch(),
  handle(state, filer, event, ctx) {
    if (event.type !== 'timer' || (event.payload.kind !== TICK && event.payload.kind !== FLUSH)) return false;
    timerFired(state, filer, ctx, event.payload);
    return true;
  },
  lifecycle(state, _filer, phase) {
    if (phase === 'os-boot') return state;
    // The OS stopped (halt, panic, power): the count starts again at the next boot.
    return { ...createShutdownWatch(), epoch: state.epoch + 1, batteryEpoch: (state.batteryEpoch ?? 0) + 1 };
  },
  afterEvent(state, filer, ctx) {
    check(state, filer, ctx);
  },
};
