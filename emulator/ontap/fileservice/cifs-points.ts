// A CIFS request's way through seed 003's four save points (Fig. 5), with persistent state on:
//
//   received ─P1─▶ acked ─P2─▶ started ─(runs; maybe waits for storage)─P3─▶ completed ─P4─▶ retired
//
// P1: saved before the transport acknowledges the request (a crash before it: the client resends).
// P2: saved before CIFS starts the command (a crash after it: the restore repeats or finishes it).
// P3: saved when the command completes, with its reply (a crash after it: the reply is sent again).
// P4: saved after the client's transport acknowledges the reply (the record is retired).
// An AndX chain (a composite request) is saved at point 1 once, then at point 2 before each of its
// components (the record says which one, its chain which replies it has), and at point 3 once it ends.
// Each point can spring a `panic-at` trap just before or just after its save; the caller stops at once
// when it does (`true`), as nothing after a real panic runs. Invariant checked after each step: a
// request's record is in the state of the connection it came on, at one stage.
import { panicFromSoftware } from '../../hardware/filer/filer-actor.ts';
import { logEms } from '../ems.ts';
import { savePoint } from './cifs-nvram.ts';
import type { PanicTrap } from './cifs-persist-state.ts';
import {
  chainAnswered, chainsOf, componentRequest, rememberReply, requestKey, type CifsRequestRecord, type CifsServerState,
} from './cifs-state.ts';
import type { CifsRequest, CifsResponse } from './cifs-wire.ts';
import { servedAddress, type ServeDoor } from './serve-door.ts';
import type { ServedAddress } from './state.ts';

/** Runs a command (cifs-server.ts): its reply now, or null when storage will complete it. */
export type ExecuteCifs = (door: ServeDoor, served: ServedAddress, client: string, key: string, request: CifsRequest) => CifsResponse | null;

/**
 * Parses `cifs.p2.after` and an optional command (`WRITE`, `ANDX`, or `ANDX.2`: a chain's second
 * component): the trap, or null when malformed.
 */
export function parsePanicTrap(args: readonly string[]): PanicTrap | null {
  const match = /^cifs\.p([1-4])\.(before|after)$/.exec(args[0] ?? '');
  if (!match) return null;
  const word = args[1] === undefined ? null : /^([A-Z_]{2,20})(?:\.([1-4]))?$/.exec(args[1].toUpperCase());
  if (args[1] !== undefined && !word) return null;
  const component = word?.[2] === undefined ? null : Number(word[2]);
  if (component !== null && word?.[1] !== 'ANDX') return null;
  return { point: Number(match[1]) as PanicTrap['point'], when: match[2] as PanicTrap['when'], command: word ? word[1] : null, component };
}

/** The command a record is at: a chain's current component, or the request's own command. */
function currentCommand(record: CifsRequestRecord): string {
  const command = record.request.request;
  return command.command === 'ANDX' ? command.components[record.component ?? 0]?.command ?? 'ANDX' : command.command;
}

function trapMatches(trap: PanicTrap, record: CifsRequestRecord): boolean {
  const whole = record.request.request.command;
  if (trap.component !== null && (whole !== 'ANDX' || (record.component ?? 0) + 1 !== trap.component)) return false;
  return trap.command === null || trap.command === whole || trap.command === currentCommand(record);
}

function describe(record: CifsRequestRecord): string {
  const command = record.request.request;
  if (command.command !== 'ANDX') return command.command;
  return `${currentCommand(record)}, component ${(record.component ?? 0) + 1} of ${command.components.map((part) => part.command).join('+')}`;
}

/** Springs the armed trap if this is its point: the filer panics; returns true (the caller stops). */
function reach(door: ServeDoor, point: PanicTrap['point'], when: PanicTrap['when'], record: CifsRequestRecord): boolean {
  const trap = door.fs.persist.trap;
  if (!trap || trap.point !== point || trap.when !== when) return false;
  if (!trapMatches(trap, record)) return false;
  door.fs.persist.trap = null;
  panicFromSoftware(door.filer, `panic-at cifs.p${point}.${when} (${describe(record)} mid ${record.mid})`, door.ctx);
  return true;
}

function send(door: ServeDoor, server: string, client: string, body: object): void {
  door.send(server, client, 'cifs', body as unknown as Parameters<ServeDoor['send']>[3]);
}

function checkRecord(state: CifsServerState, record: CifsRequestRecord): void {
  const held = state.inProgress[requestKey(record.connection, record.mid)];
  if (held !== record) throw new Error(`cifs persistent state: request ${record.connection}#${record.mid} not where it belongs`);
  if ((record.stage === 'completed') !== (record.reply !== null)) throw new Error(`cifs persistent state: ${record.stage} request with${record.reply ? '' : 'out'} a reply`);
}

/** A new request arrived (not a resend): point 1, the transport's ack, then point 2 and the command. */
export function receiveRequest(door: ServeDoor, state: CifsServerState, served: ServedAddress, client: string, key: string,
  request: CifsRequest, execute: ExecuteCifs): void {
  const record: CifsRequestRecord = { connection: key, mid: request.mid, request, stage: 'acked', reply: null };
  if (reach(door, 1, 'before', record)) return;
  if (request.request.command === 'ANDX') door.fs.persist.counters.compositeRequests += 1;
  state.inProgress[requestKey(key, request.mid)] = record;
  savePoint(door.fs, door.filer, door.ctx, 'p1');
  send(door, served.address, client, { kind: 'cifs.ack', connection: request.connection, mid: request.mid });
  checkRecord(state, record);
  if (reach(door, 1, 'after', record)) return;
  startRequest(door, state, served, client, record, execute);
}

/** Point 2, then the command runs; a command answered at once goes on to point 3. */
export function startRequest(door: ServeDoor, state: CifsServerState, served: ServedAddress, client: string,
  record: CifsRequestRecord, execute: ExecuteCifs): void {
  if (record.request.request.command === 'ANDX') {
    startComponent(door, state, served, client, record, execute);
    return;
  }
  if (reach(door, 2, 'before', record)) return;
  record.stage = 'started';
  savePoint(door.fs, door.filer, door.ctx, 'p2');
  checkRecord(state, record);
  if (reach(door, 2, 'after', record)) return;
  const command = record.request.request.command;
  door.fs.counters.cifsCommands[command] = (door.fs.counters.cifsCommands[command] ?? 0) + 1;
  const response = execute(door, served, client, record.connection, record.request);
  if (response) completeRequest(door, state, served.address, client, record, response);
}

/** Point 2 before a chain's next component (its chain says which), then the component runs. */
function startComponent(door: ServeDoor, state: CifsServerState, served: ServedAddress, client: string,
  record: CifsRequestRecord, execute: ExecuteCifs): void {
  const chains = chainsOf(state);
  const name = requestKey(record.connection, record.mid);
  chains[name] ??= { request: record.request, index: 0, replies: [] };
  const chain = chains[name];
  record.component = chain.index;
  if (reach(door, 2, 'before', record)) return;
  record.stage = 'started';
  savePoint(door.fs, door.filer, door.ctx, 'p2');
  door.fs.persist.counters.componentSaves += 1;
  checkRecord(state, record);
  if (reach(door, 2, 'after', record)) return;
  const request = componentRequest(record.request, chain.index);
  const counts = door.fs.counters.cifsCommands;
  if (chain.index === 0) counts['ANDX'] = (counts['ANDX'] ?? 0) + 1;
  counts[request.request.command] = (counts[request.request.command] ?? 0) + 1;
  const response = execute(door, served, client, record.connection, request);
  if (response) componentCompleted(door, state, served.address, client, record, response, execute);
}

/**
 * A chain's component answered (at once, from storage, or from a restore's log replay): the next
 * component starts (point 2 again), or the chain's whole reply goes to point 3.
 */
export function componentCompleted(door: ServeDoor, state: CifsServerState, server: string, client: string,
  record: CifsRequestRecord, response: CifsResponse, execute: ExecuteCifs): void {
  const whole = chainAnswered(state, requestKey(record.connection, record.mid), response);
  if (whole) {
    completeRequest(door, state, server, client, record, whole);
    return;
  }
  // The address went away meanwhile: the next component waits for a restore (its point 2 not reached).
  const served = servedAddress(door.fs, server);
  if (served) startComponent(door, state, served, client, record, execute);
}

/** Point 3: the reply is kept with the request, saved, then sent. */
export function completeRequest(door: ServeDoor, state: CifsServerState, server: string, client: string,
  record: CifsRequestRecord, response: CifsResponse): void {
  if (reach(door, 3, 'before', record)) return;
  record.stage = 'completed';
  record.reply = response;
  const connection = state.connections[record.connection];
  if (connection) rememberReply(connection, response);
  savePoint(door.fs, door.filer, door.ctx, 'p3');
  checkRecord(state, record);
  send(door, server, client, response);
  // "After" point 3 is after the reply left too: a crash now sends it again (a duplicate, Fig. 5).
  reach(door, 3, 'after', record);
}

/** Point 4: the client's transport acknowledged the reply; the request is retired. */
export function replyAcknowledged(door: ServeDoor, state: CifsServerState, key: string, mid: number): void {
  const name = requestKey(key, mid);
  const record = state.inProgress[name];
  if (!record || record.stage !== 'completed') return;
  if (reach(door, 4, 'before', record)) return;
  delete state.inProgress[name];
  savePoint(door.fs, door.filer, door.ctx, 'p4');
  reach(door, 4, 'after', record);
}

/** A resend of a request already in progress: a completed one gets its reply again; others wait. */
export function resentRequest(door: ServeDoor, record: CifsRequestRecord, server: string, client: string): void {
  if (record.stage !== 'completed' || !record.reply) return;
  send(door, server, client, record.reply);
}

/** `fault <filer> panic-at …` arrived: arm the trap (or say why not). */
export function armPanicTrap(door: Pick<ServeDoor, 'fs' | 'filer' | 'ctx'>, args: readonly string[]): void {
  const trap = parsePanicTrap(args);
  if (!trap) {
    logEms(door.filer, door.ctx, 'cifs.panicAt.bad', 'error', `panic-at: expected cifs.p<1-4>.<before|after> [COMMAND], got '${args.join(' ').slice(0, 40)}'.`);
    return;
  }
  door.fs.persist.trap = trap;
  logEms(door.filer, door.ctx, 'cifs.panicAt.armed', 'notice',
    `Lab: this filer will panic ${trap.when} CIFS save point ${trap.point}${trap.command ? ` of a ${trap.command}` : ''}.`);
}
