// The CIFS-like server: connections, sessions, trees, opens and locks (cifs-state.ts) over the storage
// file-system API. Like NFS, a modifying command is answered only once storage completes it (after
// the NVRAM mirror). A request on a connection the server does not know gets a reset: that is what a
// client sees after a reboot or a takeover of a classic filer, and its session is gone. With seed 003's
// persistent state on, each request goes through the four save points (cifs-points.ts) instead, and a
// partner's vserver served after a takeover keeps its own restored state (`persist.adopted`).
import type { Payload } from '../../engine/actor.ts';
import { lookup, read, type FsRequest } from '../storage/fs-api.ts';
import type { FsError, OpCompletion } from '../storage/types.ts';
import { persistentStateOn } from './cifs-nvram.ts';
import { completeRequest, componentCompleted, receiveRequest, replyAcknowledged, resentRequest } from './cifs-points.ts';
import {
  addOpen, chainAnswered, chainsOf, closeConnection, hasEntries, componentRequest, closeOpen, connectionKey, lockRange, logoff, openConnection, rememberReply, requestKey, sessionSetup,
  treeConnect, treeDisconnect, unlockRange, validate, writeConflicts, type CifsServerState, type CifsTree,
} from './cifs-state.ts';
import { cifsResponse, type CifsRequest, type CifsResponse, type CifsStatus } from './cifs-wire.ts';
import { fileHandle } from './file-handle.ts';
import { servedAddress, type ServeDoor } from './serve-door.ts';
import { cifsPendingCount, type FileServiceState, type PendingRequest, type ServedAddress } from './state.ts';
import { volumeKey } from './vserver-service.ts';

const STATUS_OF: Record<FsError, CifsStatus> = {
  noent: 'STATUS_OBJECT_NAME_NOT_FOUND', exist: 'STATUS_OBJECT_NAME_COLLISION', notdir: 'STATUS_OBJECT_PATH_NOT_FOUND',
  isdir: 'STATUS_FILE_IS_A_DIRECTORY', notempty: 'STATUS_DIRECTORY_NOT_EMPTY', stale: 'STATUS_INVALID_HANDLE',
  nospc: 'STATUS_DISK_FULL', inval: 'STATUS_INVALID_PARAMETER', rofs: 'STATUS_ACCESS_DENIED', offline: 'STATUS_INSUFFICIENT_RESOURCES',
};

const MAX_IO_BYTES = 64 * 1024;

function send(door: ServeDoor, server: string, client: string, body: object): void {
  door.send(server, client, 'cifs', body as unknown as Payload);
}

/** The CIFS state a vserver's requests use here: one adopted from its home filer at takeover, else ours. */
export function cifsOf(fs: FileServiceState, vserver: string): CifsServerState {
  return fs.persist.adopted[vserver] ?? fs.cifs;
}

export function cifsConnect(door: ServeDoor, served: ServedAddress, client: string, connection: number): void {
  openConnection(cifsOf(door.fs, served.vserver), connectionKey(client, connection), client, served.address, served.vserver, door.ctx.now);
  send(door, served.address, client, { kind: 'cifs.accept', connection });
}

/** The client hung up (or gave up on us): forget its connection and sessions. */
export function cifsClientReset(door: ServeDoor, served: ServedAddress, client: string, connection: number): void {
  closeConnection(cifsOf(door.fs, served.vserver), connectionKey(client, connection));
}

/** The client's transport acknowledged a reply (persistent state: point 4). */
export function cifsReplyAck(door: ServeDoor, served: ServedAddress, client: string, connection: number, mid: number): void {
  replyAcknowledged(door, cifsOf(door.fs, served.vserver), connectionKey(client, connection), mid);
}

export function serveCifs(door: ServeDoor, served: ServedAddress, client: string, request: CifsRequest): void {
  const state = cifsOf(door.fs, served.vserver);
  const key = connectionKey(client, request.connection);
  const connection = state.connections[key];
  if (!connection) {
    send(door, served.address, client, { kind: 'cifs.reset', connection: request.connection });
    return;
  }
  const previous = connection.replies[request.mid];
  if (previous) {
    send(door, served.address, client, previous);
    return;
  }
  if (persistentStateOn(door.filer)) {
    const inProgress = state.inProgress[requestKey(key, request.mid)];
    if (inProgress) resentRequest(door, inProgress, served.address, client);
    else receiveRequest(door, state, served, client, key, request, dispatch);
    return;
  }
  // Still being served (waiting for storage): TCP would not deliver it twice.
  if (stillPending(door.fs, key, request.mid)) return;
  const command = request.request.command;
  door.fs.counters.cifsCommands[command] = (door.fs.counters.cifsCommands[command] ?? 0) + 1;
  const response = dispatch(door, served, client, key, request);
  if (response) respond(door, state, served.address, client, key, response);
}

/** Whether a command of this connection and mid waits for storage (a loop: runs per request). */
function stillPending(fs: FileServiceState, key: string, mid: number): boolean {
  if (cifsPendingCount(fs) === 0) return false;
  const pending = fs.pending;
  for (const opId in pending) {
    const entry = pending[opId];
    if (entry.protocol === 'cifs' && entry.connection === key && entry.request.mid === mid) return true;
  }
  return false;
}

function respond(door: ServeDoor, state: CifsServerState, server: string, client: string, key: string, response: CifsResponse): void {
  const connection = state.connections[key];
  if (connection) rememberReply(connection, response);
  send(door, server, client, response);
}

function isSeparator(code: number): boolean {
  return code === 0x2f /* / */ || code === 0x5c /* backslash */;
}

/**
 * Resolves `dir/sub/name` under the tree's volume root: the parent directory's id and the last name.
 * Either separator, repeated or not, splits names. Scanned in place rather than split and filtered:
 * it runs for every CREATE, RENAME and DELETE.
 */
function resolveParent(door: ServeDoor, tree: CifsTree, path: string): { dir: number; name: string } | CifsStatus {
  let nameEnd = path.length;
  while (nameEnd > 0 && isSeparator(path.charCodeAt(nameEnd - 1))) nameEnd--;
  if (nameEnd === 0) return 'STATUS_INVALID_PARAMETER';
  let nameStart = nameEnd;
  while (nameStart > 0 && !isSeparator(path.charCodeAt(nameStart - 1))) nameStart--;
  const volume = door.storage.volumes[tree.volume];
  if (!volume) return 'STATUS_NETWORK_NAME_DELETED';
  let dir = 2;
  let at = 0;
  for (;;) {
    while (at < nameStart && isSeparator(path.charCodeAt(at))) at++;
    if (at >= nameStart) break;
    const partStart = at;
    while (!isSeparator(path.charCodeAt(at))) at++;
    const found = lookup(door.storage, tree.volume, dir, path.slice(partStart, at));
    if (typeof found === 'string') return found === 'noent' ? 'STATUS_OBJECT_PATH_NOT_FOUND' : STATUS_OF[found];
    dir = found.fileId;
  }
  return { dir, name: path.slice(nameStart, nameEnd) };
}

// Replies are built with cifsResponse directly: a named `reply` closure per request costs a
// defineProperty under tsx.
function dispatch(door: ServeDoor, served: ServedAddress, client: string, key: string, request: CifsRequest): CifsResponse | null {
  const state = cifsOf(door.fs, served.vserver);
  const command = request.request;
  switch (command.command) {
    case 'NEGOTIATE':
    case 'ECHO':
      return cifsResponse(request, 'STATUS_SUCCESS');
    case 'SESSION_SETUP': {
      const uid = sessionSetup(state, key, String(command.user).slice(0, 64), String(command.workstation).slice(0, 64), door.ctx.now);
      door.fs.counters.sessionsOpened += 1;
      return cifsResponse(request, 'STATUS_SUCCESS', { uid });
    }
    case 'LOGOFF':
      logoff(state, command.uid);
      return cifsResponse(request, 'STATUS_SUCCESS');
    case 'TREE_CONNECT': {
      const session = state.sessions[command.uid];
      if (!session || session.connection !== key) return cifsResponse(request, 'STATUS_USER_SESSION_DELETED');
      const share = String(command.share);
      const volume = volumeKey(served, share);
      if (!served.volumes.includes(share) || !Object.hasOwn(door.storage.volumes, volume)) return cifsResponse(request, 'STATUS_BAD_NETWORK_NAME');
      return cifsResponse(request, 'STATUS_SUCCESS', { tid: treeConnect(state, command.uid, share, volume) });
    }
    case 'TREE_DISCONNECT':
      treeDisconnect(state, command.uid, command.tid);
      return cifsResponse(request, 'STATUS_SUCCESS');
    case 'ANDX':
      return runChain(door, served, client, key, request);
    default:
      return fileCommand(door, served, client, key, request);
  }
}

function fileCommand(door: ServeDoor, served: ServedAddress, client: string, key: string, request: CifsRequest): CifsResponse | null {
  const state = cifsOf(door.fs, served.vserver);
  const command = request.request;
  if (!('uid' in command) || !('tid' in command)) return cifsResponse(request, 'STATUS_INVALID_PARAMETER');
  const tree = validate(state, key, command.uid, command.tid, 'fid' in command ? command.fid : undefined);
  if (typeof tree === 'string') return cifsResponse(request, tree);
  const volume = door.storage.volumes[tree.volume];
  if (!volume) return cifsResponse(request, 'STATUS_NETWORK_NAME_DELETED');
  switch (command.command) {
    case 'CREATE': {
      const parent = resolveParent(door, tree, command.path);
      if (typeof parent === 'string') return cifsResponse(request, parent);
      const existing = lookup(door.storage, tree.volume, parent.dir, parent.name);
      if (typeof existing !== 'string') {
        if (command.disposition === 'create') return cifsResponse(request, 'STATUS_OBJECT_NAME_COLLISION');
        // Overwrite: truncate first; the file is opened when storage has done it.
        if (command.disposition === 'overwrite-if') return submitCifs(door, served, client, key, request, tree.volume, volume.fsid, { kind: 'setattr', fileId: existing.fileId, size: 0 });
        const fid = addOpen(state, command.uid, command.tid, command.path, fileHandle(volume.fsid, existing.fileId, existing.generation), door.ctx.now);
        return cifsResponse(request, 'STATUS_SUCCESS', { fid });
      }
      if (existing !== 'noent') return cifsResponse(request, STATUS_OF[existing]);
      if (command.disposition === 'open') return cifsResponse(request, 'STATUS_OBJECT_NAME_NOT_FOUND');
      return submitCifs(door, served, client, key, request, tree.volume, volume.fsid, { kind: command.directory ? 'mkdir' : 'create', dir: parent.dir, name: parent.name });
    }
    case 'CLOSE':
      closeOpen(state, command.fid);
      return cifsResponse(request, 'STATUS_SUCCESS');
    case 'READ': {
      const open = state.opens[command.fid];
      const result = read(door.storage, tree.volume, open.handle.fileId, command.offset, Math.min(command.count, MAX_IO_BYTES));
      if (typeof result === 'string') return cifsResponse(request, STATUS_OF[result]);
      return cifsResponse(request, 'STATUS_SUCCESS', { data: result.data, count: result.data.length });
    }
    case 'WRITE': {
      if (!(command.data instanceof Uint8Array) || command.data.length > MAX_IO_BYTES) return cifsResponse(request, 'STATUS_INVALID_PARAMETER');
      if (writeConflicts(state, command.fid, command.offset, command.data.length)) return cifsResponse(request, 'STATUS_FILE_LOCK_CONFLICT');
      return submitCifs(door, served, client, key, request, tree.volume, volume.fsid, { kind: 'write', fileId: state.opens[command.fid].handle.fileId, offset: command.offset, data: command.data });
    }
    case 'SET_EOF':
      return submitCifs(door, served, client, key, request, tree.volume, volume.fsid, { kind: 'setattr', fileId: state.opens[command.fid].handle.fileId, size: command.size });
    case 'LOCK':
      return cifsResponse(request, lockRange(state, command.fid, command.offset, command.length, command.exclusive));
    case 'UNLOCK':
      return cifsResponse(request, unlockRange(state, command.fid, command.offset, command.length));
    case 'RENAME': {
      const from = resolveParent(door, tree, command.path);
      const to = resolveParent(door, tree, command.newPath);
      if (typeof from === 'string') return cifsResponse(request, from);
      if (typeof to === 'string') return cifsResponse(request, to);
      return submitCifs(door, served, client, key, request, tree.volume, volume.fsid, { kind: 'rename', fromDir: from.dir, fromName: from.name, toDir: to.dir, toName: to.name });
    }
    case 'DELETE': {
      const parent = resolveParent(door, tree, command.path);
      if (typeof parent === 'string') return cifsResponse(request, parent);
      return submitCifs(door, served, client, key, request, tree.volume, volume.fsid, { kind: 'remove', dir: parent.dir, name: parent.name });
    }
    default:
      return cifsResponse(request, 'STATUS_INVALID_PARAMETER');
  }
}

/**
 * A classic filer runs an AndX chain's components in order from where it stands (a component waiting
 * for storage goes on in completeCifs); with persistent state, cifs-points.ts runs them, each after its
 * own point 2. Returns the chain's reply once it ends, or null while a component waits for storage.
 */
function runChain(door: ServeDoor, served: ServedAddress, client: string, key: string, request: CifsRequest): CifsResponse | null {
  const state = cifsOf(door.fs, served.vserver);
  const name = requestKey(key, request.mid);
  const chains = chainsOf(state);
  chains[name] ??= { request, index: 0, replies: [] };
  const chain = chains[name];
  for (;;) {
    const component = componentRequest(chain.request, chain.index);
    // A chain inside a chain is refused (the wire check refuses it first).
    if (component.request.command === 'ANDX') {
      delete chains[name];
      return cifsResponse(request, 'STATUS_INVALID_PARAMETER');
    }
    const counts = door.fs.counters.cifsCommands;
    counts[component.request.command] = (counts[component.request.command] ?? 0) + 1;
    const response = dispatch(door, served, client, key, component);
    if (!response) return null;
    const whole = chainAnswered(state, name, response);
    if (whole) return whole;
  }
}

/** Hands a modifying command to storage; answered on completion. A module function, not a closure per command. */
function submitCifs(door: ServeDoor, served: ServedAddress, client: string, key: string, request: CifsRequest, volume: string, fsid: number, fsRequest: FsRequest): null {
  const inProgress = cifsOf(door.fs, served.vserver).inProgress;
  const persistent = hasEntries(inProgress) && !!inProgress[requestKey(key, request.mid)];
  const pending: PendingRequest = { protocol: 'cifs', client, server: served.address, connection: key, request, volume, fsid, vserver: served.vserver, persistent };
  door.submit(volume, fsRequest, pending);
  return null;
}

/** Storage completed a modifying command: answer it (a CREATE opens the new file). */
export function completeCifs(door: ServeDoor, pending: Extract<PendingRequest, { protocol: 'cifs' }>, completion: OpCompletion): void {
  const state = cifsOf(door.fs, pending.vserver);
  const request = pending.request;
  // The connection went away meanwhile (the client hung up): nobody to answer.
  if (!state.connections[pending.connection]) return;
  const result = completion.result;
  let response: CifsResponse;
  if (!result.ok) response = cifsResponse(request, STATUS_OF[result.error] ?? 'STATUS_DATA_ERROR');
  else if (request.request.command === 'CREATE') {
    const command = request.request;
    const fid = state.sessions[command.uid]
      ? addOpen(state, command.uid, command.tid, command.path, fileHandle(pending.fsid, result.fileId ?? 0, result.generation ?? 0), door.ctx.now)
      : 0;
    response = cifsResponse(request, fid ? 'STATUS_SUCCESS' : 'STATUS_USER_SESSION_DELETED', fid ? { fid } : {});
  } else if (request.request.command === 'WRITE') {
    response = cifsResponse(request, 'STATUS_SUCCESS', { count: request.request.data.length });
  } else response = cifsResponse(request, 'STATUS_SUCCESS');
  const chains = chainsOf(state);
  const name = requestKey(pending.connection, request.mid);
  const record = hasEntries(state.inProgress) ? state.inProgress[name] : undefined;
  const chain = hasEntries(chains) ? chains[name] : undefined;
  if (chain) {
    // A chain's component: the next one runs, or the chain's reply goes out.
    if (record?.stage === 'started') {
      componentCompleted(door, state, pending.server, pending.client, record, response, dispatch);
      return;
    }
    const whole = chainAnswered(state, name, response);
    const served = servedAddress(door.fs, pending.server);
    const reply = whole ?? (served ? runChain(door, served, pending.client, pending.connection, chain.request) : null);
    if (reply) respond(door, state, pending.server, pending.client, pending.connection, reply);
    return;
  }
  if (record?.stage === 'started') completeRequest(door, state, pending.server, pending.client, record, response);
  else respond(door, state, pending.server, pending.client, pending.connection, response);
}

/** Runs a command for a restore that resumes it (cifs-restore.ts), as a new request would run. */
export const executeCifs = dispatch;
