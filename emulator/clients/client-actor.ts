// The client workstation actor: one Ethernet port (`e0`) on a subnet, an address brought up with a
// gratuitous ARP, an ARP cache that follows the server's address when it moves, and an NFS hard mount
// or a CIFS session to its vserver address. While running (`client <c> start|stop`) it runs its
// workload one op at a time, records each op in its history, and checks it as it goes.
import type { ActorBehavior, ActorContext, ActorEvent, EmsSeverity, Micros, Payload } from '../engine/actor.ts';
import { addAddress, handleArpTimer, handleEthFrame, handleNetLink, sendIp } from '../hardware/net/ethernet.ts';
import { hostOf } from '../hardware/net/address.ts';
import type { CifsResponse } from '../ontap/fileservice/cifs-wire.ts';
import type { NfsReply } from '../ontap/fileservice/nfs-wire.ts';
import {
  cifsAbandon, cifsAccepted, cifsConnect, cifsConnectTimeout, cifsReady, cifsReceive, cifsReset, cifsRetransmit,
  cifsSessionTimeout, cifsStartOp, cifsTransportAck,
} from './cifs-client.ts';
import type { ClientIo, OpEnd } from './client-io.ts';
import { createClientState, type ClientActorConfig, type ClientState } from './client-state.ts';
import { nfsAbandon, nfsMount, nfsReady, nfsReceive, nfsStartOp, nfsTimeout } from './nfs-client.ts';
import { outageInvoked, outageStopped } from './outage.ts';
import { thinkTimeUs } from './workload.ts';
import { beginOp, endOp, summarizeClient } from './client-ops.ts';
import { publishClientLink, publishClientState, startStats, STATS_TIMER, statsTimerFired } from './client-view.ts';

/** Wait before mounting or connecting again after a refusal. */
const RETRY_US = 1_000_000;
const OUTAGE_TICK_US = 1_000_000;

export const clientBehavior: ActorBehavior<ClientState, ClientActorConfig> = {
  kind: 'client',
  ports: (config) => [config.port],
  create: (config, self) => createClientState(config, self),
  handle: (state, event, ctx) => handleClientEvent(state, event, ctx),
  summarize: (state) => summarizeClient(state),
};

function protocolName(state: ClientState): 'nfs' | 'cifs' {
  return state.config.protocol;
}

/**
 * The narrow door the protocol clients use, built for the event being handled. A class, not an object
 * of arrow functions: under tsx each named closure costs a defineProperty, and this is built per event.
 */
class ActorClientIo implements ClientIo {
  readonly now: Micros;
  private readonly source: string;

  constructor(private readonly state: ClientState, private readonly ctx: ActorContext) {
    this.now = ctx.now;
    this.source = hostOf(state.config.address);
  }

  send(payload: Payload): void {
    sendIp(this.state.ip, this.ctx, { src: this.source, dst: this.state.config.server, protocol: protocolName(this.state), body: payload });
  }

  setTimer(delayUs: Micros, payload: Payload): number {
    return this.ctx.setTimer(delayUs, payload);
  }

  cancelTimer(timerId: number): void {
    this.ctx.cancelTimer(timerId);
  }

  ems(severity: EmsSeverity, text: string): void {
    this.ctx.ems(`client.${this.state.self}`, severity, text);
  }
}

export function clientIo(state: ClientState, ctx: ActorContext): ClientIo {
  return new ActorClientIo(state, ctx);
}

function handleClientEvent(state: ClientState, event: ActorEvent, ctx: ActorContext): void {
  state.lastEventUs = ctx.now;
  switch (event.type) {
    case 'start':
      addAddress(state.ip, ctx, state.config.port, state.config.address);
      publishClientLink(state, state.config.port, ctx.linkUp(state.config.port), ctx);
      publishClientState(state, ctx);
      if (state.running && !state.problem) startStats(state, ctx);
      if (state.problem) ctx.ems(`client.${state.self}`, 'error', `client cannot run: ${state.problem}`);
      else if (state.running) connect(state, ctx);
      return;
    case 'link':
      handleNetLink(state.ip, event.port, event.up);
      publishClientLink(state, event.port, event.up, ctx);
      // Back on the wire: announce ourselves again, as an OS does when its link comes up.
      if (event.up) addAddress(state.ip, ctx, state.config.port, state.config.address);
      return;
    case 'input':
      if (event.input.kind === 'client') setRunning(state, event.input.action === 'start', ctx);
      return;
    case 'message':
      for (const packet of handleEthFrame(state.ip, ctx, event.port, event.payload)) {
        if (packet.src !== state.config.server) continue;
        // Seed 004 claim 8: a forwarded answer records the nodes it came through (server first).
        state.lastPath = packet.route ? [state.self, ...[...packet.route].reverse()].join('>') : undefined;
        receive(state, packet.body, ctx);
      }
      return;
    case 'timer':
      handleTimer(state, event.payload, ctx);
      return;
  }
}

function setRunning(state: ClientState, running: boolean, ctx: ActorContext): void {
  if (state.problem || running === state.running) return;
  state.running = running;
  publishClientState(state, ctx);
  if (running) {
    startStats(state, ctx);
    connect(state, ctx);
    scheduleNextOp(state, ctx);
    return;
  }
  if (state.nextOpTimer !== null) ctx.cancelTimer(state.nextOpTimer);
  state.nextOpTimer = null;
  state.opDue = false;
  const io = clientIo(state, ctx);
  const end = state.nfs ? nfsAbandon(state.nfs, io) : state.cifs ? cifsAbandon(state.cifs, io) : null;
  if (end) endOp(state, end, ctx);
  outageStopped(state.outage, ctx.now);
}

/** Mounts (NFS) or connects (CIFS) if not done yet. */
function connect(state: ClientState, ctx: ActorContext): void {
  if (!state.running || state.problem) return;
  const io = clientIo(state, ctx);
  if (state.nfs) nfsMount(state.nfs, io);
  if (state.cifs) cifsConnect(state.cifs, io);
}

function protocolReady(state: ClientState): boolean {
  return state.nfs ? nfsReady(state.nfs) : state.cifs ? cifsReady(state.cifs) : false;
}

function receive(state: ClientState, body: Payload, ctx: ActorContext): void {
  const io = clientIo(state, ctx);
  let end: OpEnd | null = null;
  if (state.nfs && body.kind === 'nfs.reply') {
    end = nfsReceive(state.nfs, body as unknown as NfsReply, state.config.server, io);
  } else if (state.cifs) {
    const connection = Number(body['connection']);
    if (body.kind === 'cifs.accept') cifsAccepted(state.cifs, connection, io);
    else if (body.kind === 'cifs.reset') end = cifsReset(state.cifs, connection, io);
    else if (body.kind === 'cifs.ack') cifsTransportAck(state.cifs, connection, Number(body['mid']), io);
    else if (body.kind === 'cifs.response') end = cifsReceive(state.cifs, body as unknown as CifsResponse, io);
  }
  afterProtocolStep(state, end, ctx);
}

function handleTimer(state: ClientState, payload: Payload, ctx: ActorContext): void {
  if (handleArpTimer(state.ip, ctx, payload) !== undefined) return;
  const io = clientIo(state, ctx);
  let end: OpEnd | null = null;
  switch (payload.kind) {
    case 'client.next-op':
      state.nextOpTimer = null;
      if (state.running && !state.problem) state.opDue = true;
      break;
    case STATS_TIMER:
      statsTimerFired(state, ctx);
      return;
    case 'client.tick':
      state.tickTimer = null;
      break;
    case 'client.retry':
      state.retryTimer = null;
      connect(state, ctx);
      break;
    case 'nfs.timeout':
      if (state.nfs) nfsTimeout(state.nfs, Number(payload['xid']), state.config.server, io);
      break;
    case 'cifs.connect-timeout':
      if (state.cifs) cifsConnectTimeout(state.cifs, Number(payload['connection']), io);
      break;
    case 'cifs.retransmit':
      if (state.cifs) cifsRetransmit(state.cifs, Number(payload['connection']), Number(payload['mid']), io);
      break;
    case 'cifs.session-timeout':
      if (state.cifs) end = cifsSessionTimeout(state.cifs, Number(payload['connection']), Number(payload['mid']), io);
      break;
    default:
      return;
  }
  afterProtocolStep(state, end, ctx);
}

/** After any protocol step: record an ended op, reconnect if dropped, start a due op when ready. */
function afterProtocolStep(state: ClientState, end: OpEnd | null, ctx: ActorContext): void {
  if (end) endOp(state, end, ctx);
  if (!state.running) return;
  const disconnected = (state.nfs && state.nfs.phase === 'unmounted') || (state.cifs && state.cifs.phase === 'disconnected');
  if (disconnected && state.retryTimer === null) {
    // A CIFS drop reconnects at once (the next access does); a refused mount waits a little.
    const delay = state.cifs && end ? 0 : RETRY_US;
    state.retryTimer = ctx.setTimer(delay, { kind: 'client.retry' });
  }
  if (state.opDue && state.current === null && protocolReady(state)) {
    state.opDue = false;
    startOp(state, ctx);
  } else if (state.opDue) {
    // The client wants an op it cannot start yet (mounting, reconnecting): that is outage time.
    outageInvoked(state.outage, ctx.now);
  }
  scheduleNextOp(state, ctx);
  if (state.outage.wantingSinceUs !== null && state.tickTimer === null) {
    state.tickTimer = ctx.setTimer(OUTAGE_TICK_US, { kind: 'client.tick' });
  }
}

function startOp(state: ClientState, ctx: ActorContext): void {
  const io = clientIo(state, ctx);
  const run = beginOp(state, ctx);
  if (state.nfs) nfsStartOp(state.nfs, run, io);
  else if (state.cifs) cifsStartOp(state.cifs, run, io);
}

/** Think, then want the next op. */
export function scheduleNextOp(state: ClientState, ctx: ActorContext): void {
  if (!state.running || state.problem || state.nextOpTimer !== null || state.current !== null || state.opDue) return;
  state.nextOpTimer = ctx.setTimer(thinkTimeUs(state.workloadConfig, () => ctx.random()), { kind: 'client.next-op' });
}
