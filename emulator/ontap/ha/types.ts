// The HA subsystem's slot in the filer's state (DESIGN.md §5, seeds 000/001/002): the cf state machine,
// what this filer knows of its partner (heartbeats on the interconnect and through the mailbox disks),
// and the record of the last takeover and giveback for the console, the summary and the lab window.
import type { Micros, PortName } from '../../engine/actor.ts';
import type { HandedOverRequest } from './messages.ts';

/**
 * Where the pair stands, as this filer sees it. Each state names what the filer does in it:
 */
export type CfState =
  /** The OS is not running here (off, at the loader, panicked, hung) or is still booting. */
  | 'down'
  /** Serving its own identity and watching its partner. */
  | 'up'
  /** Preempting the partner's disks, replaying its NVRAM half and mounting its aggregates. */
  | 'taking-over'
  /** Serving its own identity and the partner's (the prompt reads `filerB(takeover)>`). */
  | 'takeover'
  /** Handing the partner's identity back: its addresses released, a CP, its disks released. */
  | 'giving-back'
  /** Booted while the partner holds this filer's disks: serves nothing until the partner gives back. */
  | 'waiting-for-giveback';

/** How a takeover came about (`filers.<f>.ha.lastTakeover.kind`); HA II adds the negotiated kinds. */
export type TakeoverKind = 'operator' | 'hard' | 'forcetakeover' | 'negotiated' | 'forced-countdown';

/** How a giveback came about (`filers.<f>.ha.lastGiveback.trigger`). */
export type GivebackTrigger = 'command' | 'forced' | 'auto' | 'partner-request';

/** What this filer announces when its OS goes down, so the partner knows whether to take over. */
export type HaltMode = 'takeover' | 'notakeover';

export interface TakeoverRecord {
  readonly kind: TakeoverKind;
  /** `operator@filerB`, `heartbeat`, `panic`, `halt@filerA`. */
  readonly trigger: string;
  readonly atUs: Micros;
  /** When the partner's identity was served here; null while taking over (or if it failed). */
  servingAtUs: Micros | null;
  /** Step tokens in order (`hb-lost`, `reserve`, `replay`, `mount`, `ifup`, `serve`, …), joined by `>`. */
  steps: string[];
  /** Why it failed, if it did. */
  failed: string | null;
}

export interface GivebackRecord {
  readonly trigger: GivebackTrigger;
  readonly atUs: Micros;
  doneAtUs: Micros | null;
  steps: string[];
}

/** The partner as this filer knows it. */
export interface PartnerWatch {
  /** Virtual time of the last heartbeat heard on each interconnect port. */
  icHeardUs: Record<PortName, Micros>;
  /** The state the partner announced in its last heartbeat (null: never heard since boot). */
  announced: CfState | null;
  /** The partner's NVRAM mirror as it announced it: takeover needs its log mirrored here. */
  mirrorInSync: boolean;
  /** The partner's mailbox heartbeat counter as last read, and when it last changed. */
  mailboxCounter: number;
  mailboxChangedUs: Micros;
  /** A mailbox read in flight (storage's request id). */
  mailboxRead: number | null;
  /** The partner went down saying it wanted no takeover (`halt -f`): do not take it over. */
  haltedNoTakeover: boolean;
  /** When the partner started waiting for giveback (for the automatic giveback delay). */
  waitingSinceUs: Micros | null;
  /** The partner's heartbeat on each channel as of the last tick (`filers.<f>.ha.partnerHeartbeat`). */
  seen: { ic: 'ok' | 'lost'; mailbox: 'ok' | 'lost' };
  /** The partner's monitored faults as its heartbeat carries them (its health, watched from here). */
  faults: string[];
  /** Pair options that differ between the two filers, as of the partner's last heartbeat (option-match.ts). Optional: older saved labs. */
  optionMismatches?: { readonly name: string; readonly local: string; readonly partner: string }[];
  /** When the mismatches were last logged (they are logged again every hour while they last). */
  optionMismatchLoggedUs?: Micros;
  /** A different set of mismatches first seen at `sinceUs`, not yet lasting long enough to count. */
  optionMismatchSeen?: { readonly mismatches: readonly { readonly name: string; readonly local: string; readonly partner: string }[]; readonly sinceUs: Micros };
}

/** The failover monitor's memory (seeds 000 claims 23-25/44-46). */
export interface FailoverMonitorState {
  /** Fault types already reported on the console. */
  reported: string[];
  /** The fault type this filer asked its partner to take over for, or null. */
  requested: string | null;
  /** The fault type this filer asked its partner to diagnose (it cannot localise it alone), or null. */
  diagnoseRequested: string | null;
  /** The partner's verdict on that fault: `takeover` (the fault is this filer's) or `warning` (shared). */
  partnerDiagnosis: { readonly faultType: string; readonly class: 'takeover' | 'warning'; readonly detail: string } | null;
}

export function createFailoverMonitorState(): FailoverMonitorState {
  return { reported: [], requested: null, diagnoseRequested: null, partnerDiagnosis: null };
}

export interface HaCounters {
  sent: Record<string, number>;
  recv: Record<string, number>;
}

export interface HaState {
  state: CfState;
  /** `cf enable|disable`, for both filers of the pair. */
  enabled: boolean;
  /** Incremented at each OS boot and halt: timers of an older epoch are stale. */
  epoch: number;
  /** The OS has started its subsystems (os-boot) and not gone down since. */
  osBooted: boolean;
  /** When the OS came up (heartbeats are judged from here). */
  upSinceUs: Micros;
  heartbeatSeq: number;
  partner: PartnerWatch;
  /** What `halt` asked for: announced to the partner when the OS goes down. */
  haltMode: HaltMode;
  /**
   * This filer asked the partner to shut down (`cf takeover`, or a negotiated takeover it accepted): the
   * trigger, when, the kind the takeover will be, and the steps so far. The takeover follows the
   * partner's halt, or the countdown's end.
   */
  pendingTakeover: { readonly trigger: string; readonly atUs: Micros; readonly kind?: TakeoverKind; readonly steps?: readonly string[] } | null;
  /** The failover monitor (monitor.ts): what it reported, asked for, and learned from the partner. */
  fm: FailoverMonitorState;
  /** The negotiation as the partner of a faulty filer sees it. */
  negotiation: {
    partnerFaultType: string | null;
    lastRefusal: string | null;
    countdown: { state: 'idle' | 'running' | 'expired' | 'cancelled'; starts: number; endsAtUs: Micros | null };
    /** A probe of the partner's disks in flight (storage's mailbox read id): to diagnose, or to check a request. */
    probe: { readonly purpose: 'diagnose' | 'check'; readonly faultType: string; readonly readId: number } | null;
    /** Why the last giveback was refused (the partner still has a fault that needs a takeover), or null. */
    lastGivebackRefusal: string | null;
  };
  /** This filer halted for a takeover its own fault asked for: once booted and cured, it asks for giveback. */
  askGivebackWhenCured: boolean;
  /** On the filer that was taken over: the steps of its last shutdown (`fault>req>type>shutdown-rcvd>…`). */
  lastShutdown: { steps: string[] } | null;
  /** A shutdown for the partner's takeover in progress (asked for by a fault here, or by an operator there): no new requests, the final CP awaited (its CP count), then halt. */
  shuttingDown: { readonly cause: 'fault' | 'operator'; readonly cpTarget: number | null; readonly sinceUs: Micros } | null;
  /** The partner's requests in progress, handed over when it halted for this filer's takeover (compilation.ts). */
  compilation: { entries: number; served: number; waiting: HandedOverRequest[] } | null;
  /** Why an automatic takeover cannot happen now (shown by `cf status`), or null. */
  takeoverImpossible: string | null;
  lastTakeover: TakeoverRecord | null;
  lastGiveback: GivebackRecord | null;
  /** The waiting block was printed for this boot. */
  waitingShown: boolean;
  /** Consecutive ticks, while waiting for giveback, in which the partner said it is up and not in takeover. */
  partnerUpWhileWaitingTicks: number;
  counters: HaCounters;
  /** Invariant violations seen (bounded), with the virtual time. */
  violations: { atUs: Micros; detail: string }[];
}

export function createPartnerWatch(nowUs: Micros): PartnerWatch {
  return {
    icHeardUs: {}, announced: null, mirrorInSync: false, mailboxCounter: -1, mailboxChangedUs: nowUs, mailboxRead: null,
    haltedNoTakeover: false, waitingSinceUs: null, seen: { ic: 'lost', mailbox: 'lost' }, faults: [],
  };
}

export function createHaState(): HaState {
  return {
    state: 'down', osBooted: false, enabled: true, epoch: 0, upSinceUs: 0, heartbeatSeq: 0, partner: createPartnerWatch(0),
    haltMode: 'takeover', pendingTakeover: null, fm: createFailoverMonitorState(),
    negotiation: {
      partnerFaultType: null, lastRefusal: null, countdown: { state: 'idle', starts: 0, endsAtUs: null }, probe: null, lastGivebackRefusal: null,
    },
    askGivebackWhenCured: false, lastShutdown: null, shuttingDown: null, compilation: null, takeoverImpossible: null, lastTakeover: null, lastGiveback: null,
    waitingShown: false, partnerUpWhileWaitingTicks: 0, counters: { sent: {}, recv: {} }, violations: [],
  };
}
