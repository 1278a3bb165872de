// The file service as a filer subsystem (slot 'fileservice'): once storage is online after the OS boots it
// brings the filer's home vserver addresses up on its Ethernet ports (a gratuitous ARP each) and serves
// NFS and CIFS on them (HA adds the partner's at takeover: vserver-service.ts), answers modifying requests when storage completes them, and forgets everything
// volatile — CIFS sessions, the duplicate request cache, requests in flight — when the OS halts, panics
// or loses power, as a classic filer does.
import type { ActorContext, ActorEvent, ActorId, Payload } from '../../engine/actor.ts';
import type { FilerConfig } from '../../hardware/filer/chassis.ts';
import { subsystemState, type FilerLifecycle, type FilerState, type FilerSubsystem } from '../../hardware/filer/subsystem.ts';
import { handleArpTimer, handleEthFrame, handleNetLink, type IpPacket } from '../../hardware/net/ethernet.ts';
import { logEms } from '../ems.ts';
import type { DiskIo } from '../storage/disk-io.ts';
import { takeCompletions } from '../storage/fs-api.ts';
import { STORAGE_SUBSYSTEM } from '../storage/storage-subsystem.ts';
import type { OpCompletion, StorageState } from '../storage/types.ts';
import { CIFS_MIRROR, keepFlagArmed, persistentStateOn, receiveCifsMirror } from './cifs-nvram.ts';
import { armPanicTrap } from './cifs-points.ts';
import { announceAtBoot, CIFS_RESUME_TIMER, restoreAtBoot, resumeRestored } from './cifs-restore.ts';
import { cifsClientReset, cifsConnect, cifsReplyAck, completeCifs, serveCifs } from './cifs-server.ts';
import { keepCifsStateAtStop } from './cifs-shutdown.ts';
import { requestKey } from './cifs-state.ts';
import { dropAll } from './cifs-state.ts';
import { cifsRequestProblem, type CifsRequest } from './cifs-wire.ts';
import { createDrc } from './drc.ts';
import { ifgrpLinkEvent } from './ifgrp-service.ts';
import { completeNfs, rememberReplayed, serveNfs } from './nfs-server.ts';
import { nfsCallProblem, type NfsCall } from './nfs-wire.ts';
import { publishCifsView, publishFileServiceView } from './view.ts';
import { createServeDoor, servedAddress, type ServeDoor } from './serve-door.ts';
import { createFileServiceState, takePending, wireBytes, type FileServiceState, type KeptRequest } from './state.ts';
import { homeVservers, releaseVserver, serveVserver } from './vserver-service.ts';
import { summarizeFileService } from './summary.ts';

export const FILESERVICE_SUBSYSTEM = 'fileservice';
/** How often storage is watched while it mounts. */
const STORAGE_WATCH_US = 100_000;
/** Replayed CIFS operations kept for a restore to recognise (bounded like the NVRAM log that fed them). */
const REPLAYED_KEPT = 4096;

/** The file service over the same disk door as storage (its file-system API logs to NVRAM through it). */
export function createFileServiceSubsystem(io: DiskIo): FilerSubsystem<FileServiceState> {
  return {
    name: FILESERVICE_SUBSYSTEM,
    create: (config: FilerConfig, self: ActorId) => createFileServiceState(config, self),
    handle: (state, filer, event, ctx) => handleFileServiceEvent(state, filer, event, ctx, io),
    lifecycle: (state, filer, phase, ctx) => fileServiceLifecycle(state, filer, phase, ctx),
    // Storage finishes a write when the partner acks the NVRAM mirror, an event storage consumes:
    // answer it right after that event, with no timer polling storage.
    afterEvent: (state, filer, ctx) => {
      answerCompleted(state, filer, ctx, io);
      keepFlagArmed(state, filer, ctx);
      publishCifsView(state, filer, ctx);
    },
    summarize: (state, filer) => summarizeFileService(state, filer),
  };
}

function fileServiceOf(filer: FilerState): FileServiceState | undefined {
  return subsystemState<FileServiceState>(filer, FILESERVICE_SUBSYSTEM);
}

function storageOf(filer: FilerState): StorageState | undefined {
  return subsystemState<StorageState>(filer, STORAGE_SUBSYSTEM);
}

function fileServiceLifecycle(state: FileServiceState, filer: FilerState, phase: FilerLifecycle, ctx: ActorContext): FileServiceState {
  switch (phase) {
    case 'os-boot':
      start(state, filer, ctx);
      return state;
    case 'os-halt':
    case 'power-off':
    case 'panic':
      stop(state, filer, ctx, phase);
      return state;
    default:
      return state;
  }
}

function start(state: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  // The addresses come up once storage is online: a filer that boots while its partner holds its
  // storage (waiting for giveback) must not take its addresses back from the partner.
  state.served = [];
  state.accepting = true;
  state.status = 'waiting-for-storage';
  state.startedUs = ctx.now;
  announceAtBoot(state, filer, ctx);
  watchStorage(state, filer, ctx);
  publishFileServiceView(state, filer, ctx);
}

function stop(state: FileServiceState, filer: FilerState, ctx: ActorContext, why: FilerLifecycle): void {
  if (state.status === 'stopped') return;
  if (state.drain !== null && !state.accepting) state.drain.abandonedAtHalt = Object.keys(state.pending).length;
  // Seed 003: with persistent state on the sessions are saved (or already in NVRAM), not dropped.
  const dropped = keepCifsStateAtStop(state, filer, ctx, why) ? 0 : dropAll(state.cifs);
  state.counters.sessionsDropped += dropped;
  if (dropped > 0 && why === 'os-halt') ctx.ems('cifs.terminationNotice', 'warning', `CIFS: shutting down, ${dropped} session(s) terminated.`);
  const fresh = createFileServiceState(filer.config, state.self);
  state.keptForPartner = [];
  state.ip = fresh.ip;
  state.served = [];
  state.drc = createDrc(state.drc.capacity);
  state.pending = {};
  state.status = 'stopped';
  state.startedUs = null;
  publishFileServiceView(state, filer, ctx);
}

/**
 * A clean shutdown began: accept no new request, so that the final CP holds everything answered
 * (a request taken after it would be answered from an NVRAM log nobody replays when this filer is in
 * takeover). Requests in progress complete.
 */
export function stopAcceptingRequests(filer: FilerState): void {
  const state = fileServiceOf(filer);
  if (!state || !state.accepting) return;
  state.accepting = false;
  state.drain = {
    pendingAtShutdownRequest: Object.keys(state.pending).length, refusedAfterShutdownRequest: 0, keptForPartner: 0, abandonedAtHalt: null, cancelled: false,
  };
  state.keptForPartner = [];
}

/** `cifs terminate`: every CIFS session (own and adopted) is dropped and CIFS stops; returns how many. */
export function terminateCifs(filer: FilerState, ctx: ActorContext): number {
  const state = fileServiceOf(filer);
  if (!state || state.status === 'stopped') return 0;
  const dropped = [state.cifs, ...Object.values(state.persist.adopted)].reduce((sum, cifs) => sum + dropAll(cifs), 0);
  state.counters.sessionsDropped += dropped;
  state.cifsTerminated = true;
  if (dropped > 0) logEms(filer, ctx, 'cifs.terminationNotice', 'warning', `CIFS: shutting down, ${dropped} session(s) terminated.`);
  return dropped;
}

/** `cifs restart`: CIFS listens again. False when it was not terminated. */
export function restartCifs(filer: FilerState): boolean {
  const state = fileServiceOf(filer);
  if (!state || state.status === 'stopped' || !state.cifsTerminated) return false;
  state.cifsTerminated = false;
  return true;
}

/** The shutdown was called off (its cause cured before the halt): take requests again. */
export function resumeAcceptingRequests(filer: FilerState): void {
  const state = fileServiceOf(filer);
  if (!state || state.accepting) return;
  state.accepting = true;
  state.keptForPartner = [];
  if (state.drain !== null) state.drain.cancelled = true;
}

/** Requests received and still in progress here (a shutdown waits for them). */
export function requestsPending(filer: FilerState): number {
  const state = fileServiceOf(filer);
  return state ? Object.keys(state.pending).length : 0;
}

/**
 * What a halting filer hands its partner, as the clients sent it: the NFS requests still in progress,
 * then those received after the shutdown request and kept, in arrival order.
 */
export function requestsInProgress(filer: FilerState): KeptRequest[] {
  const state = fileServiceOf(filer);
  if (!state) return [];
  const inProgress = Object.keys(state.pending).map(Number).sort((a, b) => a - b).flatMap((opId) => {
    const pending = state.pending[opId];
    return pending?.protocol === 'nfs' ? [{ src: pending.client, dst: pending.server, call: pending.call }] : [];
  });
  return [...inProgress, ...state.keptForPartner];
}

/** At most this many requests are kept for the partner (a compilation's size). */
const KEPT_LIMIT = 256;

/** A request arrived after the shutdown request: refused here, kept (once per call) for the partner. */
function keepForPartner(state: FileServiceState, packet: IpPacket): void {
  if (state.drain === null) return;
  state.drain.refusedAfterShutdownRequest += 1;
  if (packet.protocol !== 'nfs' || nfsCallProblem(packet.body) !== null || state.keptForPartner.length >= KEPT_LIMIT) return;
  const call = packet.body as unknown as NfsCall;
  if (state.keptForPartner.some((kept) => kept.src === packet.src && kept.call.xid === call.xid)) return; // a retransmission
  state.keptForPartner.push({ src: packet.src, dst: packet.dst, call });
  state.drain.keptForPartner += 1;
}

/**
 * The taker serves requests its partner received but never answered (seed 000 claim 52): each as if it
 * had just arrived at the partner's address, now here. A client's retransmission of the same call
 * finds the answer in the duplicate request cache, so each is executed once.
 */
export function serveHandedOverRequests(filer: FilerState, ctx: ActorContext, io: DiskIo,
  requests: readonly KeptRequest[]): number {
  const state = fileServiceOf(filer);
  const storage = storageOf(filer);
  if (!state || !storage || state.status !== 'serving') return 0;
  const door = createServeDoor(state, storage, { filer, ctx, io }, deliver);
  let served = 0;
  for (const request of requests) {
    const address = servedAddress(state, request.dst);
    if (!address || nfsCallProblem(request.call as unknown as Payload) !== null) continue;
    serveNfs(door, address, request.src, request.call);
    served += 1;
  }
  return served;
}

/**
 * HA found this filer's storage held by the partner after all (it waits for giveback): stop serving the
 * home vservers and wait for storage again, as at boot.
 */
export function withdrawHomeService(state: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  if (state.status === 'stopped') return;
  for (const vserver of homeVservers(filer)) releaseVserver(state, filer, ctx, vserver.name);
  if (state.status === 'serving') {
    state.status = 'waiting-for-storage';
    ctx.setTimer(STORAGE_WATCH_US, { kind: 'fileservice.watch' });
  }
}

function watchStorage(state: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  if (state.status !== 'waiting-for-storage') return;
  if (storageOf(filer)?.status === 'online') {
    state.status = 'serving';
    // Seed 004: a vserver whose aggregate moved to another node while this one was down is served there.
    const moved = storageOf(filer)?.movedAway ?? [];
    const here = homeVservers(filer).filter((vserver) => !vserver.volumes.some((volume) => moved.includes(filer.config.volumes.find((v) => v.name === volume)?.aggregate ?? '')));
    for (const vserver of here) serveVserver(state, filer, ctx, vserver, '');
    restoreAtBoot(state, filer, ctx, here);
    return;
  }
  ctx.setTimer(STORAGE_WATCH_US, { kind: 'fileservice.watch' });
}

/** The door for one event, built only by the events that serve (every filer event is offered here). */
function doorFor(state: FileServiceState, filer: FilerState, ctx: ActorContext, io: DiskIo): ServeDoor | null {
  const storage = storageOf(filer);
  return storage ? createServeDoor(state, storage, { filer, ctx, io }, deliver) : null;
}

/** Whether a port is one of the filer's Ethernet ports (a loop: runs for every message the filer hears). */
function isEthernetPort(filer: FilerState, port: string): boolean {
  for (const eth of filer.config.ethernetPorts) if (eth.port === port) return true;
  return false;
}

function handleFileServiceEvent(state: FileServiceState, filer: FilerState, event: ActorEvent, ctx: ActorContext, io: DiskIo): boolean {
  switch (event.type) {
    case 'input': {
      // `fault <filer> panic-at cifs.p<n>.<when>` (the chassis knows no such fault; the OS arms it).
      if (event.input.kind === 'fault' && event.input.fault === 'panic-at') {
        const door = doorFor(state, filer, ctx, io);
        if (door) { armPanicTrap(door, event.input.args); return true; }
      }
      if (event.input.kind === 'clear' && event.input.fault === 'panic-at') { state.persist.trap = null; return true; }
      return false;
    }
    case 'message': {
      // The port first: most messages the filer hears are disk I/O on its FC ports, and reading the
      // kind of payloads of every shape (a megamorphic load) was most of what this handler cost.
      const interconnect = filer.config.interconnectPorts.includes(event.port);
      const ethernet = isEthernetPort(filer, event.port);
      if (!interconnect && !ethernet) return false;
      if (event.payload.kind === CIFS_MIRROR && interconnect) {
        receiveCifsMirror(filer, event.payload);
        return true;
      }
      if (event.payload.kind !== 'eth.frame' || !ethernet) return false;
      if (state.status === 'stopped') return true;
      const packets = handleEthFrame(state.ip, ctx, event.port, event.payload);
      if (packets.length === 0) return true;
      const door = doorFor(state, filer, ctx, io);
      for (const packet of packets) receive(state, door, packet);
      return true;
    }
    case 'timer': {
      const kind = event.payload.kind;
      if (kind === 'fileservice.watch') { watchStorage(state, filer, ctx); return true; }
      if (kind === CIFS_RESUME_TIMER) {
        const door = state.status === 'serving' ? doorFor(state, filer, ctx, io) : null;
        if (door) resumeRestored(door, String(event.payload['vserver']));
        return true;
      }
      return handleArpTimer(state.ip, ctx, event.payload) !== undefined;
    }
    case 'link':
      handleNetLink(state.ip, event.port, event.up);
      if (state.ip.ifgrps !== undefined && state.status !== 'stopped') ifgrpLinkEvent(state, filer, ctx, event.port, event.up);
      return false;
    default:
      return false;
  }
}

/** Answers what storage completed during the event just handled (runs after every filer event). */
function answerCompleted(state: FileServiceState, filer: FilerState, ctx: ActorContext, io: DiskIo): void {
  const storage = storageOf(filer);
  if (!storage || (storage.ops.completed.length === 0 && storage.replayedRequests.length === 0)) return;
  const door = createServeDoor(state, storage, { filer, ctx, io }, deliver);
  // A replay (boot, or the partner's log at takeover) redid logged calls: their answers join the DRC.
  if (storage.replayedRequests.length > 0) {
    const replayed = storage.replayedRequests;
    storage.replayedRequests = [];
    for (const request of replayed) {
      // A CIFS request's operation (persistent state): a restore answers it instead of repeating it.
      if (request.origin.proc.startsWith('cifs.')) {
        if (state.persist.replayed.length < REPLAYED_KEPT) state.persist.replayed.push({ request: requestKey(request.origin.client, request.origin.xid), volume: request.volume, op: request.op });
      } else rememberReplayed(door, request);
    }
  }
  if (storage.ops.completed.length > 0) deliver(door, takeCompletions(storage));
}

function deliver(door: ServeDoor, completions: OpCompletion[]): void {
  for (const completion of completions) {
    const pending = takePending(door.fs, completion.opId);
    if (!pending) continue;
    if (pending.protocol === 'nfs') completeNfs(door, pending, completion);
    else completeCifs(door, pending, completion);
  }
}

function receive(state: FileServiceState, door: ServeDoor | null, packet: IpPacket): void {
  const served = servedAddress(state, packet.dst);
  if (!served) return;
  state.counters.netBytesIn += wireBytes(packet.body);
  state.counters.byAddress[served.address] = (state.counters.byAddress[served.address] ?? 0) + 1;
  if (state.status !== 'serving' || !door || !state.accepting) {
    // A draining filer still hears replies acknowledged (point 4): they are not new requests.
    if (state.status === 'serving' && door && packet.protocol === 'cifs' && packet.body.kind === 'cifs.reply-ack') {
      cifsReplyAck(door, served, packet.src, Number(packet.body['connection']), Number(packet.body['mid']));
      return;
    }
    state.counters.droppedNotServing += 1;
    if (!state.accepting && state.status === 'serving') keepForPartner(state, packet);
    // Ignored, not refused (seed 003 claim 6): the client sees a delay and resends.
    if (state.status === 'serving' && door && packet.protocol === 'cifs' && persistentStateOn(door.filer)) state.persist.counters.ignoredWhileDraining += 1;
    return;
  }
  // After `cifs terminate` nothing listens for CIFS: the client hears nothing and retries.
  if (packet.protocol === 'cifs' && state.cifsTerminated) { state.counters.droppedNotServing += 1; return; }
  const body: Payload = packet.body;
  if (packet.protocol === 'nfs') {
    if (nfsCallProblem(body) !== null) { state.counters.nfsBadCalls += 1; return; }
    serveNfs(door, served, packet.src, body as unknown as NfsCall);
    return;
  }
  if (packet.protocol !== 'cifs') return;
  const connection = Number(body['connection']);
  if (!Number.isInteger(connection)) { state.counters.cifsBadCalls += 1; return; }
  if (body.kind === 'cifs.connect') { cifsConnect(door, served, packet.src, connection); return; }
  if (body.kind === 'cifs.reset') { cifsClientReset(door, served, packet.src, connection); return; }
  if (body.kind === 'cifs.reply-ack') { cifsReplyAck(door, served, packet.src, connection, Number(body['mid'])); return; }
  if (cifsRequestProblem(body) !== null) { state.counters.cifsBadCalls += 1; return; }
  serveCifs(door, served, packet.src, body as unknown as CifsRequest);
}
