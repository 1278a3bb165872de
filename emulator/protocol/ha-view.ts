// The view paths the HA subsystem publishes, typed once for the emulator and the renderer (the
// renderer imports this module, never the emulator's internals).
//
//   <filer>.ha.state                 HaViewState: the cf state machine's state
//   <filer>.ha.enabled               boolean: cf enable|disable
//   <filer>.ha.takeoverImpossible    string | null: why the partner cannot be taken over now
//   <filer>.ha.partnerHeartbeat      { ic: 'ok' | 'lost', mailbox: 'ok' | 'lost' }
//   <filer>.ha.lastTakeover          HaTakeoverView | null

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

export const haViewPaths = {
  state: (filer: string) => `${filer}.ha.state`,
  enabled: (filer: string) => `${filer}.ha.enabled`,
  takeoverImpossible: (filer: string) => `${filer}.ha.takeoverImpossible`,
  partnerHeartbeat: (filer: string) => `${filer}.ha.partnerHeartbeat`,
  lastTakeover: (filer: string) => `${filer}.ha.lastTakeover`,
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
