// The CIFS client of a workstation (the Windows redirector, simplified): it connects, negotiates,
// sets up a session, connects to the share and makes its folder, then runs one workload op at a time
// as a short program of commands (CREATE/open, LOCK, WRITE, SET_EOF, UNLOCK, CLOSE, READ, RENAME,
// DELETE). A request left unanswered is resent (TCP) until the session timeout (45 s, Windows's
// SessTimeout): then, or at once on a reset, the session is dropped, the op in flight ends "maybe",
// and the client reconnects, as classic CIFS clients do after a filer reboot or takeover. A server that
// keeps seed 003's persistent state acknowledges each request at the transport (no more resends; the
// session timer still runs) and expects each reply acknowledged; its session survives a reboot or a
// takeover, which the client sees as a pause (`sessionsResumed`), and a reply it already had may come
// again after a restore (`duplicateReplies`, recognised by its mid and dropped).
import { MICROS_PER_SECOND, type Micros } from '../engine/actor.ts';
import type { CifsCommand, CifsResponse } from '../ontap/fileservice/cifs-wire.ts';
import { type ClientIo, type OpEnd, type OpToRun } from './client-io.ts';
import { readHashOf } from './known-content.ts';
import { chainsLastWrite, cifsOpStep, cifsPartial, firstCifsStage, holdsHandle, type CifsOpProgress } from './cifs-ops.ts';

export interface CifsClientOptions {
  readonly share: string;
  readonly user: string;
  readonly sessionTimeoutUs: Micros;
  /** First TCP retransmission timeout; doubles up to 8 s. */
  readonly rtoUs: Micros;
}

export const DEFAULT_CIFS_OPTIONS: CifsClientOptions = {
  share: 'vol1', user: 'trainee', sessionTimeoutUs: 45 * MICROS_PER_SECOND, rtoUs: 1 * MICROS_PER_SECOND,
};
const MAX_RTO_US = 8 * MICROS_PER_SECOND;

/** disconnected → connecting → negotiating → session-setup → tree-connect → folder → ready. */
export type CifsPhase = 'disconnected' | 'connecting' | 'negotiating' | 'session-setup' | 'tree-connect' | 'folder' | 'ready';

interface InFlight {
  readonly mid: number;
  readonly request: CifsCommand;
  readonly firstSentUs: Micros;
  rtoUs: Micros;
  retransmitTimer: number;
  sessionTimer: number;
  /** The server's transport acknowledged it: no more resends, the reply will come. */
  acked: boolean;
}

export interface CifsClientState {
  readonly options: CifsClientOptions;
  readonly workstation: string;
  readonly directory: string;
  phase: CifsPhase;
  connection: number;
  connectTimer: number | null;
  connectRtoUs: Micros;
  uid: number;
  tid: number;
  nextMid: number;
  inFlight: InFlight | null;
  op: CifsOpProgress | null;
  /** Whether a session was set up on the current connection (a drop counts only then). */
  sessionUp: boolean;
  sessionsDropped: number;
  sessionsOpened: number;
  /** The server acknowledges requests at the transport (seed 003): replies are acknowledged back. */
  serverAcks: boolean;
  retransmits: number;
  /** Sessions that went on after the server was silent for longer than a retransmission timeout. */
  sessionsResumed: number;
  /** Replies to a request already answered (a restored server sending its reply again). */
  duplicateReplies: number;
  /**
   * Open files the client lost (claims 18/39): held when its session dropped, or answered
   * STATUS_INVALID_HANDLE (the server no longer knew the fid).
   */
  staleHandles?: number;
  /** Byte-range locks the client lost: held when its session dropped, or an UNLOCK the server did not know. */
  locksLost?: number;
  /** Open files and locks held while the server was silent, still valid when its session went on. */
  handlesKept?: number;
  locksKept?: number;
}

export function createCifsClient(options: CifsClientOptions, workstation: string, directory: string): CifsClientState {
  return {
    options, workstation, directory, phase: 'disconnected', connection: 0, connectTimer: null,
    connectRtoUs: options.rtoUs, uid: 0, tid: 0, nextMid: 1, inFlight: null, op: null, sessionUp: false,
    sessionsDropped: 0, sessionsOpened: 0, serverAcks: false, retransmits: 0, sessionsResumed: 0, duplicateReplies: 0,
  };
}

export function cifsReady(state: CifsClientState): boolean {
  return state.phase === 'ready' && state.op === null;
}

/** Opens a new connection (a SYN, resent until accepted). */
export function cifsConnect(state: CifsClientState, io: ClientIo): void {
  if (state.phase !== 'disconnected') return;
  state.connection += 1;
  state.phase = 'connecting';
  state.connectRtoUs = state.options.rtoUs;
  sendConnect(state, io);
}

function sendConnect(state: CifsClientState, io: ClientIo): void {
  io.send({ kind: 'cifs.connect', connection: state.connection });
  state.connectTimer = io.setTimer(state.connectRtoUs, { kind: 'cifs.connect-timeout', connection: state.connection });
}

export function cifsConnectTimeout(state: CifsClientState, connection: number, io: ClientIo): void {
  if (state.phase !== 'connecting' || connection !== state.connection) return;
  state.connectRtoUs = Math.min(MAX_RTO_US, state.connectRtoUs * 2);
  sendConnect(state, io);
}

export function cifsAccepted(state: CifsClientState, connection: number, io: ClientIo): void {
  if (state.phase !== 'connecting' || connection !== state.connection) return;
  if (state.connectTimer !== null) io.cancelTimer(state.connectTimer);
  state.connectTimer = null;
  state.phase = 'negotiating';
  request(state, io, { command: 'NEGOTIATE' });
}

function request(state: CifsClientState, io: ClientIo, command: CifsCommand): void {
  if (state.inFlight) throw new Error('cifs client: one request at a time');
  const mid = state.nextMid;
  state.nextMid += 1;
  const connection = state.connection;
  // Timer payloads as literals (kind, connection, mid: the fields in the order the trace folds them).
  state.inFlight = {
    mid, request: command, firstSentUs: io.now, rtoUs: state.options.rtoUs,
    retransmitTimer: io.setTimer(state.options.rtoUs, { kind: 'cifs.retransmit', connection, mid }),
    sessionTimer: io.setTimer(state.options.sessionTimeoutUs, { kind: 'cifs.session-timeout', connection, mid }),
    acked: false,
  };
  io.send({ kind: 'cifs.request', connection: state.connection, mid, request: command });
}

/** TCP resends the request that is still unanswered. */
export function cifsRetransmit(state: CifsClientState, connection: number, mid: number, io: ClientIo): void {
  const inFlight = state.inFlight;
  if (!inFlight || connection !== state.connection || inFlight.mid !== mid) return;
  if (inFlight.acked) return;
  state.retransmits += 1;
  inFlight.rtoUs = Math.min(MAX_RTO_US, inFlight.rtoUs * 2);
  inFlight.retransmitTimer = io.setTimer(inFlight.rtoUs, { kind: 'cifs.retransmit', connection, mid });
  io.send({ kind: 'cifs.request', connection, mid, request: inFlight.request });
}

/** No answer within the session timeout: the redirector gives the session up. Returns the op's end. */
export function cifsSessionTimeout(state: CifsClientState, connection: number, mid: number, io: ClientIo): OpEnd | null {
  const inFlight = state.inFlight;
  if (!inFlight || connection !== state.connection || inFlight.mid !== mid) return null;
  io.ems('warning', `cifs: no response from the server in ${Math.round(state.options.sessionTimeoutUs / MICROS_PER_SECOND)} s, session dropped`);
  return dropSession(state, io, 'session timed out', true);
}

/** The server reset the connection (it rebooted, or the address moved to a node that never knew us). */
export function cifsReset(state: CifsClientState, connection: number, io: ClientIo): OpEnd | null {
  if (connection !== state.connection || state.phase === 'disconnected') return null;
  io.ems('warning', 'cifs: connection reset by the server, session dropped');
  return dropSession(state, io, 'connection reset', false);
}

/** Ends the connection and everything on it; the actor reconnects. Returns the end of the op in flight. */
function dropSession(state: CifsClientState, io: ClientIo, reason: string, tellServer: boolean): OpEnd | null {
  if (state.inFlight) {
    io.cancelTimer(state.inFlight.retransmitTimer);
    io.cancelTimer(state.inFlight.sessionTimer);
  }
  if (state.connectTimer !== null) io.cancelTimer(state.connectTimer);
  if (tellServer) io.send({ kind: 'cifs.reset', connection: state.connection });
  // What a dropped session held is gone with it: the op's open file, and its lock (not when hanging up by choice).
  if (state.sessionUp) {
    state.sessionsDropped += 1;
    if (state.op && holdsHandle(state.op)) state.staleHandles = (state.staleHandles ?? 0) + 1;
    if (state.op?.lockHeld) state.locksLost = (state.locksLost ?? 0) + 1;
  }
  state.inFlight = null;
  state.connectTimer = null;
  state.sessionUp = false;
  state.serverAcks = false;
  state.phase = 'disconnected';
  const op = state.op;
  state.op = null;
  if (!op) return null;
  if (op.dataDone) return op.readChunks ? { outcome: 'ok', readHash: readHashOf(op.run, op.readChunks) } : { outcome: 'ok' };
  return { outcome: 'maybe', reason, ...cifsPartial(op) };
}

export function cifsStartOp(state: CifsClientState, run: OpToRun, io: ClientIo): void {
  if (!cifsReady(state)) throw new Error('cifs client: op started while not ready');
  state.op = {
    run, stage: firstCifsStage(run.planned), fid: 0, offset: 0, readChunks: null, dataDone: false,
    ...(chainsLastWrite(run.planned, state.serverAcks) ? { chain: true } : {}),
  };
  request(state, io, cifsOpStep(state.op, state.uid, state.tid, null).next as CifsCommand);
}

/** The server's transport acknowledged the request in flight (seed 003 point 1): stop resending it. */
export function cifsTransportAck(state: CifsClientState, connection: number, mid: number, io: ClientIo): void {
  const inFlight = state.inFlight;
  if (connection !== state.connection) return;
  state.serverAcks = true;
  if (!inFlight || inFlight.mid !== mid || inFlight.acked) return;
  inFlight.acked = true;
  io.cancelTimer(inFlight.retransmitTimer);
}

/** A response arrived: moves the session set-up or the op on. Returns the op's end when it ended. */
export function cifsReceive(state: CifsClientState, response: CifsResponse, io: ClientIo): OpEnd | null {
  const inFlight = state.inFlight;
  if (response.connection !== state.connection) return null;
  if (!inFlight || response.mid !== inFlight.mid) {
    // A reply to a request answered already: the client knows its mid and drops it (acknowledged again).
    if (response.mid < state.nextMid) {
      state.duplicateReplies += 1;
      if (state.serverAcks) io.send({ kind: 'cifs.reply-ack', connection: response.connection, mid: response.mid });
    }
    return null;
  }
  io.cancelTimer(inFlight.retransmitTimer);
  io.cancelTimer(inFlight.sessionTimer);
  state.inFlight = null;
  if (state.serverAcks) io.send({ kind: 'cifs.reply-ack', connection: response.connection, mid: response.mid });
  // The server was silent past a retransmission timeout and the session went on: it survived.
  if (state.sessionUp && io.now - inFlight.firstSentUs >= state.options.rtoUs) {
    state.sessionsResumed += 1;
    if (state.op && holdsHandle(state.op) && response.status !== 'STATUS_INVALID_HANDLE') state.handlesKept = (state.handlesKept ?? 0) + 1;
    if (state.op?.lockHeld && response.status !== 'STATUS_RANGE_NOT_LOCKED') state.locksKept = (state.locksKept ?? 0) + 1;
  }
  countLost(state, response);
  if (response.status === 'STATUS_USER_SESSION_DELETED' || response.status === 'STATUS_NETWORK_NAME_DELETED') {
    return dropSession(state, io, response.status, true);
  }
  if (state.phase !== 'ready') {
    setupStep(state, response, io);
    return null;
  }
  const op = state.op;
  if (!op) return null;
  const step = cifsOpStep(op, state.uid, state.tid, response);
  if (step.next) {
    request(state, io, step.next);
    return null;
  }
  state.op = null;
  return step.end ?? { outcome: 'fail', reason: 'no end' };
}

/** A reply (or a chain's component) saying the server forgot the client's fid or lock. */
function countLost(state: CifsClientState, response: CifsResponse): void {
  for (const reply of response.body.chain ?? [response]) {
    if (reply.status === 'STATUS_INVALID_HANDLE') state.staleHandles = (state.staleHandles ?? 0) + 1;
    if (reply.status === 'STATUS_RANGE_NOT_LOCKED' && reply.command === 'UNLOCK') state.locksLost = (state.locksLost ?? 0) + 1;
  }
}

function setupStep(state: CifsClientState, response: CifsResponse, io: ClientIo): void {
  const ok = response.status === 'STATUS_SUCCESS';
  switch (state.phase) {
    case 'negotiating':
      if (!ok) break;
      state.phase = 'session-setup';
      return request(state, io, { command: 'SESSION_SETUP', user: state.options.user, workstation: state.workstation });
    case 'session-setup':
      if (!ok || response.body.uid === undefined) break;
      state.uid = response.body.uid;
      state.sessionUp = true;
      state.sessionsOpened += 1;
      state.phase = 'tree-connect';
      return request(state, io, { command: 'TREE_CONNECT', uid: state.uid, share: state.options.share });
    case 'tree-connect':
      if (!ok || response.body.tid === undefined) break;
      state.tid = response.body.tid;
      state.phase = 'folder';
      return request(state, io, { command: 'CREATE', uid: state.uid, tid: state.tid, path: state.directory, disposition: 'open-if', directory: true });
    case 'folder':
      if (!ok) break;
      if (response.command === 'CREATE' && response.body.fid !== undefined) {
        return request(state, io, { command: 'CLOSE', uid: state.uid, tid: state.tid, fid: response.body.fid });
      }
      state.phase = 'ready';
      return;
    default:
      break;
  }
  // Refused during set-up: hang up; the actor will try again.
  dropSession(state, io, `set-up refused: ${response.status}`, true);
}

/** The run stopped (client stop): hang up; the op in flight may or may not have happened. */
export function cifsAbandon(state: CifsClientState, io: ClientIo): OpEnd | null {
  if (state.phase === 'disconnected') return null;
  // Hanging up by choice is not a dropped session.
  state.sessionUp = false;
  return dropSession(state, io, 'abandoned', true);
}
