// What a CIFS server remembers, and what a classic filer forgets when it reboots or is taken over:
// connections, the sessions on them (uid), tree connects (tid), open files (fid) and byte-range
// locks. Pure state transitions; the server (cifs-server.ts) does the file system part.
import type { Micros } from '../../engine/actor.ts';
import type { FileHandle } from './file-handle.ts';
import { KeptCount } from './kept-count.ts';
import type { CifsRequest, CifsResponse, CifsStatus } from './cifs-wire.ts';

/** Replies kept per connection to answer a resent request (TCP delivers once). */
const REPLIES_KEPT = 16;

export interface CifsConnectionState {
  readonly key: string;
  readonly clientAddress: string;
  /** The vserver address the client connected to. */
  readonly serverAddress: string;
  readonly vserver: string;
  readonly openedUs: Micros;
  /** The last replies, by mid. */
  replies: Record<number, CifsResponse>;
  replyOrder: number[];
}

export interface CifsTree {
  readonly tid: number;
  readonly share: string;
  readonly volume: string;
}

export interface CifsSession {
  readonly uid: number;
  readonly connection: string;
  readonly user: string;
  readonly workstation: string;
  readonly openedUs: Micros;
  trees: Record<number, CifsTree>;
}

export interface CifsOpen {
  readonly fid: number;
  readonly uid: number;
  readonly tid: number;
  readonly path: string;
  readonly handle: FileHandle;
  readonly openedUs: Micros;
}

export interface ByteRangeLock {
  readonly fid: number;
  readonly offset: number;
  readonly length: number;
  readonly exclusive: boolean;
}

/**
 * Where a request stands among seed 003's save points (kept only with `cifs.persistent_state on`).
 * Fig. 5: point 1 before the transport acknowledges it, point 2 before CIFS starts it, point 3 when it
 * completes, point 4 after the transport acknowledges the reply (the record is then retired).
 */
export type CifsRequestStage =
  /** Received and acknowledged (point 1 saved): a restore processes it from the start. */
  | 'acked'
  /** CIFS started it (point 2 saved): it may have run; a restore finishes or repeats it. */
  | 'started'
  /** Done, its reply kept (point 3 saved): a restore sends the reply again. */
  | 'completed';

export interface CifsRequestRecord {
  readonly connection: string;
  readonly mid: number;
  readonly request: CifsRequest;
  stage: CifsRequestStage;
  reply: CifsResponse | null;
  /** An AndX chain's component that point 2 was last saved before (0-based); absent for a single command. */
  component?: number;
}

/**
 * An AndX chain in progress: the components answered so far and the one to run next. Kept for
 * classic filers too (a component may wait for storage); saved with persistent state, so that a
 * restore goes on from the component it reached, not from the first (claims 21/42).
 */
export interface CifsChain {
  readonly request: CifsRequest;
  index: number;
  replies: CifsResponse[];
}

export interface CifsServerState {
  nextUid: number;
  nextTid: number;
  nextFid: number;
  connections: Record<string, CifsConnectionState>;
  sessions: Record<number, CifsSession>;
  opens: Record<number, CifsOpen>;
  locks: ByteRangeLock[];
  /** Requests between point 1 and point 4, by `connection#mid` (persistent state only). */
  inProgress: Record<string, CifsRequestRecord>;
  /** AndX chains part way, by `connection#mid` (absent in a state saved before chains existed). */
  chains?: Record<string, CifsChain>;
}

export function createCifsState(): CifsServerState {
  return { nextUid: 100, nextTid: 1, nextFid: 1, connections: {}, sessions: {}, opens: {}, locks: [], inProgress: {}, chains: {} };
}

export function chainsOf(state: CifsServerState): Record<string, CifsChain> {
  state.chains ??= {};
  return state.chains;
}

/** The request one component of a chain makes (same connection and mid); a single command is itself. */
export function componentRequest(request: CifsRequest, index: number): CifsRequest {
  const command = request.request;
  if (command.command !== 'ANDX') return request;
  return { kind: 'cifs.request', connection: request.connection, mid: request.mid, request: command.components[index] };
}

/**
 * A component of a chain answered: returns the chain's whole reply once it ends (its last component,
 * or one that failed: SMB stops a chain at an error), else null (the next component is to run).
 */
export function chainAnswered(state: CifsServerState, name: string, response: CifsResponse): CifsResponse | null {
  const chain = chainsOf(state)[name];
  if (!chain) return response;
  chain.replies.push(response);
  chain.index += 1;
  const command = chain.request.request;
  const total = command.command === 'ANDX' ? command.components.length : 1;
  if (response.status === 'STATUS_SUCCESS' && chain.index < total) return null;
  delete chainsOf(state)[name];
  const request = chain.request;
  return { kind: 'cifs.response', connection: request.connection, mid: request.mid, command: 'ANDX', status: response.status, body: { chain: chain.replies } };
}

/**
 * Whether a table holds any entry. The requests-in-progress and chain tables are nearly always empty,
 * and a lookup that misses with a freshly built `connection#mid` key cost about 2 µs (V8 looks for the
 * new string among those it knows); a for-in that stops at the first key costs about 10 ns.
 */
export function hasEntries(table: object): boolean {
  for (const name in table) if (Object.hasOwn(table, name)) return true;
  return false;
}

export function requestKey(connectionKeyValue: string, mid: number): string {
  return `${connectionKeyValue}#${mid}`;
}

export function connectionKey(clientAddress: string, connection: number): string {
  return `${clientAddress}/${connection}`;
}

export function openConnection(state: CifsServerState, key: string, clientAddress: string, serverAddress: string, vserver: string, nowUs: Micros): void {
  if (state.connections[key]) closeConnection(state, key);
  state.connections[key] = { key, clientAddress, serverAddress, vserver, openedUs: nowUs, replies: {}, replyOrder: [] };
}

/** Drops a connection and everything on it; returns the sessions dropped. */
export function closeConnection(state: CifsServerState, key: string): number {
  if (!state.connections[key]) return 0;
  delete state.connections[key];
  for (const [name, record] of Object.entries(state.inProgress)) if (record.connection === key) delete state.inProgress[name];
  const chains = chainsOf(state);
  for (const name of Object.keys(chains)) if (name.startsWith(`${key}#`)) delete chains[name];
  let dropped = 0;
  for (const session of Object.values(state.sessions)) {
    if (session.connection !== key) continue;
    logoff(state, session.uid);
    dropped += 1;
  }
  return dropped;
}

/** Drops every connection made to one vserver (it moved away: giveback, a move); returns sessions dropped. */
export function dropVserverSessions(state: CifsServerState, vserver: string): number {
  let dropped = 0;
  for (const connection of Object.values(state.connections)) {
    if (connection.vserver === vserver) dropped += closeConnection(state, connection.key);
  }
  return dropped;
}

/** Forgets everything (a reboot, a halt, a takeover without persistent state); returns sessions dropped. */
export function dropAll(state: CifsServerState): number {
  const dropped = Object.keys(state.sessions).length;
  state.connections = {};
  state.sessions = {};
  state.opens = {};
  state.locks = [];
  state.inProgress = {};
  state.chains = {};
  return dropped;
}

export function rememberReply(connection: CifsConnectionState, response: CifsResponse): void {
  if (!(response.mid in connection.replies)) connection.replyOrder.push(response.mid);
  connection.replies[response.mid] = response;
  while (connection.replyOrder.length > REPLIES_KEPT) {
    const oldest = connection.replyOrder.shift();
    if (oldest !== undefined) delete connection.replies[oldest];
  }
}

/**
 * How many sessions each table holds, kept by putSession and logoff: the lab view asks after every
 * filer event, and Object.keys of the integer-keyed table cost about 1 µs a call.
 */
const sessionCounts = new KeptCount<Record<number, CifsSession>>((sessions) => Object.keys(sessions).length);

export function sessionCount(state: CifsServerState): number {
  return sessionCounts.of(state.sessions);
}

/** Adds (or replaces) a session: the only way a live table gains one, so that its count stays right. */
export function putSession(state: CifsServerState, session: CifsSession): void {
  if (!Object.hasOwn(state.sessions, session.uid)) sessionCounts.move(state.sessions, 1);
  state.sessions[session.uid] = session;
}

export function sessionSetup(state: CifsServerState, connectionKeyValue: string, user: string, workstation: string, nowUs: Micros): number {
  if (!state.connections[connectionKeyValue]) throw new Error(`session setup on unknown connection ${connectionKeyValue}`);
  const uid = state.nextUid;
  state.nextUid += 1;
  putSession(state, { uid, connection: connectionKeyValue, user, workstation, openedUs: nowUs, trees: {} });
  return uid;
}

export function logoff(state: CifsServerState, uid: number): void {
  for (const open of Object.values(state.opens)) {
    if (open.uid === uid) closeOpen(state, open.fid);
  }
  if (Object.hasOwn(state.sessions, uid)) sessionCounts.move(state.sessions, -1);
  delete state.sessions[uid];
}

export function treeConnect(state: CifsServerState, uid: number, share: string, volume: string): number {
  const session = state.sessions[uid];
  if (!session) throw new Error(`tree connect on unknown session ${uid}`);
  const tid = state.nextTid;
  state.nextTid += 1;
  session.trees[tid] = { tid, share, volume };
  return tid;
}

export function treeDisconnect(state: CifsServerState, uid: number, tid: number): void {
  for (const open of Object.values(state.opens)) {
    if (open.uid === uid && open.tid === tid) closeOpen(state, open.fid);
  }
  delete state.sessions[uid]?.trees[tid];
}

/**
 * Checks that a request names a live session on its own connection, a tree of that session and,
 * when given, an open file of that tree. Returns the tree, or the status the real server answers.
 */
export function validate(state: CifsServerState, connectionKeyValue: string, uid: number, tid: number, fid?: number): CifsTree | CifsStatus {
  const session = state.sessions[uid];
  if (!session || session.connection !== connectionKeyValue) return 'STATUS_USER_SESSION_DELETED';
  const tree = session.trees[tid];
  if (!tree) return 'STATUS_NETWORK_NAME_DELETED';
  if (fid !== undefined) {
    const open = state.opens[fid];
    if (!open || open.uid !== uid || open.tid !== tid) return 'STATUS_INVALID_HANDLE';
  }
  return tree;
}

export function addOpen(state: CifsServerState, uid: number, tid: number, path: string, handle: FileHandle, nowUs: Micros): number {
  const fid = state.nextFid;
  state.nextFid += 1;
  state.opens[fid] = { fid, uid, tid, path, handle, openedUs: nowUs };
  return fid;
}

export function closeOpen(state: CifsServerState, fid: number): void {
  delete state.opens[fid];
  // Locks are rare: no new (empty) array per CLOSE when none is held.
  if (state.locks.length > 0) state.locks = state.locks.filter((lock) => lock.fid !== fid);
}

function overlaps(a: { offset: number; length: number }, b: { offset: number; length: number }): boolean {
  return a.offset < b.offset + b.length && b.offset < a.offset + a.length;
}

/** Grants a byte-range lock unless another open of the same file holds a conflicting one. */
export function lockRange(state: CifsServerState, fid: number, offset: number, length: number, exclusive: boolean): CifsStatus {
  const open = state.opens[fid];
  if (!open) return 'STATUS_INVALID_HANDLE';
  if (!(length > 0) || offset < 0) return 'STATUS_INVALID_PARAMETER';
  const wanted = { offset, length };
  for (const held of state.locks) {
    const holder = state.opens[held.fid];
    if (!holder || holder.handle.fileId !== open.handle.fileId || holder.handle.fsid !== open.handle.fsid) continue;
    if (!overlaps(held, wanted)) continue;
    if (held.exclusive || exclusive) return 'STATUS_LOCK_NOT_GRANTED';
  }
  state.locks.push({ fid, offset, length, exclusive });
  return 'STATUS_SUCCESS';
}

export function unlockRange(state: CifsServerState, fid: number, offset: number, length: number): CifsStatus {
  const index = state.locks.findIndex((lock) => lock.fid === fid && lock.offset === offset && lock.length === length);
  if (index < 0) return 'STATUS_RANGE_NOT_LOCKED';
  state.locks.splice(index, 1);
  return 'STATUS_SUCCESS';
}

/** Whether a write by `fid` over a range runs into another open's lock (mandatory locking, as CIFS). */
export function writeConflicts(state: CifsServerState, fid: number, offset: number, length: number): boolean {
  if (state.locks.length === 0) return false; // the common case: no closure per WRITE
  const open = state.opens[fid];
  if (!open || length === 0) return false;
  return state.locks.some((lock) => {
    if (lock.fid === fid) return false;
    const holder = state.opens[lock.fid];
    return !!holder && holder.handle.fsid === open.handle.fsid && holder.handle.fileId === open.handle.fileId
      && overlaps(lock, { offset, length });
  });
}
