// Vserver migration between nodes (seed 004 claims 5, 12, 18, 19, 25, 31, 33): one mechanism for the
// failover spread, the master's load balancing and `vserver migrate`. A vserver can move when all its
// volumes are on one aggregate whose shelf the destination reaches (in cluster-4, the shared shelf9).
// The steps, each on the node that can do it, carried by broadcast Ethernet frames (`clusterMove`):
//  1. migrate (master → source): the source takes the vserver's addresses down (nothing new is logged
//     on it), writes a CP of its aggregate, releases the disks and forgets it (storage/vserver-move.ts);
//  2. handover (source → destination): the destination reserves the disks, mounts that one aggregate
//     (no NVRAM log to carry: the source's CP holds every acknowledged write) and serves the vserver's
//     addresses on its ports with a gratuitous ARP each. Clients retransmit what went unanswered meanwhile.
// A failed node's vservers are first taken by its HA partner (the only node with its NVRAM log, which
// it replays); the master then spreads them from there: a migration with no log left to carry.
import type { ActorContext, Payload } from '../../engine/actor.ts';
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import { subsystemState, type FilerState } from '../../hardware/filer/subsystem.ts';
import { BROADCAST_MAC } from '../../hardware/net/address.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { releaseVserver, serveVserver } from '../fileservice/vserver-service.ts';
import { STORAGE_SUBSYSTEM, storageEnvDuringEvent } from '../storage/storage-subsystem.ts';
import { parseDiskId } from '../storage/disk-io.ts';
import type { StorageState, VserverMove } from '../storage/types.ts';
import { aggregateOfVolumes, beginMoveIn, beginMoveOut, forgetMove, shelvesOfAggregate } from '../storage/vserver-move.ts';
import { vserverLoad } from './load.ts';
import { isDataVserver } from './node-failover.ts';
import type { ClusterState, MoveMessage, VserverStorage } from './types.ts';

const SEEN_MAX = 64;
/** A move the master ordered and no heartbeat has confirmed after this long is forgotten (it failed). */
export const MOVE_TIMEOUT_US = 60_000_000;

export function storageStateOf(filer: FilerState): StorageState | undefined {
  return subsystemState<StorageState>(filer, STORAGE_SUBSYSTEM);
}

function vserverConfig(filer: FilerState, name: string): VserverConfig | undefined {
  return filer.config.labVservers.find((vserver) => vserver.name === name);
}

/** The shelves this node reaches now: those behind its FC ports with carrier. */
export function reachableShelves(filer: FilerState, ctx: ActorContext): string[] {
  return [...new Set(filer.config.fcPorts.filter((fc) => ctx.linkUp(fc.port)).flatMap((fc) => fc.shelves.map((shelf) => shelf.actor)))].sort();
}

/** Where the data vservers this node serves keep their storage, for the master's placement. */
export function vserverStorage(cluster: ClusterState, fs: FileServiceState, filer: FilerState): Record<string, VserverStorage> {
  const storage = storageStateOf(filer);
  const result: Record<string, VserverStorage> = {};
  if (!storage) return result;
  for (const name of [...new Set(fs.served.map((served) => served.vserver))].sort()) {
    const config = vserverConfig(filer, name);
    const served = fs.served.find((entry) => entry.vserver === name);
    if (!config || !served || !isDataVserver(config)) continue;
    const aggregate = aggregateOfVolumes(storage, served.storagePrefix, config.volumes);
    const held = aggregate === null ? undefined : storage.aggregates[aggregate];
    const owner = held?.partnerOf ?? filer.config.name;
    result[name] = {
      owner, shelves: aggregate === null ? [] : shelvesOfAggregate(storage, aggregate),
      load: vserverLoad(cluster, fs, name), movable: aggregate !== null && config.migrate,
      ...(aggregate === null || held?.partnerOf === undefined ? {} : {
        aggregate: aggregate.slice(owner.length + 1),
        disks: Object.values(storage.disks).filter((disk) => disk.aggregate === aggregate).map((disk) => disk.id).sort(),
      }),
    };
  }
  return result;
}

/** The payload kind of a move message a node without Ethernet hands its HA partner to broadcast for it. */
export const RELAY_KIND = 'cluster.relay';

function ethernetUp(filer: FilerState, ctx: ActorContext): boolean {
  return filer.config.ethernetPorts.some((eth) => ctx.linkUp(eth.port));
}

/** The interconnect link to a partner heard on the cluster network, if any (the relay's way out). */
function relayPort(cluster: ClusterState, filer: FilerState, ctx: ActorContext): string | undefined {
  const partner = filer.config.partner;
  if (!partner || cluster.members[partner]?.state !== 'up') return undefined;
  return filer.config.interconnectPorts.find((port) => ctx.linkUp(port));
}

/** A move message from this node can reach the other nodes: on its Ethernet, or through its HA partner. */
export function canReachCluster(cluster: ClusterState, filer: FilerState, ctx: ActorContext): boolean {
  return ethernetUp(filer, ctx) || relayPort(cluster, filer, ctx) !== undefined;
}

function broadcastMove(filer: FilerState, ctx: ActorContext, message: MoveMessage): void {
  for (const eth of filer.config.ethernetPorts) {
    if (ctx.linkUp(eth.port)) ctx.send(eth.port, { kind: 'eth.frame', src: eth.mac, dst: BROADCAST_MAC, clusterMove: message as unknown as Payload });
  }
}

/**
 * Sends a move message: handled here at once when it is for this node, else broadcast on every port;
 * a node with no Ethernet left (claim 10's stranded ports) hands it to its HA partner to broadcast.
 */
export function sendMove(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, message: Omit<MoveMessage, 'id' | 'sender'>): void {
  cluster.moveSeq += 1;
  const full: MoveMessage = { ...message, id: `${filer.config.name}#${cluster.moveSeq}`, sender: filer.config.name };
  const target = full.kind === 'migrate' ? full.from : full.to;
  if (target === filer.config.name) { moveArrived(cluster, fs, filer, ctx, full); return; }
  if (ethernetUp(filer, ctx)) { broadcastMove(filer, ctx, full); return; }
  const port = relayPort(cluster, filer, ctx);
  if (port !== undefined) ctx.send(port, { kind: RELAY_KIND, clusterMove: full as unknown as Payload });
  else logEms(filer, ctx, 'vsrv.move.unsent', 'error', `${full.vserver}: no Ethernet port and no HA partner to reach ${target} through.`);
}

/** The HA partner's move message, relayed: handled here if it is for this node, else broadcast for it. */
export function relayMove(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, payload: Payload): void {
  const message = moveMessageOf(payload);
  if (!message || message.sender !== filer.config.partner) return;
  const target = message.kind === 'migrate' ? message.from : message.to;
  if (target === filer.config.name) { moveArrived(cluster, fs, filer, ctx, message); return; }
  // Seen here: the broadcast comes back on this node's other port of the same subnet.
  cluster.seenMoves = [...cluster.seenMoves, message.id].slice(-SEEN_MAX);
  broadcastMove(filer, ctx, message);
}

export function moveMessageOf(payload: Payload): MoveMessage | undefined {
  const move = payload['clusterMove'] as Partial<MoveMessage> | undefined;
  if (!move || typeof move !== 'object' || typeof move.id !== 'string' || typeof move.vserver !== 'string') return undefined;
  return move as MoveMessage;
}

/** A move message (each arrives once per port: the first copy counts). */
export function moveArrived(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, message: MoveMessage): void {
  const self = filer.config.name;
  if (cluster.seenMoves.includes(message.id)) return;
  cluster.seenMoves = [...cluster.seenMoves, message.id].slice(-SEEN_MAX);
  if (message.kind === 'migrate' && message.from === self) startMoveOut(cluster, fs, filer, ctx, message);
  else if (message.kind === 'handover' && message.to === self) startMoveIn(cluster, fs, filer, ctx, message);
}

function startMoveOut(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, message: MoveMessage): void {
  const storage = storageStateOf(filer);
  const env = storageEnvDuringEvent(filer, ctx);
  const config = vserverConfig(filer, message.vserver);
  const served = fs.served.find((entry) => entry.vserver === message.vserver);
  const aggregate = storage && served && config ? aggregateOfVolumes(storage, served.storagePrefix, config.volumes) : null;
  const refusal = !storage || !env || !config ? 'no storage here' : !served ? 'not served here' : aggregate === null ? 'its volumes are not on one online aggregate here'
    : beginMoveOut(storage, env, message.vserver, aggregate);
  if (refusal !== null) {
    logEms(filer, ctx, 'vsrv.migrate.refused', 'error', `${message.vserver} cannot move to ${message.to}: ${refusal}.`);
    return;
  }
  // Its addresses go down before the CP starts: every write it acknowledged is in that CP.
  releaseVserver(fs, filer, ctx, message.vserver);
  cluster.outgoing[message.vserver] = { to: message.to, trigger: message.trigger };
  logEms(filer, ctx, 'vsrv.migrate.start', 'notice', `${message.vserver}: migrating ${self(filer)} -> ${message.to} (${message.trigger}): addresses down, writing a CP of ${aggregate}.`);
}

function self(filer: FilerState): string {
  return filer.config.name;
}

function startMoveIn(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, message: MoveMessage): void {
  const storage = storageStateOf(filer);
  const env = storageEnvDuringEvent(filer, ctx);
  const how = { ...(message.log ? { failover: message.log } : {}), ...(message.preempt ? { preempt: message.preempt } : {}) };
  const refusal = !storage || !env ? 'no storage here' : beginMoveIn(storage, env, message.vserver, message.owner ?? '', message.diskName ?? '', message.disks ?? [], how);
  const incoming = { from: message.from, trigger: message.trigger, ...(message.tried ? { tried: message.tried } : {}) };
  if (refusal !== null) {
    logEms(filer, ctx, 'vsrv.migrate.failed', 'error', `${message.vserver} from ${message.from}: ${refusal}.`);
    // The source has let go of the aggregate: it must not be left with no node (fuzz seed 49). Not when
    // it is here or moving here already (a second copy of the handover).
    if (!storage || storage.status !== 'online') handOn(cluster, fs, filer, ctx, { vserver: message.vserver, aggregate: `${message.owner ?? ''}:${message.diskName ?? ''}`, owner: message.owner ?? '',
      diskName: message.diskName ?? '', disks: message.disks ?? [], error: refusal, ...(message.log ? { failover: message.log } : {}) }, incoming);
    return;
  }
  cluster.incoming[message.vserver] = incoming;
}

/**
 * This node could not mount a vserver's aggregate (its paths, its disks): the source has let go of it,
 * so hand it back to the source, or on to another live node that reaches its shelves (each node once),
 * with the log it came with; with none left the vserver is down until an operator moves it.
 */
type Unmounted = Pick<VserverMove, 'vserver' | 'aggregate' | 'owner' | 'diskName' | 'disks' | 'error' | 'failover'>;

function handOn(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, move: Unmounted,
  incoming: { from: string; trigger: string; tried?: readonly string[] }): void {
  const tried = [...(incoming.tried ?? []), self(filer)];
  const shelves = [...new Set(move.disks.map((disk) => parseDiskId(disk)?.shelf ?? ''))];
  const home = vserverConfig(filer, move.vserver)?.home;
  // The source of a storage failover lost its paths: it cannot take the aggregate back.
  const source = incoming.trigger !== 'storage' && !tried.includes(incoming.from) && cluster.members[incoming.from]?.state === 'up' ? [incoming.from] : [];
  const others = Object.entries(cluster.members).filter(([node, member]) => member.state === 'up' && !tried.includes(node) && node !== incoming.from
    && member.serving.length > 0 && member.partner !== home && shelves.every((shelf) => member.reach.includes(shelf))).map(([node]) => node).sort();
  const to = [...source, ...others][0];
  if (to === undefined) {
    logEms(filer, ctx, 'vsrv.move.lost', 'error', `${move.vserver}: aggregate ${move.aggregate} could not be mounted here (${move.error ?? 'mount failed'}) and no other node can take it (tried ${tried.join(', ')}): down until moved by hand.`);
    return;
  }
  logEms(filer, ctx, 'vsrv.move.handBack', 'warning', `${move.vserver}: aggregate ${move.aggregate} could not be mounted here (${move.error ?? 'mount failed'}); handing it ${to === incoming.from ? 'back ' : ''}to ${to}.`);
  sendMove(cluster, fs, filer, ctx, {
    kind: 'handover', vserver: move.vserver, from: self(filer), to, trigger: incoming.trigger, owner: move.owner, diskName: move.diskName,
    disks: [...move.disks], preempt: filer.config.systemId, tried, ...(move.failover ? { log: move.failover } : {}),
  });
}

/** After every event: move the storage halves on (hand over a released aggregate, serve a mounted one). */
export function progressMoves(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const storage = storageStateOf(filer);
  if (!storage?.moves) return;
  for (const move of Object.values(storage.moves)) {
    const config = vserverConfig(filer, move.vserver);
    if (move.direction === 'out' && move.status === 'released') {
      const outgoing = cluster.outgoing[move.vserver];
      forgetMove(storage, move.vserver);
      delete cluster.outgoing[move.vserver];
      if (outgoing) sendMove(cluster, fs, filer, ctx, { kind: 'handover', vserver: move.vserver, from: self(filer), to: outgoing.to, trigger: outgoing.trigger, owner: move.owner, diskName: move.diskName, disks: [...move.disks] });
    } else if (move.direction === 'out' && move.status === 'failed') {
      // The CP did not reach the disks: the aggregate is still here, so the vserver stays (serve it again).
      forgetMove(storage, move.vserver);
      delete cluster.outgoing[move.vserver];
      if (config) serveVserver(fs, filer, ctx, config, move.prefix);
      logEms(filer, ctx, 'vsrv.migrate.failed', 'error', `${move.vserver}: ${move.error ?? 'the CP failed'}; kept on ${self(filer)}.`);
    } else if (move.direction === 'in' && move.status === 'online') {
      // A reclaim at boot may mount before the file service serves again: it waits for it.
      if (fs.status !== 'serving') continue;
      const incoming = cluster.incoming[move.vserver];
      forgetMove(storage, move.vserver);
      delete cluster.incoming[move.vserver];
      if (!config) continue;
      serveVserver(fs, filer, ctx, config, move.prefix);
      const seconds = Math.max(1, Math.round((ctx.now - move.startedUs) / 1_000_000));
      if (move.reclaim) logEms(filer, ctx, 'vsrv.reclaim.done', 'notice', `${move.vserver}: served again on ${self(filer)}, which held it when it went down; serving ${config.addresses.length} addresses.`);
      else logEms(filer, ctx, 'vsrv.migrate.done', 'notice', `${move.vserver}: migrated ${incoming?.from ?? '?'} -> ${self(filer)} (${incoming?.trigger ?? 'move'}); serving ${config.addresses.length} addresses, mount ${seconds} s.`);
    } else if (move.direction === 'in' && move.status === 'failed') {
      const incoming = cluster.incoming[move.vserver];
      forgetMove(storage, move.vserver);
      delete cluster.incoming[move.vserver];
      // A reclaim at boot gives up what another node holds now; a move hands the aggregate on.
      if (incoming && !move.reclaim) handOn(cluster, fs, filer, ctx, move, incoming);
    }
  }
}
