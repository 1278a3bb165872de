// The view paths the HA subsystem publishes, typed once for the emulator and the renderer (the
// renderer imports this module, never the emulator's internals).
//
//   <filer>.ha.state                 HaViewState: the cf state machine's state
//   <filer>.ha.enabled               boolean: cf enable|disable
//   <filer>.ha.takeoverImpossible    string | null: why the partner cannot be taken over now
//   <filer>.ha.partnerHeartbeat      { ic: 'ok' | 'lost', mailbox: 'ok' | 'lost' }
//   <filer>.ha.lastTakeover          HaTakeoverView | null
//   <filer>.ha.monitor               HaMonitorView: the failover monitor's faults with their class, and the
//                                    takeover this filer asked its partner for (the negotiation's request)
//   <filer>.ha.negotiation           HaNegotiationView: the negotiation as the partner of a faulty filer
//                                    sees it: the fault type it was told, its verdict, the countdown
//
// Times are virtual milliseconds: the window computes what is left of a countdown from the lab's clock.

export type HaViewState = 'down' | 'up' | 'taking-over' | 'takeover' | 'giving-back' | 'waiting-for-giveback';

export interface HaTakeoverView {
  readonly kind: string;
  readonly trigger: string;
  readonly atMs: number;
  readonly servingAtMs: number | null;
  /** Step tokens joined by `>`. */
  readonly steps: string;
  readonly failed: string | null;
}

export interface HaHeartbeatView {
  readonly ic: 'ok' | 'lost';
  readonly mailbox: 'ok' | 'lost';
}

/** How the failover monitor classes a fault (emulator/ontap/ha/monitor.ts). */
export type HaFaultClass = 'fatal' | 'takeover' | 'warning';

export interface HaMonitoredFaultView {
  /** The fault type as the partner is told it (`nvram-battery`, `overtemp`, `fan`, `psu`). */
  readonly type: string;
  readonly class: HaFaultClass;
  /** In a trainee's words. */
  readonly text: string;
}

export interface HaRequestView {
  readonly faultType: string;
  /** When this filer asked its partner to take over. */
  readonly atMs: number;
  /** Still asking: the fault is there and this filer is up (false once it halted, or the fault was cured). */
  readonly pending: boolean;
  /** The partner's answer as this filer heard it: shut down, refused (with the reason), or none yet. */
  readonly answer: 'please-shutdown' | 'refused' | null;
  readonly reason: string | null;
}

export interface HaMonitorView {
  /** What the monitor sees now (empty while the OS is down: nothing is watching). */
  readonly faults: readonly HaMonitoredFaultView[];
  /** The worst class among the faults. */
  readonly diagnosis: HaFaultClass | 'none';
  /** The last takeover this filer asked its partner for (kept after it ends, for the window to fade). */
  readonly request: HaRequestView | null;
}

export interface HaVerdictView {
  /** Accepted (please shut down sent, countdown started) or refused. */
  readonly kind: 'please-shutdown' | 'refused';
  readonly faultType: string;
  readonly reason: string | null;
  readonly atMs: number;
}

export type HaCountdownState = 'idle' | 'running' | 'expired' | 'cancelled';

export interface HaCountdownView {
  readonly state: HaCountdownState;
  /** Countdowns started since the lab began. */
  readonly starts: number;
  readonly startedAtMs: number | null;
  readonly endsAtMs: number | null;
}

export interface HaNegotiationView {
  /** The fault type the partner sent with its last request. */
  readonly partnerFaultType: string | null;
  readonly lastRefusal: string | null;
  /** The last verdict on a partner's request (kept after it, for the window to fade). */
  readonly verdict: HaVerdictView | null;
  readonly countdown: HaCountdownView;
}

export const haViewPaths = {
  state: (filer: string) => `${filer}.ha.state`,
  enabled: (filer: string) => `${filer}.ha.enabled`,
  takeoverImpossible: (filer: string) => `${filer}.ha.takeoverImpossible`,
  partnerHeartbeat: (filer: string) => `${filer}.ha.partnerHeartbeat`,
  lastTakeover: (filer: string) => `${filer}.ha.lastTakeover`,
  monitor: (filer: string) => `${filer}.ha.monitor`,
  negotiation: (filer: string) => `${filer}.ha.negotiation`,
} as const;

/** What the filer's banner says for each HA state (the window's wording). */
export const HA_STATE_LABELS: Readonly<Record<HaViewState, string>> = {
  down: '',
  up: '',
  'taking-over': 'taking over',
  takeover: 'in takeover',
  'giving-back': 'giving back',
  'waiting-for-giveback': 'waiting for giveback',
};
