// Seed 003's persistent CIFS state, as data: the record kept in NVRAM (the filer's sessions, tree
// connects, open files, locks and requests in progress, with the flag that says how the filer went
// down and who restores it), and the file service's bookkeeping around it (the last save and restore,
// a `panic-at` trap, the sessions adopted from a partner at takeover). Only used with
// `options cifs.persistent_state on`; with it off nothing here is written and CIFS behaves classically.
import type { Micros } from '../../engine/actor.ts';
import type { CifsRestoreView } from '../../protocol/cifs-view.ts';
import type { LogOp } from '../storage/nvram-log.ts';
import { chainsOf, createCifsState, putSession, type CifsChain, type CifsServerState } from './cifs-state.ts';

/**
 * The flag of seed 003 claims 9–17 and 43–44: elective or not, recovery by reboot or by takeover. The
 * non-elective values are armed while running (a crash cannot write a flag, N16); a planned shutdown
 * overwrites them with an elective one.
 */
export type CifsFlag =
  /** `reboot`, or a `halt` with takeover impossible: this filer restores its own sessions at boot. */
  | 'elective-reboot'
  /** `cf takeover`, `halt`, a negotiated takeover: the partner restores them. */
  | 'elective-takeover'
  /** Armed while takeover is not possible (`cf disable`, partner down): a crash is recovered by reboot. */
  | 'non-elective-reboot'
  /** Armed while the partner can take over: a crash is recovered by the partner. */
  | 'non-elective-takeover';

export function isTakeoverFlag(flag: CifsFlag): boolean {
  return flag === 'elective-takeover' || flag === 'non-elective-takeover';
}

/** Which save wrote the record: a save point of Fig. 5, the armed flag, or the planned shutdown. */
export type CifsSaveCause = 'armed' | 'p1' | 'p2' | 'p3' | 'p4' | 'shutdown';

/** What NVRAM holds (claim 43: the state of the device and a flag value). */
export interface SavedCifsState {
  readonly kind: 'cifs-persistent-state';
  /** The filer whose sessions these are. */
  readonly owner: string;
  readonly flag: CifsFlag;
  readonly cause: CifsSaveCause;
  readonly savedAtUs: Micros;
  readonly cifs: CifsServerState;
}

export interface CifsSaveRecord {
  readonly flag: CifsFlag;
  readonly atMs: number;
  readonly sessions: number;
  readonly pendingRequests: number;
  /** Requests still being worked on when an elective shutdown saved (0 once drained: claim 7). */
  readonly activeAtSave: number;
}

export type CifsRestoreSource = 'local-nvram' | 'partner-nvram';

/** What a restore did: the window's view of it (protocol/cifs-view.ts), and its consistency check. */
export interface CifsRestoreRecord extends CifsRestoreView {
  readonly flag: CifsFlag | null;
  readonly source: CifsRestoreSource;
  /**
   * Whether the record read was consistent (claims 3/24: saved only at points where it is): every
   * session on a saved connection, every open on a session's tree, every lock on an open, every
   * request at one stage with a reply exactly when completed, every chain part way on a started
   * request. Null when no record was read.
   */
  readonly consistent?: boolean | null;
  /** What was wrong, when it was not (the first few). */
  readonly problems?: readonly string[];
}

/** `fault <filer> panic-at cifs.p<1-4>.<before|after> [COMMAND]`: panic the next time that point is reached. */
export interface PanicTrap {
  readonly point: 1 | 2 | 3 | 4;
  readonly when: 'before' | 'after';
  /** Only a request of this SMB command (WRITE, CREATE…, or ANDX: a chain) springs it; null: any. */
  readonly command: string | null;
  /** `ANDX.2`: only the chain's second component (1-based); null: any. */
  readonly component: number | null;
}

/** A logged operation a replay redid, with the CIFS request it came from (connection#mid). */
export interface ReplayedCifsOp {
  readonly request: string;
  readonly volume: string;
  readonly op: LogOp;
}

export interface CifsPersistCounters {
  /** New requests ignored while an elective shutdown drained (clients retransmit). */
  ignoredWhileDraining: number;
  /** Restored requests acknowledged but not started: processed from the start (point 1 reached). */
  redelivered: number;
  /** Restored requests CIFS had started and had not finished: repeated (point 2 reached). */
  startedOps: number;
  /** Restored started requests the NVRAM log replay had already done: answered, not executed again. */
  notRepeated: number;
  /** Restored completed requests whose reply was sent again (point 3 reached, point 4 not). */
  repliesResent: number;
  /** AndX chains a restore resumed part way: from the component they reached, not the first (claims 21/42). */
  resumedPartial: number;
  /** AndX chains received (each a composite request, saved at point 1 once). */
  compositeRequests: number;
  /** Point 2 saves made before a chain's component (one per component that started: claims 4/25). */
  componentSaves: number;
  saves: number;
}

export interface CifsPersistState {
  /** CIFS state of a partner's vserver served here after a takeover that restored it, by vserver. */
  adopted: Record<string, CifsServerState>;
  trap: PanicTrap | null;
  replayed: ReplayedCifsOp[];
  /** Whether this filer has saved since its file service started (the first save re-arms the flag). */
  savedSinceStart: boolean;
  lastSave: CifsSaveRecord | null;
  lastRestore: CifsRestoreRecord | null;
  /** Why the NVRAM held nothing at the last boot (its contents lost with the power), or null. */
  lostAtBoot?: string | null;
  counters: CifsPersistCounters;
}

export function createCifsPersistState(): CifsPersistState {
  return {
    adopted: {}, trap: null, replayed: [], savedSinceStart: false, lastSave: null, lastRestore: null,
    counters: { ignoredWhileDraining: 0, redelivered: 0, startedOps: 0, notRepeated: 0, repliesResent: 0, resumedPartial: 0, compositeRequests: 0, componentSaves: 0, saves: 0 },
  };
}

/** A copy of the server's CIFS state to keep in NVRAM: nothing in it is shared with the live state. */
export function snapshotCifs(state: CifsServerState): CifsServerState {
  const copy = createCifsState();
  copy.nextUid = state.nextUid;
  copy.nextTid = state.nextTid;
  copy.nextFid = state.nextFid;
  for (const [key, connection] of Object.entries(state.connections)) {
    // The reply cache is not saved: a reply the client may still need is in its request's record.
    copy.connections[key] = { ...connection, replies: {}, replyOrder: [] };
  }
  for (const [uid, session] of Object.entries(state.sessions)) copy.sessions[Number(uid)] = { ...session, trees: { ...session.trees } };
  for (const [fid, open] of Object.entries(state.opens)) copy.opens[Number(fid)] = { ...open };
  copy.locks = state.locks.map((lock) => ({ ...lock }));
  for (const [key, record] of Object.entries(state.inProgress)) copy.inProgress[key] = { ...record };
  const chains: Record<string, CifsChain> = {};
  for (const [key, chain] of Object.entries(state.chains ?? {})) chains[key] = { request: chain.request, index: chain.index, replies: [...chain.replies] };
  copy.chains = chains;
  return copy;
}

export interface RestoredCounts {
  sessions: number;
  treeConnects: number;
  openFiles: number;
  locks: number;
  pendingRequests: number;
}

/**
 * Copies the saved state of one vserver's connections into a live state; returns what it restored.
 * A tree names its volume as the restoring filer keys it (`filerA:vol1` after a takeover).
 */
export function restoreVserverInto(target: CifsServerState, saved: CifsServerState, vserver: string, storagePrefix: string): RestoredCounts {
  const counts: RestoredCounts = { sessions: 0, treeConnects: 0, openFiles: 0, locks: 0, pendingRequests: 0 };
  const restored = snapshotCifs(saved);
  const connections = new Set(Object.values(restored.connections).filter((connection) => connection.vserver === vserver).map((connection) => connection.key));
  for (const key of connections) target.connections[key] = restored.connections[key];
  const uids = new Set<number>();
  for (const session of Object.values(restored.sessions)) {
    if (!connections.has(session.connection)) continue;
    for (const [tid, tree] of Object.entries(session.trees)) session.trees[Number(tid)] = { ...tree, volume: storagePrefix + tree.share };
    putSession(target, session);
    uids.add(session.uid);
    counts.sessions += 1;
    counts.treeConnects += Object.keys(session.trees).length;
  }
  const fids = new Set<number>();
  for (const open of Object.values(restored.opens)) {
    if (!uids.has(open.uid)) continue;
    target.opens[open.fid] = open;
    fids.add(open.fid);
    counts.openFiles += 1;
  }
  for (const lock of restored.locks) {
    if (!fids.has(lock.fid)) continue;
    target.locks.push(lock);
    counts.locks += 1;
  }
  for (const [key, record] of Object.entries(restored.inProgress)) {
    if (!connections.has(record.connection)) continue;
    target.inProgress[key] = record;
    counts.pendingRequests += 1;
  }
  const chains = chainsOf(target);
  for (const [key, chain] of Object.entries(restored.chains ?? {})) {
    if (connections.has(key.slice(0, key.lastIndexOf('#')))) chains[key] = chain;
  }
  // New ids never reuse a restored one.
  target.nextUid = Math.max(target.nextUid, restored.nextUid);
  target.nextTid = Math.max(target.nextTid, restored.nextTid);
  target.nextFid = Math.max(target.nextFid, restored.nextFid);
  return counts;
}

/** What is inconsistent in a saved CIFS state (empty: consistent); the first few problems. */
export function savedStateProblems(state: CifsServerState): string[] {
  const problems: string[] = [];
  const note = (text: string): void => { if (problems.length < 5) problems.push(text); };
  for (const [uid, session] of Object.entries(state.sessions)) {
    if (session.uid !== Number(uid) || session.uid >= state.nextUid) note(`session ${uid}: bad uid`);
    if (!state.connections[session.connection]) note(`session ${uid}: connection ${session.connection} not saved`);
    for (const tree of Object.values(session.trees)) if (tree.tid >= state.nextTid) note(`session ${uid}: tree ${tree.tid} beyond the next tid`);
  }
  for (const [fid, open] of Object.entries(state.opens)) {
    if (open.fid !== Number(fid) || open.fid >= state.nextFid) note(`open ${fid}: bad fid`);
    if (!state.sessions[open.uid]?.trees[open.tid]) note(`open ${fid}: session ${open.uid} tree ${open.tid} not saved`);
  }
  for (const lock of state.locks) if (!state.opens[lock.fid]) note(`lock on fid ${lock.fid}: no such open`);
  for (const [key, record] of Object.entries(state.inProgress)) {
    if (key !== `${record.connection}#${record.mid}`) note(`request ${key}: filed under another key`);
    if (!state.connections[record.connection]) note(`request ${key}: connection not saved`);
    if (!['acked', 'started', 'completed'].includes(record.stage)) note(`request ${key}: stage ${String(record.stage)}`);
    if ((record.stage === 'completed') !== (record.reply !== null)) note(`request ${key}: ${record.stage} with${record.reply ? '' : 'out'} a reply`);
    const command = record.request.request;
    if (command.command === 'ANDX' && record.component !== undefined && !(record.component >= 0 && record.component < command.components.length)) {
      note(`request ${key}: component ${record.component} of ${command.components.length}`);
    }
  }
  for (const [key, chain] of Object.entries(state.chains ?? {})) {
    const record = state.inProgress[key];
    const command = chain.request.request;
    const total = command.command === 'ANDX' ? command.components.length : 1;
    if (record && record.stage !== 'started') note(`chain ${key}: its request is ${record.stage}`);
    if (chain.replies.length !== chain.index || chain.index >= total) note(`chain ${key}: at ${chain.index} of ${total} with ${chain.replies.length} replies`);
  }
  return problems;
}

export function savedCifsStateOf(value: unknown): SavedCifsState | null {
  const record = value as Partial<SavedCifsState> | null | undefined;
  return record && record.kind === 'cifs-persistent-state' && record.cifs ? (record as SavedCifsState) : null;
}
