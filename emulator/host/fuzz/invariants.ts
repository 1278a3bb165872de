// Lab-wide invariants that no single filer can check (verification.md 1, 6, 7, 8, 10, 13), and coverage, read
// from what the lab shows the outside: the view deltas every window emits (addresses on each port,
// boot and cf states, the last takeover, heartbeats), console bytes and EMS events, plus a run-summary
// sample every virtual second (who serves which vserver, the last giveback). The watcher never feeds
// anything back into the lab, so it cannot change a trace.
//
//  - No split brain, by address: a vserver address up on two filers' ports at once (the hung one left
//    out: it answers nothing) for longer than an ARP move window.
//  - No split brain, by vserver: two running filers listing one vserver in `serving` at two samples
//    in a row (a sample is an instant; two in a row are at least a second of overlap).
//  - Takeover only after detection (invariant 7): no heartbeat-triggered takeover of a partner that was
//    running with its disks reachable (so beating its mailbox heartbeat) for the whole
//    MIN_DETECTION_US before it, by a taker whose own disk paths were whole as long (so it could read
//    that heartbeat): only a partner silent on both channels may be taken over.
//  - The NVRAM mirror a prefix of the owner's log (invariant 6): no filer's acknowledged sequence
//    number beyond the unbroken run of its log that its partner holds.
//  - Epochs only increase (invariant 10): each filer's HA and storage epochs, sample to sample.
//  - Liveness after the quiet period (at the end): every vserver running, no lost write or stale
//    read on any client, no violation reported by any actor; except a client whose lost writes the
//    filers declared, every copy wiped with an NVRAM on a low battery (counted, not failed).
import type { Micros } from '../../engine/actor.ts';
import type { LabEmission } from '../../engine/lab.ts';
import type { RunSummary } from '../../engine/summary.ts';
import { countCoverage } from './coverage.ts';
import type { Coverage } from './coverage.ts';

export type FailureKind = 'violation' | 'split-brain' | 'liveness' | 'lost-writes' | 'stale-reads' | 'input-refused' | 'determinism' | 'crash';

export interface FuzzFailure {
  readonly kind: FailureKind;
  readonly atMs: number;
  readonly detail: string;
}

/** How long one address may be up on two filers while it moves (gratuitous ARP, a halting filer). */
export const ARP_MOVE_WINDOW_US: Micros = 2_000_000;
/** A mailbox heartbeat has saved a split brain once the interconnect has been silent this long. */
const MAILBOX_SAVE_US: Micros = 16_000_000;
const CONSOLE_TAIL_CHARS = 200;
const FAILURES_MAX = 64;

interface MirrorFacts { status?: string; nvram?: string; mirrorAckedSeq?: number; partnerLogThrough?: number | null; mirrorResyncsAsked?: number }

function mirrorFacts(filer: unknown): MirrorFacts | undefined {
  return (filer as { storage?: MirrorFacts } | undefined)?.storage;
}

/** The shortest `cf.takeover.detection.seconds`: a partner alive this long cannot have looked dead. */
const MIN_DETECTION_US: Micros = 10_000_000;

const ADDRESSES = /^([^.]+)\.ports\.([^.]+)\.addresses$/;
const BOOT_STATE = /^([^.]+)\.state$/;
const DISK_ACCESS = /^([^.]+)\.storage\.diskAccess$/;
const HA_FIELD = /^([^.]+)\.ha\.(state|lastTakeover|partnerHeartbeat)$/;

interface TakeoverView { readonly kind: string; readonly trigger: string; readonly atMs: number; readonly failed: string | null }

/** Each client's log entries that filers counted as wiped with their NVRAM (storage/battery-loss.ts). */
function declaredBatteryLosses(summary: RunSummary, clientByAddress: ReadonlyMap<string, string>): Map<string, number> {
  const declared = new Map<string, number>();
  for (const value of Object.values(summary.filers)) {
    const losses = (value as { storage?: { batteryLosses?: { byClient: Record<string, number> }[] } }).storage?.batteryLosses ?? [];
    for (const loss of losses) {
      for (const [address, count] of Object.entries(loss.byClient)) {
        const client = clientByAddress.get(address) ?? address;
        declared.set(client, (declared.get(client) ?? 0) + count);
      }
    }
  }
  return declared;
}

export class LabWatcher {
  readonly failures: FuzzFailure[] = [];
  readonly coverage: Coverage = {};
  /** The longest an address was seen on two filers at once (ms), for the report. */
  maxAddressOverlapMs = 0;
  private readonly addresses = new Map<string, Map<string, readonly string[]>>();
  private readonly boot = new Map<string, string>();
  private readonly cf = new Map<string, string>();
  private readonly overlapSince = new Map<string, Micros>();
  private readonly reported = new Set<string>();
  private readonly takeoversSeen = new Set<string>();
  private readonly givebacksSeen = new Set<string>();
  private readonly consoleTail = new Map<string, string>();
  private readonly icLostSince = new Map<string, Micros | null>();
  private previousSharedVservers = new Set<string>();
  private readonly diskAccess = new Map<string, string>();
  /** Since when each filer has been running with its disks reachable (beating its mailbox), or null. */
  private readonly aliveSince = new Map<string, Micros | null>();

  private readonly partners: ReadonlyMap<string, string>;
  /** By owner: its acknowledged sequence number when its partner was first seen holding no run of its log. */
  private readonly ackedBeforeHeld = new Map<string, number>();
  /** The last epoch seen, by `filer.layer`. */
  private readonly epochs = new Map<string, number>();
  /** Requests for the partner's whole log each filer had made at the last sample. */
  private readonly resyncsSeen = new Map<string, number>();
  private readonly clientByAddress: ReadonlyMap<string, string>;

  /** `partners`: each filer's HA partner (invariant 7); `clientByAddress`: client names by address. */
  constructor(lab: { partners?: ReadonlyMap<string, string>; clientByAddress?: ReadonlyMap<string, string> } = {}) {
    this.partners = lab.partners ?? new Map();
    this.clientByAddress = lab.clientByAddress ?? new Map();
  }

  /** Feeds one window's emission; subscribe with lab.onDidEmit((e) => watcher.observe(e)). */
  observe(emission: LabEmission): void {
    let addressesChanged = false;
    for (const output of emission.outputs) {
      if (output.type === 'console') this.observeConsole(output.actor, output.text);
      else if (output.type === 'ems') this.observeEms(output.source);
      else addressesChanged = this.observePublish(output.atUs, output.path, output.value) || addressesChanged;
    }
    for (const panic of emission.panics) this.fail('crash', panic.atUs, `${panic.actor} threw: ${panic.reason}`);
    if (addressesChanged) this.checkAddresses(emission.atUs);
    this.checkOverlapAge(emission.atUs);
  }

  /** A run-summary sample (every virtual second). */
  sample(summary: RunSummary, atUs: Micros): void {
    this.checkOverlapAge(atUs);
    this.checkServing(summary, atUs);
    this.checkMirrorPrefix(summary, atUs);
    this.checkEpochs(summary, atUs);
    this.countMailboxSaves(atUs);
    for (const [filer, value] of Object.entries(summary.filers)) {
      const ha = (value as { ha?: { lastGiveback?: { trigger: string; atMs: number } | null } }).ha;
      const giveback = ha?.lastGiveback;
      if (!giveback) continue;
      const key = `${filer}@${giveback.atMs}`;
      if (this.givebacksSeen.has(key)) continue;
      this.givebacksSeen.add(key);
      countCoverage(this.coverage, `giveback.${giveback.trigger}`);
    }
    for (const value of Object.values(summary.filers)) {
      const storage = (value as { storage?: { diskAccess?: string } }).storage;
      if (storage?.diskAccess === 'lost') countCoverage(this.coverage, 'disk-access.lost-seconds');
    }
  }

  /** Liveness and safety at the end of the quiet phase. */
  finish(summary: RunSummary, atUs: Micros): void {
    this.sample(summary, atUs);
    for (const [name, value] of Object.entries(summary.vservers)) {
      const vserver = value as { state?: string; node?: string | null };
      if (vserver.state !== 'running') this.fail('liveness', atUs, `vserver ${name} is ${vserver.state ?? 'unknown'} (node ${vserver.node ?? 'none'}) after the quiet phase`);
    }
    const declared = declaredBatteryLosses(summary, this.clientByAddress);
    const excused = new Set<string>();
    for (const [name, value] of Object.entries(summary.clients)) {
      const client = value as { lostWrites?: number; staleReads?: number };
      const lost = client.lostWrites ?? 0;
      // Every copy was in an NVRAM wiped on a low battery, and the filer counted at least that many of
      // this client's entries as it lost them: a declared loss beyond the pair's faults, not a bug.
      if (lost > 0 && lost <= (declared.get(name) ?? 0)) {
        excused.add(name);
        countCoverage(this.coverage, 'nvram.battery-loss-declared');
        continue;
      }
      if (lost > 0) this.fail('lost-writes', atUs, `client ${name} lost ${client.lostWrites} acknowledged write(s)`);
      if ((client.staleReads ?? 0) > 0) this.fail('stale-reads', atUs, `client ${name} read stale data ${client.staleReads} time(s)`);
    }
    for (const violation of summary.violations) {
      const { client, kind } = violation as { client?: string; kind?: string };
      if (client !== undefined && excused.has(client) && (kind === 'lost-write' || kind === 'stale-read' || kind === 'not-linearizable')) continue;
      this.fail('violation', atUs, JSON.stringify(violation));
    }
  }

  fail(kind: FailureKind, atUs: Micros, detail: string): void {
    if (this.failures.length >= FAILURES_MAX || this.reported.has(`${kind}:${detail}`)) return;
    this.reported.add(`${kind}:${detail}`);
    this.failures.push({ kind, atMs: atUs / 1000, detail });
  }

  private observePublish(atUs: Micros, path: string, value: unknown): boolean {
    const address = ADDRESSES.exec(path);
    if (address) {
      const ports = this.addresses.get(address[1]) ?? new Map<string, readonly string[]>();
      ports.set(address[2], Array.isArray(value) ? value.map(String) : []);
      this.addresses.set(address[1], ports);
      return true;
    }
    const boot = BOOT_STATE.exec(path);
    if (boot && typeof value === 'string') {
      this.boot.set(boot[1], value);
      this.updateAlive(boot[1], atUs);
      return true;
    }
    const access = DISK_ACCESS.exec(path);
    if (access && typeof value === 'string') {
      this.diskAccess.set(access[1], value);
      this.updateAlive(access[1], atUs);
      return false;
    }
    const ha = HA_FIELD.exec(path);
    if (ha) this.observeHa(atUs, ha[1], ha[2], value);
    return false;
  }

  private observeHa(atUs: Micros, filer: string, field: string, value: unknown): void {
    if (field === 'state' && typeof value === 'string') {
      if (value === 'waiting-for-giveback' && this.cf.get(filer) !== value) countCoverage(this.coverage, 'waiting-for-giveback');
      this.cf.set(filer, value);
      if (value !== 'up') this.icLostSince.set(filer, null);
      return;
    }
    if (field === 'lastTakeover' && value !== null && typeof value === 'object') {
      const takeover = value as TakeoverView;
      const key = `${filer}@${takeover.atMs}`;
      if (this.takeoversSeen.has(key)) return;
      this.takeoversSeen.add(key);
      countCoverage(this.coverage, `takeover.${takeover.kind}`);
      countCoverage(this.coverage, `takeover.trigger.${takeover.trigger.replace(/@.*$/, '')}`);
      this.checkTakeoverOfLivePartner(filer, takeover);
      return;
    }
    if (field === 'partnerHeartbeat' && value !== null && typeof value === 'object') {
      const heartbeat = value as { ic: string; mailbox: string };
      const saving = heartbeat.ic === 'lost' && heartbeat.mailbox === 'ok' && this.cf.get(filer) === 'up';
      if (!saving) this.icLostSince.set(filer, null);
      else if (this.icLostSince.get(filer) == null) this.icLostSince.set(filer, atUs);
    }
  }

  private updateAlive(filer: string, atUs: Micros): void {
    const alive = this.boot.get(filer) === 'running' && this.diskAccess.get(filer) !== 'lost';
    if (!alive) this.aliveSince.set(filer, null);
    else if ((this.aliveSince.get(filer) ?? null) === null) this.aliveSince.set(filer, atUs);
  }

  private checkTakeoverOfLivePartner(filer: string, takeover: TakeoverView): void {
    const partner = this.partners.get(filer);
    if (takeover.trigger !== 'heartbeat' || takeover.failed !== null || partner === undefined) return;
    const atUs = takeover.atMs * 1000;
    const since = this.aliveSince.get(partner) ?? null;
    if (since === null || atUs - since < MIN_DETECTION_US) return;
    // The taker must have been able to read the mailbox too: running with its own disk paths whole.
    const takerSince = this.aliveSince.get(filer) ?? null;
    if (takerSince === null || atUs - takerSince < MIN_DETECTION_US) return;
    this.fail('violation', atUs, `${filer} took over ${partner} on a heartbeat timeout while ${partner} had been running with its disks (and mailbox) reachable since ${since / 1000} ms (invariant 7)`);
  }

  private countMailboxSaves(atUs: Micros): void {
    for (const [filer, since] of this.icLostSince) {
      if (since === null || since === undefined || atUs - since < MAILBOX_SAVE_US || this.cf.get(filer) !== 'up') continue;
      countCoverage(this.coverage, 'mailbox.saved-split-brain');
      // Once per episode: counted again only after the heartbeat picture changes.
      this.icLostSince.set(filer, Infinity);
    }
  }

  private observeConsole(actor: string, text: string): void {
    const tail = (this.consoleTail.get(actor) ?? '') + text;
    // Count a phrase once: only where it ends inside the new text.
    const fresh = (phrase: RegExp): number => [...tail.matchAll(phrase)].filter((match) => (match.index ?? 0) + match[0].length > tail.length - text.length).length;
    const refused = fresh(/cf: (force)?takeover cannot proceed/g);
    if (refused > 0) countCoverage(this.coverage, 'takeover.refused', refused);
    const givebackRefused = fresh(/cf: giveback cannot proceed/g);
    if (givebackRefused > 0) countCoverage(this.coverage, 'giveback.refused', givebackRefused);
    const halted = fresh(/HALT: HA partner has taken over/g);
    if (halted > 0) countCoverage(this.coverage, 'halt.reservation-conflict', halted);
    this.consoleTail.set(actor, tail.slice(-CONSOLE_TAIL_CHARS));
  }

  private observeEms(source: string): void {
    switch (source) {
      case 'raid.rg.recons.start': countCoverage(this.coverage, 'reconstruction'); break;
      case 'raid.disk.unavailable': countCoverage(this.coverage, 'disk-access.lost'); break;
      case 'cf.takeover.refused': countCoverage(this.coverage, 'takeover.refused.auto'); break;
      case 'cf.fm.takeoverFailed': countCoverage(this.coverage, 'takeover.failed'); break;
      case 'disk.reservation.conflict': countCoverage(this.coverage, 'reservation-conflict'); break;
      default: break;
    }
  }

  /** Address → the filers that have it up now (a hung filer answers nothing and is left out). */
  private holders(): Map<string, string[]> {
    const holders = new Map<string, string[]>();
    for (const [filer, ports] of this.addresses) {
      if (this.boot.get(filer) === 'hung') continue;
      const mine = new Set<string>();
      for (const list of ports.values()) for (const address of list) mine.add(address);
      for (const address of mine) holders.set(address, [...(holders.get(address) ?? []), filer]);
    }
    return holders;
  }

  private checkAddresses(atUs: Micros): void {
    const holders = this.holders();
    for (const [address, filers] of holders) {
      if (filers.length > 1 && !this.overlapSince.has(address)) this.overlapSince.set(address, atUs);
      if (filers.length <= 1) this.endOverlap(address, atUs);
    }
    for (const address of [...this.overlapSince.keys()]) if (!holders.has(address)) this.endOverlap(address, atUs);
  }

  private endOverlap(address: string, atUs: Micros): void {
    const since = this.overlapSince.get(address);
    if (since === undefined) return;
    this.maxAddressOverlapMs = Math.max(this.maxAddressOverlapMs, (atUs - since) / 1000);
    this.overlapSince.delete(address);
  }

  private checkOverlapAge(atUs: Micros): void {
    if (this.overlapSince.size === 0) return;
    const holders = this.holders();
    for (const [address, since] of this.overlapSince) {
      if (atUs - since <= ARP_MOVE_WINDOW_US) continue;
      this.fail('split-brain', since, `address ${address} up on ${(holders.get(address) ?? []).join(' and ')} for more than ${ARP_MOVE_WINDOW_US / 1000} ms (from ${since / 1000} ms)`);
    }
  }

  /**
   * Invariant 6: everything a filer's partner acknowledged is in the partner's half, as an unbroken
   * run from the last CP (`partnerLogThrough`). The ack follows the store, so at any instant the
   * acknowledged sequence number is at most the one held through; beyond it, a write was answered as
   * mirrored that a takeover could not replay.
   */
  private checkMirrorPrefix(summary: RunSummary, atUs: Micros): void {
    for (const [owner, partner] of this.partners) {
      const ownStorage = mirrorFacts(summary.filers[owner]);
      const partnerStorage = mirrorFacts(summary.filers[partner]);
      const acked = ownStorage?.mirrorAckedSeq;
      if (ownStorage?.status !== 'online' || partnerStorage?.status !== 'online' || typeof acked !== 'number') {
        this.ackedBeforeHeld.delete(owner);
        continue;
      }
      const held = partnerStorage.partnerLogThrough;
      if (typeof held === 'number') {
        this.ackedBeforeHeld.delete(owner);
        if (acked > held) this.fail('violation', atUs, `${partner} acknowledged ${owner}'s NVRAM entries through ${acked} but holds them only through ${held} (invariant 6)`);
        continue;
      }
      // The partner holds no run yet (it came up and waits for the whole log): it may not ack anything.
      const before = this.ackedBeforeHeld.get(owner);
      if (before === undefined) this.ackedBeforeHeld.set(owner, acked);
      else if (acked > before) this.fail('violation', atUs, `${partner} acknowledged ${owner}'s NVRAM entries through ${acked} before holding any of its log (invariant 6)`);
    }
    for (const [filer, value] of Object.entries(summary.filers)) {
      // Per OS instance (a reboot starts again at 0): count each request for the whole log once.
      const resyncs = mirrorFacts(value)?.mirrorResyncsAsked ?? 0;
      const seen = this.resyncsSeen.get(filer) ?? 0;
      const fresh = resyncs >= seen ? resyncs - seen : resyncs;
      if (fresh > 0) countCoverage(this.coverage, 'nvram.mirror-resync-asked', fresh);
      this.resyncsSeen.set(filer, resyncs);
    }
  }

  /**
   * Invariant 10: each filer's OS epochs (HA's and storage's, raised at every boot, halt and resume;
   * timers and messages of an older one are ignored) never go back, through power cycles included.
   */
  private checkEpochs(summary: RunSummary, atUs: Micros): void {
    for (const [filer, value] of Object.entries(summary.filers)) {
      const facts = value as { ha?: { epoch?: number }; storage?: { epoch?: number } };
      for (const [layer, epoch] of [['ha', facts.ha?.epoch], ['storage', facts.storage?.epoch]] as const) {
        if (typeof epoch !== 'number') continue;
        const key = `${filer}.${layer}`;
        const before = this.epochs.get(key);
        if (before !== undefined && epoch < before) this.fail('violation', atUs, `${filer}'s ${layer} epoch went back from ${before} to ${epoch} (invariant 10)`);
        this.epochs.set(key, epoch);
      }
    }
  }

  private checkServing(summary: RunSummary, atUs: Micros): void {
    const servers = new Map<string, string[]>();
    for (const [filer, value] of Object.entries(summary.filers)) {
      const state = value as { state?: string; serving?: unknown };
      if (state.state === 'hung' || !Array.isArray(state.serving)) continue;
      for (const vserver of state.serving) servers.set(String(vserver), [...(servers.get(String(vserver)) ?? []), filer]);
    }
    const shared = new Set<string>();
    for (const [vserver, filers] of servers) {
      if (filers.length < 2) continue;
      shared.add(vserver);
      if (this.previousSharedVservers.has(vserver)) this.fail('split-brain', atUs, `vserver ${vserver} served by ${filers.join(' and ')} at two samples in a row (${atUs / 1000} ms)`);
    }
    this.previousSharedVservers = shared;
  }
}
