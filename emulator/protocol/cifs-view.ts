// The view paths of seed 003's CIFS state, typed once for the emulator and the renderer (the renderer
// imports this module, never the file service's internals).
//
//   <filer>.cifs.sessions     CifsSessionView[]: the CIFS sessions this filer holds now, its own and any it
//                             restored (from its own NVRAM at boot, from its partner's half at takeover)
//   <filer>.nvram.cifs        CifsNvramView: what the NVRAM card holds of CIFS state, in both halves
//   <client>.cifs             CifsClientView: a CIFS client's session as the client sees it
//
// Times are virtual milliseconds. Published only when they change.

/** A session on a filer, or in an NVRAM record. */
export interface CifsSessionView {
  readonly uid: number;
  /** The vserver the client connected to. */
  readonly vserver: string;
  /** The client's address, `10.1.2.102` (the window finds the client by it). */
  readonly clientAddress: string;
  readonly workstation: string;
  readonly user: string;
  /** Shares connected (one per tree connect). */
  readonly trees: readonly string[];
  /**
   * Live sessions only: how this filer came to hold it — opened here, restored from its own NVRAM at a
   * boot, or restored from the partner's half at a takeover (`from` names the partner). Null in a record.
   */
  readonly restored: 'reboot' | 'takeover' | null;
  readonly from: string | null;
}

/** A session as an NVRAM record keeps it, with its open files and locks (they come and go with every op). */
export interface CifsSavedSessionView extends CifsSessionView {
  readonly openFiles: number;
  readonly locks: number;
}

export type CifsFlagView = 'elective-reboot' | 'elective-takeover' | 'non-elective-reboot' | 'non-elective-takeover';

/** A request the record holds between save points 1 and 4, with the point it reached. */
export interface CifsPendingView {
  /** `connection#mid`. */
  readonly request: string;
  readonly command: string;
  readonly stage: 'acked' | 'started' | 'completed';
}

/** One NVRAM half's CIFS record (claim 43: the state and a flag value). */
export interface CifsNvramRecordView {
  /** The filer whose sessions these are. */
  readonly owner: string;
  readonly flag: CifsFlagView;
  /** Which save wrote it: the armed flag, a save point (p1–p4), or a planned shutdown. */
  readonly cause: string;
  readonly sessions: readonly CifsSavedSessionView[];
  readonly treeConnects: number;
  readonly openFiles: number;
  readonly locks: number;
  readonly pending: readonly CifsPendingView[];
}

export interface CifsRestoreView {
  readonly flag: CifsFlagView | null;
  readonly kind: 'reboot' | 'takeover';
  readonly source: 'local-nvram' | 'partner-nvram';
  readonly atMs: number;
  readonly sessions: number;
  readonly treeConnects: number;
  readonly openFiles: number;
  readonly locks: number;
  readonly pendingRequests: number;
  readonly skipped: string | null;
}

export interface CifsNvramView {
  /** `options cifs.persistent_state`. */
  readonly persistentState: 'on' | 'off';
  /** This filer's own half. */
  readonly local: CifsNvramRecordView | null;
  /** The partner's half: the partner's record, mirrored over the interconnect. */
  readonly partner: CifsNvramRecordView | null;
  readonly lastRestore: CifsRestoreView | null;
}

/** A CIFS client's session as the client sees it. */
export interface CifsClientView {
  /** The redirector's phase (`ready`, `connecting`, …). */
  readonly phase: string;
  /** The session id the server gave (0: none yet). */
  readonly uid: number;
  readonly sessionUp: boolean;
  /** The server acknowledges requests at the transport (seed 003 persistent state). */
  readonly serverAcks: boolean;
  readonly sessionsOpened: number;
  readonly sessionsDropped: number;
  readonly sessionsResumed: number;
  readonly duplicateReplies: number;
  readonly retransmits: number;
}

export const cifsViewPaths = {
  sessions: (filer: string) => `${filer}.cifs.sessions`,
  nvram: (filer: string) => `${filer}.nvram.cifs`,
  client: (client: string) => `${client}.cifs`,
} as const;
